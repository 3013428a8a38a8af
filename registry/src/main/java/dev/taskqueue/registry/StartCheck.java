package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.sandbox.Budget;
import dev.taskqueue.sandbox.InvalidModuleException;
import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Sandbox;
import dev.taskqueue.sandbox.SandboxLimits;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Starts a checked module once, as every one of its tasks starts: its initializer ({@code
 * _initialize}, or {@code _start}) in a fresh sandboxed instance, with the environment and limits
 * it is uploaded with, and no payload. A module whose start traps, exits with an error or runs past
 * its time would fail every task submitted to it, so it is refused before anything is stored.
 *
 * <p>Its time is the module's {@code --timeout} when given, else {@code
 * TASK_QUEUE_DEFAULT_TIMEOUT}: what a task gets unless it asks for more.
 */
final class StartCheck implements AutoCloseable {
  /** How much of what the initializer writes to stderr a refusal quotes. */
  private static final int QUOTED = 300;

  private final SandboxLimits limits;
  private final Duration defaultTimeout;
  private final Sandbox sandbox;

  StartCheck(Config config) {
    this.limits =
        new SandboxLimits(
            config.get(Settings.MAX_MEMORY_PAGES), config.get(Settings.MAX_RESULT_BYTES));
    this.defaultTimeout = config.get(Settings.DEFAULT_TIMEOUT);
    this.sandbox = new Sandbox(limits);
  }

  /**
   * @throws InvalidModuleException naming the module's file, how its start failed, and what it
   *     wrote to stderr
   */
  void check(CheckedModule module, ModuleOptions options) {
    Duration timeout = options.timeout().orElse(defaultTimeout);
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Outcome outcome =
        sandbox.initialize(
            module.compiled(),
            Budget.startingNow(timeout),
            OutputStream.nullOutputStream(),
            new Head(stderr),
            limits.lowered(options.limits(), "the module's"),
            options.env());
    if (outcome instanceof Outcome.Failed failed) {
      String initializer = module.taskModule().initializer();
      String how =
          failed.failure() == Outcome.Failure.TIMEOUT
              ? initializer
                  + " ran past "
                  + ValueTypes.format(timeout)
                  + (options.timeout().isPresent()
                      ? " (the module's --timeout)"
                      : " (" + Settings.DEFAULT_TIMEOUT.name() + "; a slow start needs --timeout)")
              : failed.message();
      throw new InvalidModuleException(
          module.source()
              + " does not start: "
              + how
              + wrote(stderr)
              + "; every task of it would fail so: mend its start-up code (constructors, global"
              + " initializers, _start) and upload it again");
    }
  }

  private static String wrote(ByteArrayOutputStream stderr) {
    String text = stderr.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return "";
    }
    String shown = text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text;
    return " (it wrote to stderr: " + shown.replaceAll("\\p{Cntrl}", " ") + ")";
  }

  @Override
  public void close() {
    sandbox.close();
  }

  /** Keeps the first bytes written to it, enough to quote; drops the rest. */
  private static final class Head extends OutputStream {
    private final ByteArrayOutputStream kept;

    Head(ByteArrayOutputStream kept) {
      this.kept = kept;
    }

    @Override
    public void write(int b) {
      if (kept.size() <= QUOTED) {
        kept.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      kept.write(b, off, Math.max(0, Math.min(len, QUOTED + 1 - kept.size())));
    }
  }
}
