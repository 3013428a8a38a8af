package dev.taskqueue.schedule;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.ConflictException;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleSchedules;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import dev.taskqueue.task.Names;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cron schedules: add, read, remove, pause and resume. A schedule lives in its queue's slot, where
 * its firings create tasks atomically ({@code fire_schedule.lua}); its name is unique across queues
 * through the name index {@code {prefix}:schedule-names}, claimed first ({@code
 * claim_schedule_name.lua}).
 */
public final class ScheduleStore implements ModuleSchedules {
  /** How long a name's claim in the index is taken as an add on its way, not a stale entry. */
  static final Duration NAME_CLAIM_GRACE = Duration.ofMinutes(1);

  private final Redis redis;
  private final Keys keys;
  private final Config config;
  private final ModuleStore modules;
  private final Clock clock;

  public ScheduleStore(Redis redis, Keys keys, Config config, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.config = Objects.requireNonNull(config);
    this.clock = Objects.requireNonNull(clock);
    this.modules = new ModuleStore(redis, keys);
  }

  /**
   * Adds a schedule that submits {@code submission} (task, payload, queue and the rules of its
   * tasks) at every fire time of {@code cron} in {@code zone}.
   *
   * @throws InvalidInputException for a bad name, expression, zone or submission
   * @throws NotFoundException when no module has the task's name
   * @throws ConflictException when a schedule has this name
   */
  public Schedule add(
      String name, Submission submission, String cron, String zone, CatchUp catchUp) {
    Names.check("schedule name", name);
    if (submission.runAt().isPresent()) {
      throw new InvalidInputException("a schedule's tasks run at its fire times: give no run-at");
    }
    SubmissionRules.Checked checked = SubmissionRules.check(submission, config, clock);
    CronExpression expression = CronExpression.parse(cron, zone);
    Instant now = clock.instant();
    Instant first =
        expression
            .nextAfter(now)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "cron expression '"
                            + cron
                            + "' never fires: check its day and month fields (a 30 February,"
                            + " say)"));
    modules.require(checked.taskName());
    Schedule schedule =
        new Schedule(
            name,
            checked.queue(),
            checked.taskName(),
            checked.payload(),
            expression,
            catchUp,
            checked.maxRetries(),
            checked.retryBackoff(),
            checked.timeout(),
            now,
            Optional.of(first),
            Optional.empty(),
            Optional.empty(),
            false,
            0,
            checked.limits());
    claimName(name, schedule.queue());
    // Schedulers look for due schedules in the queues of the index: add this one first.
    redis.sadd(keys.queues(), schedule.queue());
    List<Object> args = new ArrayList<>(List.of(name, addId(), first.toEpochMilli()));
    args.add(keys.schedulerChannel());
    new TreeMap<>(schedule.definition())
        .forEach(
            (field, value) -> {
              args.add(field);
              args.add(value);
            });
    long reply =
        redis
            .scripts()
            .evalLong(
                LuaScript.ADD_SCHEDULE,
                List.of(keys.schedule(schedule.queue(), name), keys.schedules(schedule.queue())),
                args);
    ScriptReply outcome = ScriptReply.of(LuaScript.ADD_SCHEDULE, reply);
    return switch (outcome) {
      case OK, ALREADY_DONE -> schedule;
      case NAME_TAKEN -> throw taken(name, schedule.queue());
      default -> throw outcome.unexpectedFrom(LuaScript.ADD_SCHEDULE);
    };
  }

  /**
   * Claims the name in the index ({@code claim_schedule_name.lua}). Held by another queue, it is
   * taken unless its claim is older than {@link #NAME_CLAIM_GRACE} and that queue has no schedule
   * of the name: then the entry is stale (an add or a removal stopped half-way) and taken over. A
   * younger claim may be another add still on its way, whose schedule is not written yet.
   */
  private void claimName(String name, String queue) {
    String stale = "";
    for (int tries = 0; tries < 2; tries++) {
      List<?> reply =
          redis
              .scripts()
              .evalList(
                  LuaScript.CLAIM_SCHEDULE_NAME,
                  List.of(keys.scheduleNames()),
                  List.of(name, queue, clock.millis(), stale));
      if (((Number) reply.get(0)).longValue() == 1) {
        return;
      }
      String entry = String.valueOf(reply.get(1));
      NameClaim holder = NameClaim.read(entry);
      boolean young = holder.at().plus(NAME_CLAIM_GRACE).isAfter(clock.instant());
      if (young || !redis.hgetall(keys.schedule(holder.queue(), name)).isEmpty()) {
        throw taken(name, holder.queue());
      }
      stale = entry;
    }
    // Another add took the stale entry over first.
    throw taken(name, claimOf(name).map(NameClaim::queue).orElse(queue));
  }

  /** The name index's entry for {@code name}, if any. */
  private Optional<NameClaim> claimOf(String name) {
    return redis.hget(keys.scheduleNames(), name).map(NameClaim::read);
  }

  /**
   * An entry of the name index: the queue that holds the name, and when it claimed it.
   *
   * @param at the epoch for an entry from before claims were timed
   */
  private record NameClaim(String queue, Instant at) {
    /** Reads {@code <queue> <claimed at ms>}, or just {@code <queue>}. */
    static NameClaim read(String entry) {
      int space = entry.indexOf(' ');
      if (space < 0) {
        return new NameClaim(entry, Instant.EPOCH);
      }
      String queue = entry.substring(0, space);
      try {
        return new NameClaim(
            queue, Instant.ofEpochMilli(Long.parseLong(entry.substring(space + 1))));
      } catch (NumberFormatException e) {
        return new NameClaim(queue, Instant.EPOCH);
      }
    }
  }

  private static ConflictException taken(String name, String queue) {
    return new ConflictException(
        "schedule '"
            + name
            + "' exists already (queue "
            + queue
            + "): choose another name, or remove it first with 'producer cron rm "
            + name
            + "'");
  }

  /** The schedule named {@code name}, if there is one. */
  public Optional<Schedule> find(String name) {
    Optional<NameClaim> claim = claimOf(name);
    if (claim.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> hash = redis.hgetall(keys.schedule(claim.get().queue(), name));
    return hash.isEmpty() ? Optional.empty() : Optional.of(Schedule.read(hash));
  }

  /**
   * The schedule named {@code name}.
   *
   * @throws NotFoundException naming it, and how to see the schedules there are
   */
  public Schedule require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no schedule is named '" + name + "': see 'producer cron list'"));
  }

  /** Every schedule, by name. */
  public List<Schedule> list() {
    List<Schedule> schedules = new ArrayList<>();
    for (String key : hashKeys().values()) {
      Map<String, String> hash = redis.hgetall(key);
      if (!hash.isEmpty()) {
        schedules.add(Schedule.read(hash));
      }
    }
    return schedules;
  }

  /**
   * The schedules that submit tasks of {@code taskName}, by name. Only each one's task is read, so
   * a schedule hash that is corrupt in another field does not stop a module's removal.
   */
  @Override
  public List<String> submitting(String taskName) {
    List<String> names = new ArrayList<>();
    hashKeys()
        .forEach(
            (name, key) -> {
              if (redis.hget(key, "task").orElse("").equals(taskName)) {
                names.add(name);
              }
            });
    return names;
  }

  /** Every schedule's name, in order, with the key of its hash in its queue. */
  private Map<String, String> hashKeys() {
    Map<String, String> keysByName = new TreeMap<>();
    redis
        .hgetall(keys.scheduleNames())
        .forEach(
            (name, entry) ->
                keysByName.put(name, keys.schedule(NameClaim.read(entry).queue(), name)));
    return keysByName;
  }

  /**
   * Removes a schedule; the tasks it fired stay.
   *
   * @throws NotFoundException when there is none of that name
   */
  public void remove(String name) {
    Schedule schedule = require(name);
    redis
        .scripts()
        .evalLong(
            LuaScript.REMOVE_SCHEDULE,
            List.of(keys.schedule(schedule.queue(), name), keys.schedules(schedule.queue())),
            List.of(name));
    redis.hdel(keys.scheduleNames(), name);
  }

  /**
   * Stops a schedule's firings.
   *
   * @return false when it was paused already
   */
  public boolean pause(String name) {
    return setPaused(require(name), "pause", "");
  }

  /**
   * Restarts a schedule's firings from its next fire time after now; firings missed while it was
   * paused are not made up.
   *
   * @return false when it was not paused
   */
  public boolean resume(String name) {
    Schedule schedule = require(name);
    Instant next =
        schedule
            .cron()
            .nextAfter(clock.instant())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "schedule '" + name + "' would fire no more: remove it instead"));
    return setPaused(schedule, "resume", next.toEpochMilli());
  }

  private boolean setPaused(Schedule schedule, String action, Object next) {
    long reply =
        redis
            .scripts()
            .evalLong(
                LuaScript.PAUSE_SCHEDULE,
                List.of(
                    keys.schedule(schedule.queue(), schedule.name()),
                    keys.schedules(schedule.queue())),
                List.of(schedule.name(), action, next, keys.schedulerChannel()));
    ScriptReply outcome = ScriptReply.of(LuaScript.PAUSE_SCHEDULE, reply);
    return switch (outcome) {
      case OK -> true;
      case ALREADY_DONE -> false;
      case NO_SUCH_TASK ->
          throw new NotFoundException("schedule '" + schedule.name() + "' is gone");
      default -> throw outcome.unexpectedFrom(LuaScript.PAUSE_SCHEDULE);
    };
  }

  private static String addId() {
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }
}
