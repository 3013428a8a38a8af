package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.sandbox.LimitHits.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: each limit the sandbox enforces is counted once per task that hit it, and only then.
 */
class LimitHitsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  @Test
  void eachLimitIsCountedWhereItIsEnforced() {
    try (Sandbox sandbox = new Sandbox(new SandboxLimits(256, 4))) {
      run(sandbox, "echo", "1234", TIMEOUT); // within every limit
      assertEquals(counts(), hits(sandbox), "nothing hit");

      run(sandbox, "hog", "{}", TIMEOUT); // grows until refused at the cap, then returns
      run(sandbox, "big-memory", "{}", TIMEOUT); // starts above the cap
      run(sandbox, "echo", "12345", TIMEOUT); // a result over 4 bytes
      run(sandbox, "spin", "{}", Duration.ofMillis(100)); // until its timeout
      run(sandbox, "echo", "1234", TIMEOUT); // within every limit again

      assertEquals(counts(Limit.MEMORY, 2, Limit.RESULT, 1, Limit.TIMEOUT, 1), hits(sandbox));
    }
  }

  private void run(Sandbox sandbox, String wat, String payload, Duration timeout) {
    Runs.run(sandbox, Guests.compile(Guests.wat(wat)), payload, timeout, out, err);
  }

  private static Map<Limit, Long> hits(Sandbox sandbox) {
    Map<Limit, Long> counts = new EnumMap<>(Limit.class);
    for (Limit limit : Limit.values()) {
      counts.put(limit, sandbox.limitHits().count(limit));
    }
    return counts;
  }

  /** Every limit at 0 but those given, as limit, count pairs. */
  private static Map<Limit, Long> counts(Object... pairs) {
    Map<Limit, Long> counts = new EnumMap<>(Limit.class);
    for (Limit limit : Limit.values()) {
      counts.put(limit, 0L);
    }
    for (int i = 0; i < pairs.length; i += 2) {
      counts.put((Limit) pairs[i], ((Integer) pairs[i + 1]).longValue());
    }
    return counts;
  }
}
