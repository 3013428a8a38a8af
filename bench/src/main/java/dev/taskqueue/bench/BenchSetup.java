package dev.taskqueue.bench;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.WatAssembler;
import dev.taskqueue.submission.TaskSubmitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a benchmark runs against: a Redis (the one {@code REDIS_URL} names, or a redis-server of its
 * own), a fresh key prefix, the no-op task module uploaded, and real {@code bin/scheduler}, {@code
 * bin/reaper} and {@code bin/worker} processes. Closing it stops the processes and removes its
 * keys.
 */
final class BenchSetup implements AutoCloseable {
  /** The no-op task: returns its payload. */
  static final String NOOP = "noop";

  /** How often the workers beat: their default, which the bench keeps. */
  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  /** The no-op task's module, in the checkout or installation. */
  static final String NOOP_WAT = "testing/src/main/resources/modules/echo.wat";

  /** The latency scenario's task: returns the wall-clock time it started at, in ns. */
  static final String CLOCK = "clock";

  static final String CLOCK_WAT = "testing/src/main/resources/modules/clock.wat";

  final Path home;
  final Path dir;
  final int workers;
  final int concurrency;
  final boolean logs;

  /** How the processes log: at warn unless asked (docs/benchmarks.md). */
  final ProcessLogging logging;

  final String prefix;
  final RedisSession session;
  final TaskSubmitter submitter;
  final TaskEnqueuer enqueuer;
  private final String url;

  /** The redis-server it started, when {@code REDIS_URL} named none; else null. */
  private final OwnRedisServer redisServer;

  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workerProcesses = new ArrayList<>();
  private boolean finished;

  private BenchSetup(
      Path home,
      Path dir,
      int workers,
      int concurrency,
      boolean logs,
      ProcessLogging logging,
      String url,
      OwnRedisServer redis) {
    this.home = home;
    this.dir = dir;
    this.workers = workers;
    this.concurrency = concurrency;
    this.logs = logs;
    this.logging = logging;
    this.url = url;
    this.redisServer = redis;
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.prefix = "bench" + HexFormat.of().formatHex(random);
    Config config =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of("REDIS_URL", url, "TASK_QUEUE_KEY_PREFIX", prefix))
            .build();
    this.session = RedisSession.open(config, "task-queue-bench", 8);
    this.enqueuer = new TaskEnqueuer(session.redis(), session.keys());
    this.submitter =
        new TaskSubmitter(
            config, new ModuleStore(session.redis(), session.keys()), enqueuer, Clock.systemUTC());
  }

  static BenchSetup start(
      Path home,
      int workers,
      int concurrency,
      boolean logs,
      ProcessLogging logging,
      Map<String, String> env)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("task-queue-bench-");
    String url = env.get("REDIS_URL");
    OwnRedisServer redis = null;
    if (url == null || url.isBlank()) {
      redis = OwnRedisServer.start(dir);
      url = redis.url();
    }
    BenchSetup setup;
    try {
      setup = new BenchSetup(home, dir, workers, concurrency, logs, logging, url, redis);
    } catch (RuntimeException e) {
      if (redis != null) {
        redis.stop();
      }
      throw e;
    }
    // A start that fails stops what it started: no scheduler or reaper left polling Redis.
    try {
      setup.run("registry", "upload", "--name", NOOP, home.resolve(NOOP_WAT).toString());
      setup.run("registry", "upload", "--name", CLOCK, home.resolve(CLOCK_WAT).toString());
      setup.processes.add(setup.start("scheduler", "scheduler"));
      // As deployed: a lease lost to a stalled machine is recovered, not waited for forever.
      setup.processes.add(setup.start("reaper", "reaper"));
      setup.startWorkers();
      return setup;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        setup.close();
      } catch (RuntimeException alsoFailed) { // Redis gone too, say: the first failure is the news
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  /** Starts the worker processes and waits until each has recorded its heartbeat. */
  void startWorkers() throws IOException, InterruptedException {
    for (int i = 0; i < workers; i++) {
      workerProcesses.add(
          start(
              workerLog(i),
              "worker",
              "--concurrency",
              Integer.toString(concurrency),
              "--worker-id",
              "bench-" + i));
    }
    awaitWorkers();
  }

  /** The name of the {@code i}th worker's log, without its {@code .log}. */
  private static String workerLog(int i) {
    return "worker-" + i;
  }

  /** Starts the worker processes unless they run already. */
  void ensureWorkers() throws IOException, InterruptedException {
    if (workerProcesses.isEmpty()) {
      startWorkers();
    }
  }

  /**
   * The CPU time the running worker processes have used since they started (their JIT compilers and
   * garbage collectors too), in seconds.
   */
  double workerCpuSeconds() {
    double seconds = 0;
    for (Process worker : workerProcesses) {
      seconds += cpuSeconds(worker.info());
    }
    return seconds;
  }

  /** The CPU time a process has used since it started, in seconds; 0 where the OS cannot tell. */
  static double cpuSeconds(ProcessHandle.Info process) {
    return process.totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** The process ids of the running workers. */
  List<Long> workerPids() {
    return workerProcesses.stream().map(Process::pid).toList();
  }

  /** The process ids of every JVM this setup started and still runs: scheduler, reaper, workers. */
  List<Long> jvmPids() {
    return Stream.concat(processes.stream(), workerProcesses.stream()).map(Process::pid).toList();
  }

  /**
   * Every JVM on the machine that the bench started, and this one: the compiling of any of them
   * takes a core from what is measured, in slices of several ms.
   */
  List<Long> jvmPidsAndThis() {
    List<Long> pids = new ArrayList<>(jvmPids());
    pids.add(ProcessHandle.current().pid());
    return pids;
  }

  /** Tasks of {@code queue} waiting to be claimed. */
  long pending(String queue) {
    return session.redis().llen(session.keys().pending(queue));
  }

  /** The tasks of {@code queue} that have ended so far, to wait for more ({@link EndedTasks}). */
  EndedTasks ended(String queue) {
    return new EndedTasks(session, queue, dir);
  }

  /** How many workers have a record of their heartbeat (up to a thousand). */
  private int workersBeating() {
    return session
        .redis()
        .sortedSets()
        .rangeByScore(session.keys().workers(), Long.MAX_VALUE, 1000)
        .size();
  }

  /** Stops the worker processes (SIGTERM: they finish what they run, then exit). */
  void stopWorkers() throws InterruptedException {
    stop(workerProcesses);
    workerProcesses.clear();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (workersBeating() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
  }

  /** The first worker's latest heartbeat record: its heap, threads, busy slots. */
  Map<String, String> firstWorkersBeat() {
    return session.redis().hgetall(session.keys().worker("bench-0"));
  }

  /**
   * Has the first worker collect its garbage now ({@code jcmd <pid> GC.run}, a full collection), so
   * that the heap after GC its next heartbeat reports is what it holds, not what the last young
   * collection left.
   */
  void collectFirstWorkersGarbage() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc =
        new ProcessBuilder(jcmd.toString(), Long.toString(workerProcesses.get(0).pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("jcmd.log").toFile())
            .start();
    if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      throw new TaskQueueException(
          ExitCode.FAILURE, "jcmd GC.run failed; see " + dir.resolve("jcmd.log"));
    }
  }

  /** The Redis this benchmark measures, for reading its command statistics. */
  String url() {
    return url;
  }

  private Process start(String log, String executable, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin").resolve(executable).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log + ".log").toFile());
    Map<String, String> env = builder.environment();
    // The launchers' variables stay (JVM options, the CLIs' class archives) but TASK_QUEUE_HOME:
    // the bench measures the jars of its own checkout. Every setting is the bench's own.
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("TASK_QUEUE_")
                    && (!Config.isLauncherVariable(k) || k.equals("TASK_QUEUE_HOME")));
    env.put("REDIS_URL", url);
    env.put("TASK_QUEUE_KEY_PREFIX", prefix);
    logging.into(env);
    env.put("TASK_QUEUE_SAVE_WASM_LOGS", Boolean.toString(logs));
    env.put("TASK_QUEUE_WASM_LOG_DIR", dir.resolve("wasm-logs").toString());
    // The reaper trims ended tasks beyond a count; the bench reads every one it ran.
    env.put("TASK_QUEUE_KEEP_COMPLETED", Integer.toString(Integer.MAX_VALUE));
    env.put("TASK_QUEUE_KEEP_DEAD", Integer.toString(Integer.MAX_VALUE));
    return builder.start();
  }

  /** Uploads the test module {@code modules/<name>.wat} of the harness under its own name. */
  void uploadTestModule(String name) throws IOException, InterruptedException {
    run(
        "registry",
        "upload",
        home.resolve("testing/src/main/resources/modules").resolve(name + ".wat").toString());
  }

  /**
   * Publishes one of the test modules without the registry's checks, as a registry of an earlier
   * version would have: for a module the registry refuses (init-loop, whose start never ends) that
   * a worker must still withstand.
   */
  void publishTestModule(String name) throws IOException {
    Path file = home.resolve("testing/src/main/resources/modules").resolve(name + ".wat");
    new ModulePublisher(session.redis(), session.keys(), Clock.systemUTC(), Duration.ofSeconds(5))
        .publish(name, WatAssembler.assemble(Files.readString(file), name + ".wat"), name + ".wat");
  }

  /** Runs one of the CLIs to its end, its output in its log; one that fails stops the run. */
  void run(String executable, String... args) throws IOException, InterruptedException {
    Process process = start(executable, executable, args);
    if (process.waitFor() != 0) {
      throw new TaskQueueException(
          ExitCode.FAILURE, executable + " failed; see " + dir.resolve(executable + ".log"));
    }
  }

  private void awaitWorkers() throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (workersBeating() < workers) {
      for (int i = 0; i < workerProcesses.size(); i++) {
        Process worker = workerProcesses.get(i);
        if (!worker.isAlive()) {
          throw new TaskQueueException(
              ExitCode.FAILURE,
              "the workers did not start: worker-"
                  + i
                  + " exited with code "
                  + worker.exitValue()
                  + "; see "
                  + dir.resolve(workerLog(i) + ".log"));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TaskQueueException(
            ExitCode.FAILURE, "the workers did not start; see the logs in " + dir);
      }
      Thread.sleep(100);
    }
  }

  private static void stop(List<Process> running) throws InterruptedException {
    for (Process process : running) {
      process.destroy();
    }
    for (Process process : running) {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    try {
      stop(workerProcesses);
      stop(processes);
      session.redis().deleteMatching("{" + prefix + "*");
      session.close();
      if (redisServer != null) {
        redisServer.stop();
      }
      if (finished) {
        deleteTree(dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Every scenario ran: {@link #close} may remove the bench's folder (the processes' logs, the
   * tasks' log files). After a failure it stays, since the error names a log in it.
   */
  void finished() {
    finished = true;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("bench: could not remove " + root + ": " + e.getMessage());
    }
  }
}
