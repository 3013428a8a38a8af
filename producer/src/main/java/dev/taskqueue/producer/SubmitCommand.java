package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer submit}: enqueues one task, to run now or at a later time, and prints its id, and
 * nothing else, on stdout.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Submits a task and prints its id, and only that, on stdout.",
      "The payload is JSON text: inline, @FILE, or on standard input.",
      "Example: id=$(producer submit --task greeter --payload '{\"name\":\"Ada\"}')"
    })
final class SubmitCommand implements Callable<Integer> {
  @ParentCommand private ProducerCommand producer;

  @Mixin private CommonOptions common;

  @Mixin private SubmissionOptions task;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      converter = RunAtConverter.class,
      description =
          "Run it at this time rather than now: RFC 3339 with an offset, such as"
              + " 2026-12-01T09:00:00+01:00 or 2026-12-01T08:00:00Z (at most 10 years ahead).")
  private Instant at;

  @Option(
      names = "--in",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Run it this long from now rather than now, e.g. 10m, 2h or 7d.")
  private Duration in;

  @Override
  public Integer call() {
    Config config = common.config();
    Submission.Builder builder = task.builder(config);
    runAt().ifPresent(builder::withRunAt);
    Submission submission = builder.build();
    // submit() checks again; checking first reports bad input without needing Redis.
    SubmissionRules.check(submission, config, producer.clock());
    try (TaskClient client = producer.connect(config)) {
      Stdout.print(client.submit(submission) + "\n");
    }
    return ExitCode.OK.code();
  }

  private Optional<Instant> runAt() {
    if (at != null && in != null) {
      throw new InvalidInputException(
          "give --at or --in, not both: --at names a time, --in how long from now");
    }
    if (in == null) {
      return Optional.ofNullable(at);
    }
    if (in.isZero()) {
      throw new InvalidInputException(
          "--in "
              + ValueTypes.format(in)
              + " is not later than now: give how long to wait, such as 10m, or leave --in out to"
              + " run the task now");
    }
    try {
      return Optional.of(producer.clock().instant().plus(in));
    } catch (DateTimeException | ArithmeticException e) {
      throw new InvalidInputException(
          // Not ValueTypes.format: so long a duration has no number of milliseconds.
          "--in " + in.toDays() + "d is more than 10 years ahead: give a nearer time");
    }
  }
}
