package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.lease.Presence.Role;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schedulers and reapers saying that they run, and {@code producer stats} counting them. */
@ExtendWith(RedisExtension.class)
class PresenceTest {
  private LeaseFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
  }

  @Test
  void aBeatCountsUntilItRunsOutOrIsTakenBack() {
    Presence one = presence(Role.SCHEDULER, "s1");
    Presence two = presence(Role.SCHEDULER, "s2");
    Presence reaper = presence(Role.REAPER, "r1");

    one.beat();
    two.beat();
    reaper.beat();

    assertEquals(2, alive(Role.SCHEDULER));
    assertEquals(1, alive(Role.REAPER));
    two.close();
    assertEquals(1, alive(Role.SCHEDULER), "taken back when it stops");
    f.clock.advance(Presence.TTL.plus(Duration.ofMillis(1)));
    assertEquals(0, alive(Role.SCHEDULER), "one killed runs out");
  }

  @Test
  void aBeatDropsTheWordsThatRanOut() {
    presence(Role.REAPER, "dead").beat();
    f.clock.advance(Presence.TTL.plus(Duration.ofSeconds(1)));

    presence(Role.REAPER, "live").beat();

    assertEquals(
        Map.of("live", (double) (f.clock.millis() + Presence.TTL.toMillis())),
        f.state().get(f.keys.alive("reaper")));
  }

  private Presence presence(Role role, String id) {
    return new Presence(f.session.redis(), f.keys, role, id, f.clock);
  }

  private long alive(Role role) {
    return Presence.alive(f.session.redis(), f.keys, role, f.clock);
  }
}
