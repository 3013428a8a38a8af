package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdTest {
  @Test
  void idsAreVersion7UuidsCarryingTheirTime() {
    MutableClock clock = MutableClock.atFixedStart();
    TaskId id = new TaskIdGenerator(clock).next();

    UUID uuid = UUID.fromString(id.value());
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(clock.millis(), uuid.getMostSignificantBits() >>> 16, "the first 48 bits");
    assertEquals(id, TaskId.parse(id.value().toUpperCase(java.util.Locale.ROOT)));
  }

  @Test
  void idsAreWrittenInTheCanonicalForm() {
    TaskIdGenerator generator = new TaskIdGenerator(java.time.Clock.systemUTC());
    for (int i = 0; i < 10_000; i++) {
      String id = generator.next().value();
      assertEquals(UUID.fromString(id).toString(), id);
      assertTrue(TaskId.isValid(id), id);
    }
  }

  @Test
  void idsSortByCreationEvenWithinOneMillisecondAndWhenTheClockStepsBack() {
    MutableClock clock = MutableClock.atFixedStart();
    TaskIdGenerator generator = new TaskIdGenerator(clock);
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(generator.next());
      if (i == 5000) {
        clock.advance(Duration.ofSeconds(-1));
      }
    }

    List<TaskId> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertEquals(ids, sorted);
    assertEquals(ids.size(), new HashSet<>(ids).size());
  }

  @Test
  void parseRejectsWhatIsNotAnId() {
    InvalidInputException error =
        assertThrows(InvalidInputException.class, () -> TaskId.parse("42"));
    assertTrue(error.getMessage().startsWith("task id '42' is not a task id"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a9", // one short
        "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a900", // one long
        "0193F6A2-7C1E-7D4A-9B2F-3E5D6C7B8A90", // upper case
        "0193f6a2-7c1e-4d4a-9b2f-3e5d6c7b8a90", // version 4
        "0193f6a2-7c1e-7d4a-cb2f-3e5d6c7b8a90", // variant c
        "0193f6a2_7c1e-7d4a-9b2f-3e5d6c7b8a90", // not a dash
        "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a9g", // not hex
        "",
      })
  void isValidRefusesAnythingButACanonicalVersion7Id(String text) {
    assertFalse(TaskId.isValid(text), text);
  }

  @Test
  void isValidAcceptsEveryVariantDigit() {
    for (char variant : new char[] {'8', '9', 'a', 'b'}) {
      assertTrue(TaskId.isValid("0193f6a2-7c1e-7d4a-" + variant + "b2f-3e5d6c7b8a90"));
    }
    assertFalse(TaskId.isValid(null));
  }
}
