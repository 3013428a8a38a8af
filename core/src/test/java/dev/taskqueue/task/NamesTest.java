package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.InvalidInputException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  private static final Pattern FORM = Pattern.compile(Names.PATTERN);

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "7", "resize-image", "v1.2_final", "a-", "0.", "A_b.C-9"})
  void acceptsLettersDigitsAndThreeMarksAfterALetterOrDigit(String name) {
    assertTrue(Names.valid(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", ".a", "_a", "a b", "a:b", "a/b", "{a}", "é", "aé", "a\n", "ａ"})
  void refusesWhatCouldBreakAKeyOrAFileName(String name) {
    assertFalse(Names.valid(name), name);
  }

  @Test
  void holdsAtSixtyFourCharacters() {
    assertTrue(Names.valid("a".repeat(64)));
    assertFalse(Names.valid("a".repeat(65)));
    assertFalse(Names.valid(null));
  }

  /** The hand-written check and the published pattern agree on every two-character name. */
  @Test
  void agreesWithItsPatternOnEveryPairOfCharacters() {
    for (char first = 0; first < 256; first++) {
      assertEquals(FORM.matcher(String.valueOf(first)).matches(), Names.valid("" + first));
      for (char second = 0; second < 256; second++) {
        String name = "" + first + second;
        assertEquals(FORM.matcher(name).matches(), Names.valid(name), name);
      }
    }
  }

  @Test
  void checkSaysWhatANameMayHold() {
    InvalidInputException error =
        assertThrows(InvalidInputException.class, () -> Names.check("task name", "a b"));
    assertEquals("task name 'a b' is invalid: use " + Names.RULE, error.getMessage());
  }
}
