package dev.taskqueue.bench;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code bench} executable: runs scenarios against the real executables ({@code bin/worker},
 * {@code bin/scheduler}) and a real Redis, and prints one row per scenario (or, with {@code
 * --json}, one JSON object per line). It uses {@code REDIS_URL} when set and starts a redis-server
 * of its own otherwise; its keys live under a fresh prefix, removed at the end.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Measures task-queue with its real processes and prints a table (--json: one object per"
          + " scenario).",
      "Scenarios: submit (single submits, one thread, one submitAll, and one 'producer submit"
          + " --batch' of a file; then the first two again once this JVM has finished compiling"
          + " them), drain (pre-filled"
          + " tasks, first start to last completion, Redis commands per task), flow (batch submits"
          + " while the workers run, first submit to last completion, after unmeasured rounds of"
          + " it until the JVMs' compilers are all but done), latency (single submits at"
          + " --rate for --for, after as long at that rate as the JVMs take to finish compiling,"
          + " up to a minute: submit to start and to finish), scheduled (lateness of tasks due at"
          + " once, and of a steady stream), sandbox (per-task cost of a no-op and of the checksum"
          + " sample, compiled and interpreted, beside plain Java; in this process, no Redis),"
          + " soak (only when named: --tasks through the same workers in 10 rounds, and the"
          + " first worker's heap and threads after each), hostile (only when named: a stream of"
          + " no-ops at --rate alone, then beside a stream of hostile tasks at the same rate,"
          + " --tasks in the mix; no-ops drained before and after it, the first worker's heap and"
          + " threads before and after it, and each hostile kind drained alone), scripts (only"
          + " when named: --tasks enqueued, claimed and ended from this one client, no worker, in"
          + " 5 rounds, 100 a call and then (2,000 at most) one a call: each step's Redis CPU and"
          + " commands per task)."
    })
public final class BenchMain implements Callable<Integer> {
  private static final List<String> SCENARIOS =
      List.of("submit", "drain", "flow", "latency", "scheduled", SandboxScenario.NAME);

  /** Run only when named: a million tasks by default. */
  private static final String SOAK = "soak";

  @Parameters(
      paramLabel = "SCENARIO",
      arity = "0..*",
      description =
          "Scenarios to run (default: all but soak, hostile and scripts): submit, drain, flow,"
              + " latency, scheduled, sandbox, soak, hostile, scripts.")
  List<String> scenarios = List.of();

  @Option(
      names = "--tasks",
      paramLabel = "N",
      description =
          "Tasks per run: submit, drain, flow and scripts (each round) use the first (default"
              + " 20000), the 'scheduled' bursts each (default: 1000 and 10000), 'sandbox' the"
              + " first for its no-op tasks"
              + " and the second for its checksum tasks (default: 20), 'soak' the first (default"
              + " 1000000), 'hostile' the first for its mix (default 10000).")
  List<Integer> tasks = List.of();

  @Option(
      names = "--rate",
      paramLabel = "PER_S",
      description =
          "Tasks per second of the 'latency' submits (default: 1000), the 'scheduled' stream"
              + " (default: 200) and each of the 'hostile' streams (default: 50).")
  Integer rate;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description =
          "How long the 'latency' submits and the 'scheduled' stream last (default: 10s).")
  String duration = "10s";

  @Option(
      names = "--rounds",
      paramLabel = "K",
      description =
          "Rounds of the drain (each from workers started anew) and of the latency (each a"
              + " warm-up and a measured window of the same processes) (default: 1); with more"
              + " than one, a row of their mean follows each, with the least and the most tasks a"
              + " second (drain) or p99 (latency) among them. The other scenarios run once.")
  int rounds = 1;

  @Option(names = "--workers", paramLabel = "W", description = "Worker processes (default: 1).")
  int workers = 1;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      description = "Slots per worker (default: 50).")
  int concurrency = 50;

  @Option(
      names = "--logs",
      paramLabel = "on|off",
      description = "Per-task log files (default: on).")
  String logs = "on";

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "TASK_QUEUE_LOG_LEVEL of the processes it starts (default: ${DEFAULT-VALUE}; theirs is"
              + " info, at which a worker logs two lines a task).")
  String logLevel = ProcessLogging.DEFAULT.level();

  @Option(
      names = "--log-format",
      paramLabel = "pretty|json",
      description =
          "TASK_QUEUE_LOG_FORMAT of the processes it starts (default: ${DEFAULT-VALUE}, as"
              + " theirs; the compose file deploys json).")
  String logFormat = ProcessLogging.DEFAULT.format();

  @Option(names = "--json", description = "One JSON object per scenario, for scripts.")
  boolean json;

  public static void main(String[] args) {
    System.exit(Cli.run(new BenchMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    if (!logs.equals("on") && !logs.equals("off")) {
      throw new InvalidInputException("--logs '" + logs + "': give on or off");
    }
    ProcessLogging logging = new ProcessLogging(logLevel, logFormat);
    atLeastOne("--workers", workers);
    atLeastOne("--concurrency", concurrency);
    atLeastOne("--rounds", rounds);
    if (rate != null) {
      atLeastOne("--rate", rate);
    }
    tasks.forEach(n -> atLeastOne("--tasks", n));
    Duration streamFor;
    try {
      streamFor = ValueTypes.parseDuration(duration);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--for '" + duration + "': give a duration such as 10s");
    }
    for (String scenario : scenarios) {
      if (!SCENARIOS.contains(scenario)
          && !scenario.equals(SOAK)
          && !scenario.equals(HostileScenario.NAME)
          && !scenario.equals(ScriptsScenario.NAME)) {
        throw new InvalidInputException(
            "unknown scenario '"
                + scenario
                + "': the scenarios are: "
                + String.join(", ", SCENARIOS)
                + ", "
                + SOAK
                + ", "
                + HostileScenario.NAME
                + ", "
                + ScriptsScenario.NAME);
      }
    }
    List<String> chosen = scenarios.isEmpty() ? SCENARIOS : scenarios;
    if (rounds > 1 && !chosen.contains("drain") && !chosen.contains("latency")) {
      throw new InvalidInputException(
          "--rounds "
              + rounds
              + ": only the drain and the latency run in rounds; name one of them among the"
              + " scenarios");
    }
    Report report = new Report(json, logging, WorkerJavaOpts.from(System.getenv()));
    Path home = Path.of(System.getProperty("taskqueue.home", ".")).toAbsolutePath().normalize();
    if (chosen.contains(SandboxScenario.NAME)) {
      int noop = tasksOr(20_000);
      int checksum = tasks.size() < 2 ? 20 : tasks.get(1);
      new SandboxScenario(home, noop, checksum, 1 << 20).report(report);
      if (chosen.stream().allMatch(SandboxScenario.NAME::equals)) {
        return ExitCode.OK.code(); // it needs no Redis and no worker
      }
    }
    try (BenchSetup setup =
        BenchSetup.start(home, workers, concurrency, logs.equals("on"), logging, System.getenv())) {
      DrainScenario drain = new DrainScenario(setup, tasksOr(20_000));
      if (chosen.contains("submit")) {
        report.print(drain.submit());
        report.print(drain.submitBatch());
        report.print(drain.submitBatchCli());
        report.print(drain.submitWarm());
        report.print(drain.submitBatchWarm());
        drain.dropSubmitted();
      }
      if (chosen.contains("drain")) {
        inRounds(report, drain::drain);
      }
      if (chosen.contains("flow")) {
        report.print(new FlowScenario(setup, tasksOr(20_000)).run());
      }
      if (chosen.contains("latency")) {
        inRounds(report, new LatencyScenario(setup, rate == null ? 1000 : rate, streamFor)::run);
      }
      if (chosen.contains(HostileScenario.NAME)) {
        new HostileScenario(
                setup, tasksOr(10_000), rate == null ? HostileScenario.DEFAULT_RATE : rate)
            .run(report);
      }
      if (chosen.contains(ScriptsScenario.NAME)) {
        new ScriptsScenario(setup, tasksOr(20_000)).run().forEach(report::print);
      }
      if (chosen.contains(SOAK)) {
        new SoakScenario(setup, tasksOr(1_000_000)).run(report);
      }
      if (chosen.contains("scheduled")) {
        for (Row row :
            new ScheduledScenario(setup, tasks, rate == null ? 200 : rate, streamFor).run()) {
          report.print(row);
        }
      }
      setup.finished();
    }
    return ExitCode.OK.code();
  }

  /** A scenario's rows, made by one run of it. */
  private interface Run {
    List<Row> rows() throws IOException, InterruptedException;
  }

  /** Runs {@code run} {@code --rounds} times, printing each round's rows, then their means. */
  private void inRounds(Report report, Run run) throws IOException, InterruptedException {
    List<List<Row>> made = new ArrayList<>(rounds);
    for (int round = 0; round < rounds; round++) {
      made.add(run.rows());
      made.get(round).forEach(report::print);
    }
    if (rounds > 1) {
      Rounds.mean(made).forEach(report::print);
    }
  }

  private static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new InvalidInputException(option + " " + value + ": give a whole number of at least 1");
    }
  }

  /** The first --tasks given, or {@code otherwise} when none was. */
  private int tasksOr(int otherwise) {
    return tasks.isEmpty() ? otherwise : tasks.get(0);
  }
}
