package dev.taskqueue.schedule;

import dev.taskqueue.logging.LogFields;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScoredHead;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires a queue's due cron schedules: for each, the firings due by its catch-up policy become tasks
 * in one {@code fire_schedule.lua} call, which applies only if the schedule's next fire time is
 * still what was read, so any number of schedulers fire each time once. Each firing runs the newest
 * version of the schedule's task module at its fire time.
 */
public final class ScheduleFirer {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirer.class);
  private static final java.time.Duration CORRUPT_RETRY = java.time.Duration.ofMinutes(1);

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final ModuleStore modules;
  private final TaskIdGenerator ids;
  private final SchedulerMetrics metrics;

  public ScheduleFirer(Redis redis, Keys keys, Clock clock) {
    this(redis, keys, clock, SchedulerMetrics.unregistered());
  }

  /** A firer counting what it fires in {@code metrics}. */
  public ScheduleFirer(Redis redis, Keys keys, Clock clock, SchedulerMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics);
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.modules = new ModuleStore(redis, keys);
    this.ids = new TaskIdGenerator(clock);
  }

  /**
   * Fires up to {@code max} due schedules of {@code queue}.
   *
   * @return how many tasks they made
   */
  public long fireDue(String queue, int max) {
    long made = 0;
    for (String name :
        redis.sortedSets().rangeByScore(keys.schedules(queue), clock.millis(), max)) {
      made += fireNamed(queue, name).made();
    }
    return made;
  }

  /**
   * Fires the schedules a sweep read due in {@code queue}'s schedules set ({@code head}, at most
   * {@code max}).
   *
   * @return when a schedule of the queue fires next, if any: the earliest of the read's lowest
   *     score above the time it was read as of and the fire times just set; read again when one of
   *     those is not known (another scheduler fired it first) or the read was full
   */
  public Optional<Instant> fireDue(String queue, ScoredHead head, int max) {
    Optional<Instant> next = head.lowestAbove().map(Instant::ofEpochMilli);
    boolean known = head.upTo().size() < max;
    for (String name : head.upTo().keySet()) {
      Fired fired = fireNamed(queue, name);
      known &= fired.moved();
      next = earliest(next, fired.next());
    }
    return known ? next : nextFire(queue);
  }

  /** Fires the schedule {@code name}, listed as due. */
  private Fired fireNamed(String queue, String name) {
    Map<String, String> hash = redis.hgetall(keys.schedule(queue, name));
    if (hash.isEmpty()) {
      // Removed since it was listed, or its hash deleted by hand: nothing left to fire.
      redis.sortedSets().zrem(keys.schedules(queue), name);
      return new Fired(0, true, Optional.empty());
    }
    Schedule schedule;
    try {
      schedule = Schedule.read(hash);
    } catch (IllegalStateException e) {
      // Look again in a minute, rather than at once, again and again.
      Instant again = clock.instant().plus(CORRUPT_RETRY);
      redis.sortedSets().zadd(keys.schedules(queue), again.toEpochMilli(), name);
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "schedule.corrupt")
          .log("{}; fix or remove it in Redis", e.getMessage());
      return new Fired(0, true, Optional.of(again));
    }
    if (schedule.nextFireAt().isEmpty()) {
      return new Fired(0, false, Optional.empty());
    }
    Instant now = clock.instant();
    Firings firings = firings(schedule, now);
    long reply = fire(schedule, firings, now);
    return reply == ScriptReply.STALE.code()
        ? new Fired(0, false, Optional.empty())
        : new Fired(Math.max(0, reply), true, firings.next());
  }

  /**
   * What firing one listed schedule did.
   *
   * @param made the tasks made
   * @param moved whether the schedule's place in the schedules set is known: moved on by this
   *     firing (to {@code next}, or out when it fires no more), or removed
   * @param next when it fires next, if {@code moved} and it does
   */
  private record Fired(long made, boolean moved, Optional<Instant> next) {}

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.filter(i -> i.isBefore(a.get())).or(() -> a);
  }

  /** Fires one due schedule; returns the tasks made, or a negative script code. */
  long fire(Schedule schedule) {
    Instant now = clock.instant();
    return fire(schedule, firings(schedule, now), now);
  }

  private static Firings firings(Schedule schedule, Instant now) {
    return Firings.due(
        schedule.cron(), schedule.catchUp(), schedule.nextFireAt().orElseThrow(), now);
  }

  /**
   * Fires {@code firings} of a due schedule, worked out at {@code now}; returns the tasks made, or
   * a negative script code.
   */
  private long fire(Schedule schedule, Firings firings, Instant now) {
    Instant due = schedule.nextFireAt().orElseThrow();
    Optional<ModuleVersion> module = modules.latest(schedule.taskName());
    String queue = schedule.queue();
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(
                keys.schedule(queue, schedule.name()),
                keys.schedules(queue),
                keys.pending(queue),
                keys.marker(queue),
                keys.open(queue),
                keys.retired(queue),
                keys.stats(queue)));
    List<Object> args =
        new ArrayList<>(
            List.of(
                schedule.name(),
                due.toEpochMilli(),
                firings.next().map(Instant::toEpochMilli).orElse(0L),
                now.toEpochMilli(),
                queue,
                schedule.taskName(),
                module.map(ModuleVersion::digest).orElse(""),
                module.map(ModuleVersion::version).orElse(0),
                schedule.payload(),
                schedule.maxRetries(),
                schedule.timeout().toMillis(),
                schedule.retryBackoff().base().toMillis(),
                schedule.retryBackoff().cap().toMillis(),
                schedule.limits().toJson()));
    if (module.isPresent()) {
      for (Instant fireAt : firings.fireTimes()) {
        TaskId id = ids.next();
        scriptKeys.add(keys.task(queue, id));
        args.add(id.value());
        args.add(fireAt.toEpochMilli());
      }
    }
    long reply = redis.scripts().evalLong(LuaScript.FIRE_SCHEDULE, scriptKeys, args);
    if (reply == ScriptReply.STALE.code()) {
      return reply; // another scheduler fired it first: nothing to say
    }
    metrics.fired(queue, Math.max(0, reply), java.time.Duration.between(due, now));
    if (module.isEmpty() || reply == ScriptReply.TASK_NAME_RETIRED.code()) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "schedule.no_module")
          .log(
              "schedule {} fired no task: {}",
              schedule.name(),
              module.isEmpty()
                  ? "no module is registered as " + schedule.taskName()
                  : "version "
                      + module.get().version()
                      + " of "
                      + schedule.taskName()
                      + " was removed");
    } else if (firings.missed() > 0) {
      LOG.atInfo()
          .addKeyValue(LogFields.EVENT, "schedule.caught_up")
          .log(
              "schedule {} missed {} firings while no scheduler ran; by its catch-up policy ({})"
                  + " it made {} tasks",
              schedule.name(),
              firings.missed(),
              schedule.catchUp().wireName(),
              reply);
    }
    return reply;
  }

  /** When the earliest active schedule of {@code queue} fires next, if any. */
  public Optional<Instant> nextFire(String queue) {
    return redis.sortedSets().lowestScore(keys.schedules(queue)).map(Instant::ofEpochMilli);
  }
}
