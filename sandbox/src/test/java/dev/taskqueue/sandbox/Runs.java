package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Succeeded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs guests in a sandbox the way the worker does, and reads their outcomes, for tests. */
final class Runs {
  private Runs() {}

  /** Runs a module that is already compiled, with a budget that starts now. */
  static Outcome run(
      Sandbox sandbox,
      CompiledModule module,
      String payload,
      Duration timeout,
      List<String> out,
      List<String> err) {
    return sandbox.run(
        CompletableFuture.completedFuture(module),
        payload.getBytes(StandardCharsets.UTF_8),
        Budget.startingNow(timeout),
        sink(out),
        sink(err));
  }

  static LineOutputStream sink(List<String> lines) {
    return new LineOutputStream(lines::add);
  }

  static String text(Outcome outcome) {
    Succeeded succeeded = assertInstanceOf(Succeeded.class, outcome, outcome.toString());
    return new String(succeeded.result(), StandardCharsets.UTF_8);
  }

  static Failed failed(Outcome outcome) {
    return assertInstanceOf(Failed.class, outcome, outcome.toString());
  }
}
