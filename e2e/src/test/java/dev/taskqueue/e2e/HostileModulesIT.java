package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.sandbox.WatAssembler;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.TaskSubmitter;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile modules, each run by one real worker process: every one's task ends with an error that
 * names the limit or the fault (or, where the guest only hurts itself, with what it got), and the
 * same worker then completes a normal task. The modules go in through the real registry (but one it
 * refuses, see below); the tasks are submitted in this process, as the Java client does. (A module
 * that may not run at all, one importing from outside WASI, is refused at upload: {@link
 * BadInputIT}.)
 */
@ExtendWith(RedisExtension.class)
class HostileModulesIT {
  /** The worker's default output cap, which the floods' logs must keep to. */
  private static final long OUTPUT_CAP = 1 << 20;

  @TempDir Path dir;
  private E2e e2e;
  private Process worker;
  private TaskSubmitter submitter;

  @BeforeEach
  void setUp(TestRedis redis) throws Exception {
    e2e = new E2e(redis, dir);
    submitter =
        new TaskSubmitter(
            Config.defaults(),
            new ModuleStore(e2e.session.redis(), e2e.keys),
            new TaskEnqueuer(e2e.session.redis(), e2e.keys),
            Clock.systemUTC());
    for (String module :
        List.of(
            "echo.wat",
            "spin.wat",
            "hog.wat",
            "recursion.wat",
            "output-flood.wat",
            "newline-flood.wat",
            "huge-result.wat",
            "bad-alloc.wat",
            "bad-result.wat",
            "exit-code.wat",
            "trap.wat",
            "sleep.wat",
            "denied-wasi.wat")) {
      Result upload = e2e.bin.run("registry", "upload", E2e.module(module).toString());
      assertEquals(0, upload.exitCode(), upload.toString());
    }
    Result environ =
        e2e.bin.run(
            "registry",
            "upload",
            "--env",
            "GREETING=hello",
            "--env",
            "REGION=eu",
            E2e.module("environ.wat").toString());
    assertEquals(0, environ.exitCode(), environ.toString());
    // The memory bomb starts with 2,048 pages: a registry that allows what the workers do
    // refuses it (BadInputIT); one that allows more, as when workers differ, lets it through to a
    // worker that must refuse to run it.
    Result bomb =
        e2e.bin.run(
            "registry",
            "",
            Map.of("TASK_QUEUE_MAX_MEMORY_PAGES", "4096"),
            "upload",
            E2e.module("big-memory.wat").toString());
    assertEquals(0, bomb.exitCode(), bomb.toString());
    // The registry refuses a module whose start never ends (BadInputIT); one whose start loops
    // only at times, or one a registry of an earlier version let through, reaches a worker,
    // which must time it out. Published as such a registry would.
    Path initLoop = E2e.module("init-loop.wat");
    new ModulePublisher(e2e.session.redis(), e2e.keys, Clock.systemUTC(), Duration.ofSeconds(5))
        .publish(
            "init-loop",
            WatAssembler.assemble(Files.readString(initLoop), "init-loop.wat"),
            "init-loop.wat");
    worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--worker-id", "w1");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
  }

  @Test
  void eachHostileTaskEndsWithItsFaultNamedAndTheWorkerGoesOn() throws Exception {
    failsWith("spin", "timed out after 2s");
    failsWith("init-loop", "timed out after 2s");
    failsWith("big-memory", "TASK_QUEUE_MAX_MEMORY_PAGES");
    assertEquals("1024", completes("hog"), "memory.grow refused at the worker's cap");
    failsWith("recursion", "trapped in execute: call stack exhausted");
    failsWith("huge-result", "the result is 2097152 bytes but at most 1048576 are allowed");
    failsWith("bad-alloc", "outside the module's memory");
    failsWith("bad-result", "outside the module's memory");
    failsWith("exit-code", "exited with code 7");
    failsWith("trap", "trapped in execute: ");
    failsWith("sleep", "timed out after 2s");
    assertEquals("08", completes("denied-wasi"), "EBADF: a task is given no directory");
    assertEquals(
        "GREETING=hello\0REGION=eu\0",
        completes("environ"),
        "what its module was granted at upload, nothing of the worker's");

    // The output is in Redis too, and readable with the producer from anywhere; followed, it
    // comes as the task writes it, and the producer ends when the task does.
    TaskId spin = submit("spin", "{}");
    Result follow = e2e.bin.run("producer", "logs", spin.value(), "--follow");
    assertEquals(0, follow.exitCode(), follow.toString());
    assertTrue(follow.stdout().startsWith("-- attempt 1\n"), follow.stdout());
    assertTrue(follow.stdout().contains(" stdout started\n"), follow.stdout());
    assertTrue(e2e.task(spin).stage().isFinal(), "it ended with the task");
    assertTrue(
        follow.stderr().contains("task " + spin + " is dead after 1 attempt: timed out after"),
        "and said how: " + follow);

    Task flooded = failsWith("output-flood", "timed out after 2s");
    cappedLog(flooded);
    Result logs = e2e.bin.run("producer", "logs", flooded.id().value(), "--stream", "stderr");
    assertEquals(0, logs.exitCode(), logs.toString());
    assertTrue(
        logs.stdout()
            .strip()
            .endsWith(
                " bytes past the attempt's cap of 1048576 bytes"
                    + " (TASK_QUEUE_MAX_OUTPUT_BYTES)"),
        "stdout filtered out, the worker's note kept: " + logs.stdout());
    assertEquals(2, logs.stdout().lines().count(), "the header, the cut line:\n" + logs.stdout());
    TaskId newlines = submit("newline-flood", "{}");
    Task done = e2e.awaitFinal(newlines);
    assertEquals(Stage.COMPLETED, done.stage(), done.toString());
    cappedLog(done);
    normalTaskCompletes();
  }

  /** Runs {@code module}'s task to its end, which must be a failure naming {@code fault}. */
  private Task failsWith(String module, String fault) throws Exception {
    Task task = e2e.awaitFinal(submit(module, "{}"));
    assertEquals(Stage.DEAD, task.stage(), task.toString());
    String error = task.error().orElseThrow();
    assertTrue(error.contains(fault), module + ": '" + fault + "' in: " + error);
    normalTaskCompletes();
    return task;
  }

  /** Runs {@code module}'s task, which must complete; its result as text. */
  private String completes(String module) throws Exception {
    Task task = e2e.awaitFinal(submit(module, "{}"));
    assertEquals(Stage.COMPLETED, task.stage(), task.toString());
    normalTaskCompletes();
    return new String(task.result().orElseThrow().bytes(), StandardCharsets.UTF_8);
  }

  /** The same worker, after a hostile task, runs a normal one. */
  private void normalTaskCompletes() throws Exception {
    Task echo = e2e.awaitFinal(submit("echo", "{\"after\":\"a hostile task\"}"));
    assertEquals(Stage.COMPLETED, echo.stage(), echo.toString());
    assertEquals("w1", echo.workerId().orElseThrow());
    assertEquals(
        "{\"after\":\"a hostile task\"}",
        new String(echo.result().orElseThrow().bytes(), StandardCharsets.UTF_8));
  }

  /** The task's log holds at most the cap, and ends by saying what was cut. */
  private static void cappedLog(Task task) throws Exception {
    Path log = Path.of(task.logPath().orElseThrow());
    long size = Files.size(log);
    assertTrue(size <= OUTPUT_CAP + 1024, log + " is " + size + " bytes");
    assertTrue(size > OUTPUT_CAP / 2, log + " kept what fitted: " + size + " bytes");
    assertTrue(cutLine(task).contains(" task output cut: "), cutLine(task));
  }

  private static String cutLine(Task task) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(task.logPath().orElseThrow()));
    return lines.get(lines.size() - 1);
  }

  private TaskId submit(String task, String payload) {
    return submitter.submit(
        Submission.builder(task, payload)
            .withMaxRetries(0)
            .withTimeout(Duration.ofSeconds(2))
            .build());
  }
}
