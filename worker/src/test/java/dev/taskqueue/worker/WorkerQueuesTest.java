package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Which of its queues a worker takes tasks from, and when: in their order, and none paused. */
@ExtendWith(RedisExtension.class)
class WorkerQueuesTest {
  @TempDir Path logs;
  private WorkerFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new WorkerFixture(redis);
  }

  @AfterEach
  void tearDown() {
    f.stopWorker(Duration.ofSeconds(5));
  }

  private void start(int concurrency, List<String> queues) {
    f.startWorker(WorkerFixture.settings(logs, concurrency, queues));
  }

  /**
   * Tasks submitted one by one to an idle worker are handed to it by their enqueues, with no claim;
   * and the worker does not offer to stand by again for each: an offer with room and time left
   * still stands after a hand-off ({@code Claimer.standsBy}).
   */
  @Test
  void tasksSubmittedToAnIdleWorkerAreHandedToItWithNoClaim(TestRedis redis) throws Exception {
    f.publishSample("greeter");
    start(8, List.of("default"));
    // The producer learns of a worker standing by from a submit's reply: the first submit, made
    // once the worker stands by, goes through pending and is claimed; its reply names the worker.
    awaitStanding();
    f.awaitFinal(f.submit("default", "greeter", "{}", Duration.ofSeconds(30)));
    awaitStanding();

    int tasks = 6;
    List<List<String>> scripts;
    try (Resp monitor = Resp.connect(redis.port());
        Resp marker = Resp.connect(redis.port())) {
      monitor.send("MONITOR");
      for (int i = 0; i < tasks; i++) {
        TaskId handed = f.submit("default", "greeter", "{}", Duration.ofSeconds(30));
        assertEquals(Stage.COMPLETED, f.awaitFinal(handed).stage());
      }
      String end = redis.prefix() + ":end-of-handoff";
      marker.send("GET", end);
      scripts =
          monitor.monitoredUntil(end).stream()
              .filter(command -> command.get(0).equals("client"))
              .filter(command -> command.get(1).equalsIgnoreCase("EVALSHA"))
              .toList();
    }

    long claims = scripts.stream().filter(c -> c.contains(LuaScript.CLAIM.sha())).count();
    long offers = scripts.stream().filter(c -> c.contains(LuaScript.STAND_BY.sha())).count();
    assertEquals(0, claims, "handed over by their enqueues, they needed no claim");
    // Offered with room for 8, each offer stands for 4 hand-offs (half its room) or 0.5 s.
    assertTrue(offers <= tasks / 2, offers + " offers to stand by for " + tasks + " tasks");
  }

  /** Waits until the worker stands by for the default queue's next tasks. */
  private void awaitStanding() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!f.client.getMap(f.keys.standing("default")).isExists()) {
      assertTrue(System.nanoTime() < deadline, "the worker never stood by");
      Thread.sleep(10);
    }
  }

  @Test
  void earlierQueuesAreServedFirst() throws Exception {
    f.publishSample("greeter");
    TaskId low = f.submit("default", "greeter", "{}", Duration.ofSeconds(30));
    TaskId high = f.submit("critical", "greeter", "{}", Duration.ofSeconds(30));
    start(1, List.of("critical", "default"));

    Task lowTask = f.awaitFinal(low);
    Task highTask = f.awaitFinal(high);

    // Only the starts are compared: a slot is free once its outcome is handed to the recorder, so
    // the next claim may be recorded before the first task's finished_at is.
    assertTrue(
        highTask.startedAt().orElseThrow().compareTo(lowTask.startedAt().orElseThrow()) <= 0,
        "critical started first");
  }

  /**
   * Issue 17: a paused queue's running task finishes, its other tasks wait, and the worker does not
   * wake for each task submitted meanwhile; once resumed, they run.
   */
  @Test
  void aPausedQueueFinishesWhatRunsAndHoldsTheRestUntilResumed(TestRedis redis) throws Exception {
    f.publishWat("nap");
    f.publishSample("greeter");
    TaskId running = f.submit("default", "nap", "1500", Duration.ofSeconds(30));
    start(2, List.of("default"));
    f.await(running, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));
    QueuePauses pauses = new QueuePauses(f.session.redis(), f.keys, Clock.systemUTC());
    pauses.pause("default");

    List<TaskId> held = new ArrayList<>();
    int wakes;
    try (Resp monitor = Resp.connect(redis.port());
        Resp marker = Resp.connect(redis.port())) {
      monitor.send("MONITOR");
      for (int i = 0; i < 10; i++) {
        held.add(f.submit("default", "greeter", "{}", Duration.ofSeconds(30)));
        Thread.sleep(200);
      }
      String end = redis.prefix() + ":end-of-pause";
      marker.send("GET", end);
      String paused = f.keys.paused("default");
      String wakeUp = f.keys.marker("default");
      wakes =
          (int)
              monitor.monitoredUntil(end).stream()
                  .filter(command -> command.get(0).equals("client"))
                  // The submits name the paused flag too: an enqueue hands over no task then.
                  .filter(command -> !command.contains(LuaScript.ENQUEUE.sha()))
                  .filter(
                      command ->
                          command.contains(paused)
                              || (command.get(1).equalsIgnoreCase("BZMPOP")
                                  && command.contains(wakeUp)))
                  .count();
    }

    assertEquals(Stage.COMPLETED, f.awaitFinal(running).stage(), "it ran on while paused");
    for (TaskId id : held) {
      assertEquals(Stage.PENDING, f.task(id).stage());
    }
    // Once a second at most, and not once per submit: a claim finds it paused, and the worker
    // leaves the queue alone, marker and all, for Claimer.PAUSE_RECHECK.
    assertTrue(wakes <= 4, wakes + " claims and waits in 2 s while paused");
    pauses.resume("default");
    for (TaskId id : held) {
      assertEquals(Stage.COMPLETED, f.awaitFinal(id).stage());
    }
  }

  /**
   * An idle worker spends two round trips on each task that arrives: it wakes on the marker and
   * claims. The claim's reply says the queue is empty again, so the worker goes back to its wait
   * without reading the queue; it reads it only when a wait of a second runs out.
   */
  @Test
  void anIdleWorkerDoesNotReadItsQueueForEachTaskThatArrives(TestRedis redis) throws Exception {
    f.publishSample("greeter");
    start(4, List.of("default"));
    f.awaitFinal(f.submit("default", "greeter", "{}", Duration.ofSeconds(30)));

    int tasks = 10;
    long reads;
    long started = System.nanoTime();
    try (Resp monitor = Resp.connect(redis.port());
        Resp marker = Resp.connect(redis.port())) {
      monitor.send("MONITOR");
      for (int i = 0; i < tasks; i++) {
        assertEquals(
            Stage.COMPLETED,
            f.awaitFinal(f.submit("default", "greeter", "{}", Duration.ofSeconds(30))).stage());
      }
      String end = redis.prefix() + ":end-of-tasks";
      marker.send("GET", end);
      String pending = f.keys.pending("default");
      reads =
          monitor.monitoredUntil(end).stream()
              .filter(command -> command.get(0).equals("client"))
              .filter(command -> command.get(1).equalsIgnoreCase("LRANGE"))
              .filter(command -> command.contains(pending))
              .count();
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    // Before, one read after each task's claim; now one per wait that ran out, at most.
    assertTrue(reads < tasks, reads + " reads of the queue for " + tasks + " tasks");
    assertTrue(reads <= seconds + 1, reads + " reads of the queue in " + seconds + " s");
  }
}
