package dev.taskqueue.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.RandomEdits;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

class JsonScanTest {
  private static final JsonFactory JACKSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(JsonScan.MAX_NESTING).build())
          .build();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        " \t\r\n{ } \n",
        "0",
        "-0",
        "12",
        "-1.5e-3",
        "2E+10",
        "0.25",
        "true",
        "false",
        "null",
        "\"\"",
        "\"a \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 é 😀\"",
        "{\"name\":\"Ada\",\"n\":[1,2.5,{\"x\":null,\"y\":[true,false]}],\"\":{}}",
        "[ [ ], { }, [ { \"a\" : [ 1 , 2 ] } ] ]",
      })
  void takesOneJsonValue(String text) {
    assertTrue(JsonScan.oneValue(text), text);
    assertTrue(jacksonTakes(text), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{,}",
        "{a:1}",
        "{'a':1}",
        "[1}",
        "{\"a\":1]",
        "01",
        "-",
        "-a",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "1x",
        "1.5.3",
        "tru",
        "nul",
        "True",
        "NaN",
        "\"abc",
        "\"\\x\"",
        "\"\\u12g4\"",
        "\"\\u12\"",
        "\"tab\there\"",
        "1 2",
        "{} x",
        "{}}",
        "[] []",
        "\u00a0{}",
        "/* c */ {}",
      })
  void refusesWhatIsNotExactlyOneValue(String text) {
    assertFalse(JsonScan.oneValue(text), text);
    assertFalse(jacksonTakes(text), text);
  }

  @Test
  void nestsAsDeepAsTheLimitAndNoDeeper() {
    int limit = JsonScan.MAX_NESTING;
    assertTrue(JsonScan.oneValue("[".repeat(limit) + "]".repeat(limit)));
    assertTrue(JsonScan.oneValue("{\"a\":".repeat(limit - 1) + "[1]" + "}".repeat(limit - 1)));
    assertFalse(JsonScan.oneValue("[".repeat(limit + 1) + "]".repeat(limit + 1)));
    assertFalse(jacksonTakes("[".repeat(limit + 1) + "]".repeat(limit + 1)));
  }

  /**
   * The scan and Jackson agree on texts made by editing valid JSON at random: a character added,
   * removed or replaced by one that matters to JSON. Above all, the scan never takes what Jackson
   * refuses ({@link Payload} then accepts a payload without asking Jackson).
   */
  @Test
  void agreesWithJacksonOnEditedJson() {
    String[] seeds = {
      "{\"name\":\"Ada\",\"n\":[1,-2.5e3,{\"x\":null,\"y\":[true,false]}]}",
      "[0, \"a\\\"b\\u0041\", {}, [], -0.5E+2, \"\"]",
      "{\"a\":{\"b\":{\"c\":[[[\"d\"]]]}}}",
      "  123.456e-7 ",
    };
    String alphabet = "{}[]:,\"\\ -+.0123456789eEtrufalsnx/\t\n\u0001é";
    Random random = new Random(20261204);
    int taken = 0;
    for (int i = 0; i < 200_000; i++) {
      String edited = RandomEdits.edited(random, seeds[random.nextInt(seeds.length)], alphabet, 3);
      boolean scanned = JsonScan.oneValue(edited);
      assertEquals(jacksonTakes(edited), scanned, edited);
      taken += scanned ? 1 : 0;
    }
    // Both verdicts are common, or the comparison would say little.
    assertTrue(taken > 10_000 && taken < 190_000, "taken " + taken);
  }

  /** Jackson's verdict, read the way Payload reads a payload. */
  private static boolean jacksonTakes(String text) {
    try (JsonParser parser = JACKSON.createParser(ObjectReadContext.empty(), text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (JacksonException e) {
      return false;
    }
  }
}
