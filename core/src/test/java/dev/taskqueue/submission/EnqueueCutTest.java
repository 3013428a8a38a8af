package dev.taskqueue.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.NewTask;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How a batch is cut into enqueue calls ({@link TaskSubmitter#calls}): per queue, in order, at most
 * {@link TaskSubmitter#CHUNK} tasks a call, and fewer where their payloads are large, so that no
 * call is a request Redis refuses for its size.
 */
class EnqueueCutTest {
  private final Tasks tasks = new Tasks(Clock.systemUTC());

  @Test
  void smallPayloadsAreCutByCount() {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < TaskSubmitter.CHUNK * 2 + 1; i++) {
      batch.add(tasks.greeter("{}"));
    }

    assertEquals(
        List.of(TaskSubmitter.CHUNK, TaskSubmitter.CHUNK, 1), sizes(TaskSubmitter.calls(batch)));
  }

  @Test
  void aCallEndsWithTheTaskThatBringsItsPayloadsToItsCharacters() {
    String third = "{\"d\":\"" + "x".repeat(TaskSubmitter.CALL_CHARS / 3) + "\"}";
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      batch.add(tasks.greeter(third));
    }

    List<List<Integer>> calls = TaskSubmitter.calls(batch);

    assertEquals(List.of(3, 3, 1), sizes(calls));
    assertEquals(
        IntStream.range(0, 7).boxed().toList(), calls.stream().flatMap(List::stream).toList());
  }

  @Test
  void aPayloadOverACallsCharactersIsACallOfItsOwn() {
    String huge = "\"" + "x".repeat(TaskSubmitter.CALL_CHARS) + "\"";
    List<NewTask> batch = List.of(tasks.greeter("{}"), tasks.greeter(huge), tasks.greeter("{}"));

    assertEquals(List.of(2, 1), sizes(TaskSubmitter.calls(batch)));
  }

  @Test
  void eachQueueIsCutOnItsOwn() {
    List<NewTask> batch =
        List.of(
            tasks.greeter("{}"),
            tasks.task("other", "greeter", "{}"),
            tasks.greeter("{}"),
            tasks.task("other", "greeter", "{}"));

    assertEquals(List.of(List.of(0, 2), List.of(1, 3)), TaskSubmitter.calls(batch));
  }

  private static List<Integer> sizes(List<List<Integer>> calls) {
    return calls.stream().map(List::size).toList();
  }
}
