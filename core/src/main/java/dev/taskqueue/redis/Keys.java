package dev.taskqueue.redis;

import dev.taskqueue.task.TaskId;
import java.util.Objects;

/**
 * Every Redis key task-queue uses, and nothing else makes key names. All keys of one queue share
 * the hash tag {@code {prefix:queue}} and all module keys share {@code {prefix}}, so every
 * multi-key script touches a single Redis Cluster slot. See {@code docs/data-model.md}.
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

  /** SET of every queue name that ever had a task submitted. */
  public String queues() {
    return prefix + ":queues";
  }

  /** LIST of ids waiting to run; producers push on the left, workers take from the right. */
  public String pending(String queue) {
    return tag(queue) + ":pending";
  }

  /** LIST of ids a worker has claimed and not yet finished. */
  public String processing(String queue) {
    return tag(queue) + ":processing";
  }

  /** LIST of ids that completed or failed, newest first. */
  public String finished(String queue) {
    return tag(queue) + ":finished";
  }

  /** LIST of ids whose retries are spent (dead-letter queue). */
  public String dlq(String queue) {
    return tag(queue) + ":dlq";
  }

  /** ZSET of ids to run later, scored by run-at milliseconds. */
  public String scheduled(String queue) {
    return tag(queue) + ":scheduled";
  }

  /** ZSET of claimed ids scored by lease expiry milliseconds; the reaper's work list. */
  public String timeout(String queue) {
    return tag(queue) + ":timeout";
  }

  /** ZSET holding one member while the queue may have work: what idle workers block on. */
  public String marker(String queue) {
    return tag(queue) + ":marker";
  }

  /** HASH task name to how many of its tasks are not yet finished in this queue. */
  public String open(String queue) {
    return tag(queue) + ":open";
  }

  /** HASH of one task; see {@link dev.taskqueue.task.TaskFields}. */
  public String task(String queue, TaskId id) {
    return taskPrefix(queue) + id.value();
  }

  /** What {@link #task} puts before the id; scripts that touch many tasks build keys from it. */
  public String taskPrefix(String queue) {
    return tag(queue) + ":task:";
  }

  /** HASH module name to its latest version number. */
  public String moduleNames() {
    return moduleTag() + ":module-names";
  }

  /** HASH describing one version of a module: digest, size, uploaded_at, source. */
  public String moduleVersion(String name, int version) {
    return moduleVersionPrefix(name) + version;
  }

  /** What {@link #moduleVersion} puts before the version number. */
  public String moduleVersionPrefix(String name) {
    return moduleTag() + ":module:" + name + ":v";
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
