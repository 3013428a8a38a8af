package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real processes: registry uploads modules, a worker process runs them, the
 * producer CLI submits tasks and reads their results, and each task leaves its own log file.
 */
@ExtendWith(RedisExtension.class)
class WalkingSkeletonIT {

  @Test
  void uploadSubmitRunAndReadBackResultsAndLogs(TestRedis redis, @TempDir Path dir)
      throws Exception {
    E2e e2e = new E2e(redis, dir);
    for (String file :
        List.of("greeter.wasm", "wordcount.wasm", "checksum.wasm", "uppercase.wat")) {
      Result upload = e2e.bin.run("registry", "upload", E2e.sample(file).toString());
      assertEquals(0, upload.exitCode(), upload.toString());
    }
    Process worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--concurrency", "2");
    try {
      TaskId greeter = submit(e2e, "", "--task", "greeter", "--payload", "{\"name\":\"Ada\"}");
      Path text =
          e2e.write(
              "text.json", "{\"text\":\"to be or not to be\"}".getBytes(StandardCharsets.UTF_8));
      TaskId words = submit(e2e, "", "--task", "wordcount", "--payload", "@" + text);
      TaskId checksum = submit(e2e, "{\"bytes\":65536}", "--task", "checksum", "--timeout", "2m");
      TaskId upper =
          submit(e2e, "", "--task", "uppercase", "--payload", "\"shout\"", "--queue", "default");
      TaskId broken =
          submit(e2e, "", "--task", "wordcount", "--payload", "{\"txt\":1}", "--max-retries", "0");

      assertEquals(Stage.COMPLETED, e2e.awaitFinal(greeter).stage());
      assertEquals("{\"greeting\":\"Hello, Ada!\"}\n", result(e2e, greeter).stdout());
      e2e.awaitFinal(words);
      assertTrue(result(e2e, words).stdout().startsWith("{\"words\":6,\"lines\":1,"));
      e2e.awaitFinal(checksum);
      assertTrue(result(e2e, checksum).stdout().contains("\"bytes\":65536"));
      e2e.awaitFinal(upper);
      assertEquals("\"SHOUT\"\n", result(e2e, upper).stdout());

      Task failed = e2e.awaitFinal(broken);
      assertEquals(Stage.DEAD, failed.stage());
      Result failedResult = e2e.bin.run("producer", "result", broken.value());
      assertEquals(1, failedResult.exitCode(), failedResult.toString());
      assertTrue(failedResult.stderr().contains("exited with code 2"), failedResult.toString());

      Result status = e2e.bin.run("producer", "status", greeter.value());
      assertEquals(0, status.exitCode(), status.toString());
      assertTrue(status.stdout().contains("completed"), status.stdout());

      Path greeterLog = e2e.logDir.resolve("greeter").resolve(greeter.value() + ".log");
      assertEquals(greeterLog.toString(), e2e.task(greeter).logPath().orElseThrow());
      String log = Files.readString(greeterLog);
      assertTrue(log.contains(" stdout Hello, Ada!\n"), log);
      assertTrue(log.contains(" stderr greeter: greeted 1 name\n"), log);
      String brokenLog = Files.readString(Path.of(failed.logPath().orElseThrow()));
      assertTrue(
          brokenLog.contains(" stderr wordcount: payload needs a \"text\" string"), brokenLog);
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)), "worker exits 0");
    }
    String workerLog = Files.readString(dir.resolve("worker.log"));
    assertTrue(workerLog.contains("worker stopped"), workerLog);
  }

  private static TaskId submit(E2e e2e, String stdin, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "submit";
    System.arraycopy(args, 0, command, 1, args.length);
    Result submit = e2e.bin.run("producer", stdin, Map.of(), command);
    assertEquals(0, submit.exitCode(), submit.toString());
    return TaskId.parse(submit.stdout().strip());
  }

  private static Result result(E2e e2e, TaskId id) {
    Result result = e2e.bin.run("producer", "result", id.value());
    assertEquals(0, result.exitCode(), result.toString());
    return result;
  }
}
