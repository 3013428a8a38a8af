package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLIs' class archives (bin/lib/class-cache.sh): the first run that does real work writes one
 * as it exits, and later runs start from it; the CLI's input, output and exit code are as without.
 */
@ExtendWith(RedisExtension.class)
class ClassCacheIT {
  @TempDir Path dir;
  private E2e e2e;
  private Path cache;
  private Map<String, String> withCache;

  @BeforeEach
  void setUp(TestRedis redis) {
    e2e = new E2e(redis, dir);
    cache = dir.resolve("classes");
    withCache = Map.of("TASK_QUEUE_CLASS_CACHE", cache.toString());
  }

  @Test
  void theFirstRunWritesTheArchiveAndTheNextStartsFromIt() throws IOException {
    Executables.ok(
        e2e.bin.run("registry", "", withCache, "upload", E2e.sample("greeter.wasm").toString()));
    assertEquals(List.of("registry"), archives());

    // The producer's first run reads its standard input as ever, and prints its ids and only them.
    String batch = "{\"task\":\"greeter\",\"payload\":{}}\n{\"task\":\"greeter\",\"payload\":{}}\n";
    Result first =
        Executables.ok(e2e.bin.run("producer", batch, withCache, "submit", "--batch", "-"));
    assertEquals(2, first.stdout().lines().count(), first.toString());
    assertEquals("", first.stderr());
    assertEquals(List.of("producer", "registry"), archives());

    // The user's options, shared and the producer's own, reach the JVM started from the archive.
    Path classLog = dir.resolve("classes.log");
    Path gcLog = dir.resolve("gc.log");
    Result next =
        Executables.ok(
            e2e.bin.run(
                "producer",
                "",
                Map.of(
                    "TASK_QUEUE_CLASS_CACHE",
                    cache.toString(),
                    "TASK_QUEUE_JAVA_OPTS",
                    "-Xlog:class+load=info:file=" + classLog,
                    "TASK_QUEUE_PRODUCER_JAVA_OPTS",
                    "-Xlog:gc+init=info:file=" + gcLog),
                "status",
                first.stdout().lines().findFirst().orElseThrow()));
    assertTrue(Files.readString(gcLog).contains("Heap Max Capacity"), Files.readString(gcLog));
    assertTrue(next.stdout().contains("greeter"), next.toString());
    assertEquals("", next.stderr());
    // The producer's own classes came from the archive the first run wrote.
    List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
    assertTrue(
        loaded.stream()
            .anyMatch(
                line ->
                    line.contains("dev.taskqueue.producer.ProducerMain")
                        && line.contains("source: shared objects file (top)")),
        String.join("\n", loaded.subList(0, Math.min(40, loaded.size()))));
    assertEquals(List.of("producer", "registry"), archives());
  }

  @Test
  void aRunThatFailsOrShowsOnlyHelpWritesNone() throws IOException {
    Executables.ok(e2e.bin.run("producer", "", withCache, "--help"));
    Executables.ok(e2e.bin.run("producer", "", withCache, "submit", "--help"));

    Result unknown =
        e2e.bin.run("producer", "", withCache, "submit", "--task", "nosuch", "--payload", "{}");

    assertEquals(4, unknown.exitCode(), unknown.toString());
    assertTrue(
        unknown.stderr().startsWith("producer submit: unknown task 'nosuch'"), unknown.toString());
    assertEquals(List.of(), archives());
  }

  @Test
  void offWritesNoneAndTheDefaultFolderIsTheUsersCache() throws IOException {
    Path xdg = dir.resolve("xdg");
    Executables.ok(
        e2e.bin.run(
            "producer",
            "",
            Map.of("XDG_CACHE_HOME", xdg.toString(), "TASK_QUEUE_CLASS_CACHE", "off"),
            "queues"));
    assertFalse(Files.exists(xdg), "off wrote to " + xdg);

    Executables.ok(e2e.bin.run("producer", "", Map.of("XDG_CACHE_HOME", xdg.toString()), "queues"));

    cache = xdg.resolve("task-queue/classes");
    assertEquals(List.of("producer"), archives());
  }

  /**
   * Options naming an archive of the user's own, in TASK_QUEUE_JAVA_OPTS or in the CLI's own
   * TASK_QUEUE_<NAME>_JAVA_OPTS, turn the launcher's archive off: the JVM takes one archive.
   */
  @Test
  void theUsersOwnSharingOptionsTurnTheLaunchersArchiveOff() throws IOException {
    producerQueuesWith("TASK_QUEUE_JAVA_OPTS", "-Xshare:off");
    assertEquals(List.of(), archives());
    producerQueuesWith("TASK_QUEUE_PRODUCER_JAVA_OPTS", "-Xshare:off");
    assertEquals(List.of(), archives());

    producerQueuesWith("TASK_QUEUE_REGISTRY_JAVA_OPTS", "-Xshare:off");
    assertEquals(List.of("producer"), archives(), "the registry's options reached the producer");
  }

  private void producerQueuesWith(String variable, String javaOpts) {
    Executables.ok(
        e2e.bin.run(
            "producer",
            "",
            Map.of("TASK_QUEUE_CLASS_CACHE", cache.toString(), variable, javaOpts),
            "queues"));
  }

  /** An archive holds code the CLI runs: a folder others may write to is not used. */
  @Test
  void aFolderOthersMayWriteToIsNotUsed() throws Exception {
    Files.createDirectories(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

    Executables.ok(e2e.bin.run("producer", "", withCache, "queues"));

    assertEquals(List.of(), archives());
  }

  /**
   * A first run is the launcher's child, not its replacement: a signal to the launcher still stops
   * the JVM, and the archive it wrote on the way out is dropped, being from a run that did not end.
   */
  @Test
  void aSignalStopsTheCliOnItsFirstRunToo() throws Exception {
    // A named pipe nobody writes to: the producer waits for its batch until it is stopped.
    Path fifo = dir.resolve("batch.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
    Process launcher =
        e2e.bin.start(
            "producer",
            dir.resolve("producer.log"),
            withCache,
            "submit",
            "--batch",
            fifo.toString());
    List<ProcessHandle> jvm = awaitChild(launcher);

    launcher.destroy();

    assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
    assertEquals(143, launcher.exitValue(), Executables.logSoFar(dir.resolve("producer.log")));
    for (ProcessHandle process : jvm) {
      assertFalse(process.isAlive(), "the JVM " + process.pid() + " still runs");
    }
    assertEquals(List.of(), archives());
  }

  private static List<ProcessHandle> awaitChild(Process launcher) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      List<ProcessHandle> children = launcher.children().toList();
      if (!children.isEmpty()) {
        Thread.sleep(2000); // so that the signal meets a JVM that runs, not one still starting
        return children;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the launcher started no JVM");
  }

  /** The CLIs with an archive in the cache, sorted; fails on any other file left there. */
  private List<String> archives() throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      List<String> names = files.map(file -> file.getFileName().toString()).sorted().toList();
      for (String name : names) {
        assertTrue(name.matches("(producer|registry)-[0-9]+\\.jsa"), "left in the cache: " + names);
      }
      return names.stream().map(name -> name.substring(0, name.indexOf('-'))).toList();
    }
  }
}
