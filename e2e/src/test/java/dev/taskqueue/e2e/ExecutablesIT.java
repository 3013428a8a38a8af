package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every launcher in bin/ starts its executable, which answers --help and --version. */
class ExecutablesIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"producer", "registry", "worker", "scheduler", "reaper", "bench"})
  void answersHelpAndVersion(String name) {
    Executables bin = new Executables(Map.of(), dir);

    Result help = bin.run(name, "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.stdout().startsWith("Usage: " + name), help.toString());

    Result version = bin.run(name, "--version");
    assertEquals(0, version.exitCode(), version.toString());
    assertTrue(version.stdout().startsWith("task-queue 0."), version.toString());
  }

  /**
   * Netty loads native code (its epoll transport): a JDK 22 or later warns on standard error at
   * every start of a jar that does not grant it, and JDK 17 ignores the attribute.
   */
  @ParameterizedTest
  @ValueSource(strings = {"producer", "registry", "worker", "scheduler", "reaper", "bench"})
  void itsJarGrantsNativeAccess(String name) throws IOException {
    Path jar =
        Executables.ROOT.resolve(name).resolve("target").resolve("task-queue-" + name + ".jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals(
          "ALL-UNNAMED", file.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
    }
  }

  @Test
  void theWorkersJvmGetsTheLaunchersJitOptionsWhichTaskQueueJavaOptsOverrides() {
    List<String> names = List.of("DontCompileHugeMethods", "FreqInlineSize", "InlineSmallCode");

    assertEquals(
        Map.of(
            "DontCompileHugeMethods", "false", "FreqInlineSize", "100", "InlineSmallCode", "1000"),
        jvmFlags("worker", "", names));
    assertEquals("325", jvmFlags("worker", "-XX:FreqInlineSize=325", names).get("FreqInlineSize"));
  }

  /**
   * The long-running processes' JVMs ask for transparent huge pages where this machine's kernel
   * gives them (bin/lib/huge-pages.sh, whose choice {@link TransparentHugePagesIT} tests), and
   * TASK_QUEUE_JAVA_OPTS can undo it. The CLIs, short-lived, do not ask.
   */
  @ParameterizedTest
  @ValueSource(strings = {"worker", "scheduler", "reaper"})
  void aDaemonsJvmUsesTransparentHugePagesWhereTheKernelGivesThem(String name)
      throws IOException, InterruptedException {
    List<String> names = List.of("UseTransparentHugePages");
    boolean offered = !TransparentHugePagesIT.optionFor().isEmpty();

    assertEquals(
        Map.of("UseTransparentHugePages", Boolean.toString(offered)), jvmFlags(name, "", names));
    assertEquals(
        Map.of("UseTransparentHugePages", "false"),
        jvmFlags(name, "-XX:-UseTransparentHugePages", names));
  }

  @Test
  void aCliAsksForNoHugePages() {
    assertEquals(
        Map.of("UseTransparentHugePages", "false"),
        jvmFlags("producer", "", List.of("UseTransparentHugePages")));
  }

  /**
   * Netty's Flight Recorder events are off in every executable, since registering them cost each
   * start about 40 ms (bin/lib/launch.sh); TASK_QUEUE_JAVA_OPTS can bring them back.
   */
  @ParameterizedTest
  @ValueSource(strings = {"producer", "registry", "worker", "scheduler", "reaper", "bench"})
  void nettysFlightRecorderEventsAreOffUnlessAskedFor(String name) {
    assertEquals("false", nettyJfr(name, ""));
    assertEquals("true", nettyJfr(name, "-Dio.netty.jfr.enabled=true"));
  }

  /** The io.netty.jfr.enabled property of bin/{@code executable}'s JVM, given {@code javaOpts}. */
  private String nettyJfr(String executable, String javaOpts) {
    return version(
            executable,
            Map.of("TASK_QUEUE_JAVA_OPTS", ("-XshowSettings:properties " + javaOpts).strip()))
        .stderr()
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith("io.netty.jfr.enabled = "))
        .map(line -> line.substring("io.netty.jfr.enabled = ".length()))
        .findFirst()
        .orElse("(not set)");
  }

  /** The daemons light on CPU compile with C1 alone, which TASK_QUEUE_JAVA_OPTS can undo. */
  @ParameterizedTest
  @ValueSource(strings = {"scheduler", "reaper"})
  void aLightDaemonsJvmStopsItsJitAtC1(String name) {
    List<String> names = List.of("TieredStopAtLevel");

    assertEquals(Map.of("TieredStopAtLevel", "1"), jvmFlags(name, "", names));
    assertEquals(
        Map.of("TieredStopAtLevel", "4"), jvmFlags(name, "-XX:TieredStopAtLevel=4", names));
  }

  /**
   * TASK_QUEUE_<NAME>_JAVA_OPTS reaches that executable's JVM alone, after TASK_QUEUE_JAVA_OPTS: an
   * environment shared by every executable can still tune one of them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"worker", "scheduler", "reaper", "registry", "producer", "bench"})
  void anExecutablesOwnJavaOptsReachItAloneAfterTheSharedOnes(String name) {
    List<String> names = List.of("MaxInlineLevel");
    String other = name.equals("worker") ? "reaper" : "worker";

    assertEquals(
        Map.of("MaxInlineLevel", "12"),
        jvmFlags(
            name,
            Map.of(
                "TASK_QUEUE_JAVA_OPTS",
                "-XX:+PrintFlagsFinal -XX:MaxInlineLevel=11",
                Config.javaOptsOf(name),
                "-XX:MaxInlineLevel=12"),
            names));
    assertEquals(
        Map.of("MaxInlineLevel", "11"),
        jvmFlags(
            name,
            Map.of(
                "TASK_QUEUE_JAVA_OPTS",
                "-XX:+PrintFlagsFinal -XX:MaxInlineLevel=11",
                Config.javaOptsOf(other),
                "-XX:MaxInlineLevel=12"),
            names));
  }

  /**
   * The flags {@code names} of the JVM that bin/{@code executable} starts with {@code javaOpts} in
   * TASK_QUEUE_JAVA_OPTS, as -XX:+PrintFlagsFinal printed them.
   */
  private Map<String, String> jvmFlags(String executable, String javaOpts, List<String> names) {
    return jvmFlags(
        executable,
        Map.of("TASK_QUEUE_JAVA_OPTS", ("-XX:+PrintFlagsFinal " + javaOpts).strip()),
        names);
  }

  /**
   * The flags {@code names} of the JVM that bin/{@code executable} starts in {@code environment},
   * whose JVM options must ask for -XX:+PrintFlagsFinal.
   */
  private Map<String, String> jvmFlags(
      String executable, Map<String, String> environment, List<String> names) {
    Result result = version(executable, environment);
    Map<String, String> flags = new java.util.TreeMap<>();
    for (String line : result.stdout().lines().toList()) {
      List<String> words = List.of(line.trim().split("\\s+", -1));
      if (words.size() >= 4 && names.contains(words.get(1))) {
        flags.put(words.get(1), words.get(3));
      }
    }
    return flags;
  }

  /** bin/{@code executable} --version, run in {@code environment}, which must succeed. */
  private Result version(String executable, Map<String, String> environment) {
    Result result = new Executables(Map.of(), dir).run(executable, "", environment, "--version");
    Executables.ok(result);
    return result;
  }

  @Test
  void aWorkerWhoseLeasesWouldExpireBetweenHeartbeatsRefusesToStart() {
    Result result =
        new Executables(Map.of(), dir)
            .run(
                "worker",
                "",
                Map.of(
                    "TASK_QUEUE_LEASE_DURATION", "1s", "TASK_QUEUE_HEARTBEAT_INTERVAL", "800ms"));

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(
        result
            .stderr()
            .contains(
                "TASK_QUEUE_LEASE_DURATION (1s) must be at least twice"
                    + " TASK_QUEUE_HEARTBEAT_INTERVAL (800ms)"),
        result.toString());
  }

  /** A Redis that evicts keys when full may drop tasks: a long-running process says so at start. */
  @Test
  void aReaperWarnsAtStartWhenRedisMayEvictTasks() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral()) {
      try (Resp admin = Resp.connect(server.port())) {
        assertEquals("OK", admin.send("CONFIG", "SET", "maxmemory-policy", "volatile-lru"));
      }
      Path log = dir.resolve("reaper.log");
      Process reaper =
          new Executables(Map.of("REDIS_URL", server.url(), "TASK_QUEUE_KEY_PREFIX", "tevict"), dir)
              .start("reaper", log);
      try {
        String warned =
            Eventually.await(
                () -> Executables.logSoFar(log),
                text -> text.contains("reaper started"),
                Duration.ofSeconds(60),
                "the reaper's start");
        assertTrue(
            warned.contains(
                "has maxmemory-policy volatile-lru), and a task whose keys it evicts is lost:"
                    + " set maxmemory-policy noeviction"),
            warned);
      } finally {
        assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(30)), "reaper exits 0");
      }
    }
  }

  @Test
  void aReaperWithAnUnreadableRetentionRefusesToStart() {
    Result result =
        new Executables(Map.of(), dir)
            .run("reaper", "", Map.of("TASK_QUEUE_KEEP_DEAD_FOR", "forever"));

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("TASK_QUEUE_KEEP_DEAD_FOR"), result.toString());
    assertEquals(1, result.stderr().strip().lines().count(), "one line: " + result.stderr());
  }
}
