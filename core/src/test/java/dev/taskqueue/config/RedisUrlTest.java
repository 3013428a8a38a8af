package dev.taskqueue.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {
  @Test
  void readsEveryPart() {
    RedisUrl url = RedisUrl.parse("rediss://app:s%40cret@cache.example:6380/3");

    assertEquals(
        new RedisUrl(true, "cache.example", 6380, 3, Optional.of("app"), Optional.of("s@cret")),
        url);
    assertEquals("rediss://cache.example:6380", url.address());
    assertEquals("rediss://app:***@cache.example:6380/3", url.toString(), "no password shown");
  }

  @Test
  void fillsInDefaults() {
    assertEquals(
        new RedisUrl(false, "localhost", 6379, 0, Optional.empty(), Optional.empty()),
        RedisUrl.parse("redis://localhost"));
    assertEquals(
        Optional.of("pw"), RedisUrl.parse("redis://:pw@localhost/1").password(), "password only");
  }

  @Test
  void aPasswordMayHoldRawAtSignsColonsSlashesAndPlusSigns() {
    RedisUrl url = RedisUrl.parse("redis://admin:p@ss:w/o+rd@host:6380/2");

    assertEquals(
        new RedisUrl(false, "host", 6380, 2, Optional.of("admin"), Optional.of("p@ss:w/o+rd")),
        url);
    assertEquals("redis://admin:***@host:6380/2", url.toString());
  }

  @Test
  void aUserAloneIsAUser() {
    RedisUrl url = RedisUrl.parse("redis://admin@host");

    assertEquals(Optional.of("admin"), url.username());
    assertEquals(Optional.empty(), url.password());
    assertEquals("redis://admin@host:6379/0", url.toString());
  }

  @Test
  void noErrorQuotesThePassword() {
    String[] bad = {
      "redis://admin:Zq7%zz@host",
      "redis://admin:Zq7secret@host:99999/0",
      "redis://admin:Zq7secret@host/x",
      "redis://admin:Zq7 secret@ho st",
      "http://admin:Zq7secret@host",
      "admin:Zq7secret@host",
    };
    for (String raw : bad) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(raw), raw);
      assertEquals(false, String.valueOf(error.getMessage()).contains("Zq7"), error.getMessage());
      assertEquals(null, error.getCause(), raw);
    }
  }

  @Test
  void rejectsWhatIsNotARedisUrl() {
    assertEquals(
        "the scheme must be redis or rediss",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("http://x"))
            .getMessage());
    assertEquals(
        "the host is missing",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://:6379/0"))
            .getMessage());
    assertEquals(
        "the database 'x' is not a number >= 0",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://h/x"))
            .getMessage());
  }
}
