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
