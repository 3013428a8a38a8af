package dev.taskqueue.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void masksThePasswordOfOneUrlAndKeepsTheUser() {
    String[][] cases = {
      {"redis://admin:secret@127.0.0.1:99999/0", "redis://admin:***@127.0.0.1:99999/0"},
      {"rediss://app:s%40cr%3At@cache.example:6380/3", "rediss://app:***@cache.example:6380/3"},
      {"redis://admin:p@ss:w@rd@host/0", "redis://admin:***@host/0"},
      {"redis://admin:pa/ss@host", "redis://admin:***@host"},
      {"redis://:secret@host", "redis://:***@host"},
      {"admin:secret@host:6379", "admin:***@host:6379"},
      {"redis:admin:secret@host", "redis:***@host"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], Credentials.mask(c[0]), c[0]);
    }
  }

  @Test
  void leavesAUrlWithoutAPasswordAsItIs() {
    for (String url :
        new String[] {
          "redis://127.0.0.1:6379/0",
          "redis://admin@host:6379/0",
          "rediss://admin@host",
          "redis://admin:@host",
          "redis://@host",
          "not a url",
          ""
        }) {
      assertEquals(url, Credentials.mask(url), url);
    }
  }

  @Test
  void masksEveryUrlInText() {
    assertEquals(
        "invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0' from the environment",
        Credentials.maskIn(
            "invalid REDIS_URL='redis://admin:secret@127.0.0.1:99999/0' from the environment"));
    assertEquals(
        "from redis://a:***@h1 to rediss://:***@h2/1, not redis://u@h3",
        Credentials.maskIn("from redis://a:x@h1 to rediss://:p%40ss@h2/1, not redis://u@h3"));
    assertEquals(
        "Unmatched argument at index 1: 'redis://admin:***@host'",
        Credentials.maskIn("Unmatched argument at index 1: 'redis://admin:p@ss:w@rd@host'"));
    // A raw '/' may be part of a password, so a port and an '@' later in a path are hidden too.
    assertEquals("http://host:***@b", Credentials.maskIn("http://host:80/a@b"));
  }

  @Test
  void keepsJsonValid() {
    assertEquals(
        "{\"url\":\"redis://u:***@h:1/0\",\"user\":\"ada@example.com\"}",
        Credentials.maskIn("{\"url\":\"redis://u:pw@h:1/0\",\"user\":\"ada@example.com\"}"));
  }

  @Test
  void leavesTextWithoutPasswordsAsItIs() {
    for (String text :
        new String[] {
          "mail ada@example.com",
          "redis://admin@host:6379/0",
          "at dev.taskqueue.cli.Cli.run(Cli.java:42)",
          "expected redis://[user:password@]host[:port][/db]",
          ""
        }) {
      assertEquals(text, Credentials.maskIn(text), text);
    }
  }
}
