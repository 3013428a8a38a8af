package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.RandomEdits;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ShapeText}: a shape of the form the scripts write is read without the JSON mapper, exactly
 * as the mapper reads it ({@link ShapeField#mapped}); any other text is left to the mapper.
 */
class ShapeTextTest {
  /** What include/shape.lua writes (cjson: keys in any order, no whitespace). */
  private static final String WRITTEN =
      "{\"max_retries\":3,\"module_digest\":\"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa74"
          + "25e73043362938b9824\",\"kind\":\"immediate\",\"retry_backoff_base_ms\":1000,"
          + "\"queue\":\"default\",\"timeout_ms\":30000,\"retry_backoff_cap_ms\":300000,"
          + "\"module_version\":1}";

  @Test
  void readsWhatTheScriptsWriteAsTheMapperDoes() {
    Map<String, String> plain = ShapeText.plain(WRITTEN);

    assertNotNull(plain);
    assertEquals(ShapeField.mapped(WRITTEN).orElseThrow(), plain);
    assertEquals("default", plain.get("queue"));
    assertEquals("30000", plain.get("timeout_ms"));
    assertEquals(8, plain.size());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"queue\":\"q\"}",
        "{\"queue\":\"q\",\"other\":\"ignored\",\"timeout_ms\":0}",
        "{\"queue\":\"first\",\"queue\":\"last\"}",
        "{\"kind\":\"é\"}",
        "{\"timeout_ms\":123456789012345678901234567890}",
      })
  void readsPlainObjectsAsTheMapperDoes(String text) {
    assertEquals(ShapeField.mapped(text), Optional.ofNullable(ShapeText.plain(text)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "null",
        "{",
        "{\"queue\":\"q\"",
        "{\"queue\":\"q\"}x",
        " {\"queue\":\"q\"}",
        "{\"queue\": \"q\"}",
        "{\"queue\":\"a\\\"b\"}",
        "{\"queue\":\"a\\u0041\"}",
        "{\"queue\":\"tab\there\"}",
        "{\"timeout_ms\":-5}",
        "{\"timeout_ms\":1.5}",
        "{\"timeout_ms\":1e3}",
        "{\"timeout_ms\":007}",
        "{\"timeout_ms\":null}",
        "{\"timeout_ms\":true}",
        "{\"timeout_ms\":[1]}",
        "{\"x\":{\"y\":1}}",
        "{\"queue\":\"q\",}",
        "{,}",
      })
  void leavesEveryOtherTextToTheMapper(String text) {
    assertNull(ShapeText.plain(text), text);
  }

  /**
   * On texts made by editing a written shape at random, whatever the plain reader reads, the mapper
   * reads the same: it never takes a text the mapper refuses or reads otherwise.
   */
  @Test
  void agreesWithTheMapperOnEditedShapes() {
    String alphabet = "{}[]:,\"\\ -.0123456789eaqk\t\u0001é";
    Random random = new Random(20261204);
    int plainRead = 0;
    for (int i = 0; i < 100_000; i++) {
      String edited = RandomEdits.edited(random, WRITTEN, alphabet, 2);
      Map<String, String> plain = ShapeText.plain(edited);
      if (plain != null) {
        assertEquals(ShapeField.mapped(edited), Optional.of(plain), edited);
        plainRead++;
      }
    }
    // Both kinds of text are common, or the comparison would say little.
    assertTrue(plainRead > 5_000 && plainRead < 95_000, "read plainly " + plainRead);
  }
}
