package dev.taskqueue.redis;

import dev.taskqueue.task.TaskId;
import java.util.List;
import java.util.Objects;

/**
 * Every Redis key task-queue uses, and nothing else makes key names. All keys of one queue share
 * the hash tag {@code {prefix:queue}} and all module keys (with the queue index) share {@code
 * {prefix}}, so every script touches a single Redis Cluster slot, and every key it touches is named
 * in its KEYS. See {@code docs/data-model.md}.
 */
public final class Keys {
  private final String prefix;

  public Keys(String prefix) {
    Objects.requireNonNull(prefix);
    if (prefix.isEmpty() || prefix.contains("{") || prefix.contains("}") || prefix.contains(":")) {
      throw new IllegalArgumentException("bug: key prefix '" + prefix + "' was not validated");
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /**
   * SET of every queue name that ever had a task submitted. It shares the module keys' slot so that
   * removing a module can check, atomically, that no queue appeared while it was being retired.
   */
  public String queues() {
    return moduleTag() + ":queues";
  }

  /** LIST of ids waiting to run; producers push on the left, workers take from the right. */
  public String pending(String queue) {
    return tag(queue) + ":pending";
  }

  /** LIST of ids a worker has claimed and not yet finished. */
  public String processing(String queue) {
    return tag(queue) + ":processing";
  }

  /**
   * The queue's keys every end of an attempt may touch, in the order {@code include/attempt.lua}
   * takes them: pending, processing, timeout, finished, dlq, scheduled, marker, open, stats.
   */
  public List<String> attemptEnding(String queue) {
    return List.of(
        pending(queue),
        processing(queue),
        timeout(queue),
        finished(queue),
        dlq(queue),
        scheduled(queue),
        marker(queue),
        open(queue),
        stats(queue));
  }

  /** LIST of ids that completed, newest first. */
  public String finished(String queue) {
    return tag(queue) + ":finished";
  }

  /** LIST of ids whose retries are spent (dead-letter queue), newest first. */
  public String dlq(String queue) {
    return tag(queue) + ":dlq";
  }

  /** ZSET of ids to run later (scheduled tasks, retries waiting out their backoff) by run-at ms. */
  public String scheduled(String queue) {
    return tag(queue) + ":scheduled";
  }

  /** ZSET of claimed ids scored by lease expiry milliseconds; the reaper's work list. */
  public String timeout(String queue) {
    return tag(queue) + ":timeout";
  }

  /**
   * The pub/sub channel (not a key) on which scripts that schedule something publish its due time,
   * so a scheduler sleeping until a later time wakes for it.
   */
  public String schedulerChannel() {
    return prefix + ":scheduler-wake";
  }

  /** ZSET of the queue's active cron schedules, name scored by next fire time ms. */
  public String schedules(String queue) {
    return tag(queue) + ":schedules";
  }

  /** HASH of one cron schedule: its definition and its state; see {@code docs/scheduling.md}. */
  public String schedule(String queue, String name) {
    return tag(queue) + ":schedule:" + name;
  }

  /** HASH schedule name to its queue: schedule names are unique across queues. */
  public String scheduleNames() {
    return moduleTag() + ":schedule-names";
  }

  /** ZSET holding one member while the queue may have work: what idle workers block on. */
  public String marker(String queue) {
    return tag(queue) + ":marker";
  }

  /**
   * HASH of the queue's counts: {@code submitted:<task name>}, tasks ever created; {@code
   * completed:<bucket>} and {@code failed:<bucket>}, attempts ended in each 10 s bucket of the last
   * minute or so.
   */
  public String stats(String queue) {
    return tag(queue) + ":stats";
  }

  /**
   * STRING, there while the queue is paused: when it was paused, ms. Workers claim nothing from a
   * paused queue ({@code pause_queue.lua}).
   */
  public String paused(String queue) {
    return tag(queue) + ":paused";
  }

  /** HASH task name to how many of its tasks are not yet finished in this queue. */
  public String open(String queue) {
    return tag(queue) + ":open";
  }

  /** HASH task name to the newest module version removed from the registry: not enqueued. */
  public String retired(String queue) {
    return tag(queue) + ":retired";
  }

  /**
   * HASH task name to {@code <version> <digest>}: the newest module version of the name this queue
   * knows, which enqueue pins tasks to. The registry's keys live in another slot, so each queue
   * keeps this copy in its own (see {@code include/queue_module.lua}).
   */
  public String modules(String queue) {
    return tag(queue) + ":modules";
  }

  /** STRING: what one claimer's latest claim request took, so a repeat returns the same. */
  public String claimRecord(String queue, String claimerId) {
    return tag(queue) + ":claim:" + claimerId;
  }

  /**
   * HASH claim record key to a packed standing: the idle workers that new tasks of the queue are
   * handed to with no claim ({@code stand_by.lua}).
   */
  public String standing(String queue) {
    return tag(queue) + ":standing";
  }

  /**
   * ZSET of the tasks handed to one claimer while it stood by, each member one packed claim reply,
   * until its wait pops them ({@code enqueue.lua}).
   */
  public String handoff(String queue, String claimerId) {
    return tag(queue) + ":handoff:" + claimerId;
  }

  /** HASH of one task; see {@link dev.taskqueue.task.TaskFields}. */
  public String task(String queue, TaskId id) {
    return task(queue, id.value());
  }

  /** The hash of the task with this id as read from Redis, before it is known to be valid. */
  public String task(String queue, String id) {
    return tag(queue) + ":task:" + id;
  }

  /**
   * STREAM of the task's output, every attempt's lines (fields t, a, s, l: time in ms, attempt,
   * stream, text); deleted with the task.
   */
  public String taskLog(String queue, String id) {
    return tag(queue) + ":log:" + id;
  }

  /**
   * ZSET of the process ids of the schedulers (or reapers, as {@code role} says) that run, scored
   * by when their word that they run expires, ms.
   */
  public String alive(String role) {
    return moduleTag() + ":alive:" + role;
  }

  /** ZSET of live worker ids scored by heartbeat expiry ms. */
  public String workers() {
    return moduleTag() + ":workers";
  }

  /** HASH of one worker's latest heartbeat: host, pid, version, slots, busy, started_at, ... */
  public String worker(String workerId) {
    return moduleTag() + ":worker:" + workerId;
  }

  /** HASH module name to its latest version number. */
  public String moduleNames() {
    return moduleTag() + ":module-names";
  }

  /**
   * HASH module name to the last version number ever issued: kept when the name is removed, so a
   * name uploaded again continues from there and never reuses a removed version's number.
   */
  public String moduleSeq() {
    return moduleTag() + ":module-seq";
  }

  /** HASH describing one version of a module: digest, size, uploaded_at, source, upload_id. */
  public String moduleVersion(String name, int version) {
    return moduleTag() + ":module:" + name + ":v" + version;
  }

  /** STRING holding the bytes of a module, keyed by content digest. */
  public String moduleBlob(String digest) {
    return moduleTag() + ":blob:" + digest;
  }

  /** SET of module names whose versions use a blob; the blob goes when it empties. */
  public String moduleRefs(String digest) {
    return moduleTag() + ":blob-refs:" + digest;
  }

  private String tag(String queue) {
    return "{" + prefix + ":" + queue + "}";
  }

  private String moduleTag() {
    return "{" + prefix + "}";
  }
}
