package dev.taskqueue.module;

import dev.taskqueue.error.ConflictException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.redis.ScriptReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Removes a module name with every version, but not while tasks of that name are pending or in
 * progress, nor while a cron schedule submits tasks of it, unless forced: those tasks would fail
 * when a worker reaches them, and the schedule would fire no task.
 *
 * <p>The open tasks live in each queue's slot and the module in another, so no one script can check
 * and remove. Instead: (1) in every queue, {@code retire_task_name.lua} refuses when tasks of the
 * name are open and otherwise stops that queue from accepting tasks of the versions being removed;
 * (2) {@code remove_module.lua} deletes the versions, refusing when a version was uploaded or a
 * queue appeared since (1), in which case it starts over. A submission racing the removal either
 * got its task in before (1), and is counted as open, or is refused by (1) as if it came after: no
 * task of a removed version is left to fail later. When (1) is refused in one queue, the queues
 * already retired are restored.
 */
public final class ModuleRemover {
  private static final int STALE_TRIES = 10;

  private final Redis redis;
  private final Keys keys;
  private final ModuleStore store;
  private final TaskInspector tasks;
  private final ModuleSchedules schedules;
  private final Clock clock;
  private final Duration resendFor;

  public ModuleRemover(
      Redis redis,
      Keys keys,
      ModuleStore store,
      TaskInspector tasks,
      ModuleSchedules schedules,
      Clock clock,
      Duration resendFor) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.store = Objects.requireNonNull(store);
    this.tasks = Objects.requireNonNull(tasks);
    this.schedules = Objects.requireNonNull(schedules);
    this.clock = Objects.requireNonNull(clock);
    this.resendFor = Objects.requireNonNull(resendFor);
  }

  /**
   * What a removal did.
   *
   * @param versions how many versions were removed
   * @param newest the newest version before the removal
   * @param openTasks per queue, the tasks of this name that were open (left to fail) when forced
   * @param schedules the cron schedules that submit tasks of this name (left to fire none until the
   *     name is uploaded again) when forced
   */
  public record Removed(
      int versions, ModuleVersion newest, Map<String, Long> openTasks, List<String> schedules) {}

  /**
   * Removes every version of {@code name}.
   *
   * @throws NotFoundException when no module has that name
   * @throws ConflictException when tasks of that name are open, or a cron schedule submits them,
   *     and {@code force} is false
   */
  public Removed remove(String name, boolean force) {
    ModuleName.check(name);
    Instant deadline = clock.instant().plus(resendFor);
    for (int attempt = 0; attempt < STALE_TRIES; attempt++) {
      List<ModuleVersion> versions = Resend.until(deadline, clock, () -> store.versions(name));
      if (versions.isEmpty()) {
        throw ModuleStore.noSuchModule(name);
      }
      ModuleVersion newest = versions.get(versions.size() - 1);
      Map<String, Long> open = Resend.until(deadline, clock, () -> tasks.openTasks(name));
      if (!open.isEmpty() && !force) {
        throw openTasks(name, open);
      }
      List<String> using = Resend.until(deadline, clock, () -> schedules.submitting(name));
      if (!using.isEmpty() && !force) {
        throw usedBySchedules(name, using);
      }
      List<String> queues = new ArrayList<>(Resend.until(deadline, clock, tasks::queues));
      retireEverywhere(name, versions, queues, force);
      int[] sends = {0};
      long reply;
      try {
        reply =
            resend(
                () -> {
                  sends[0]++;
                  return removeVersions(name, versions, queues.size());
                });
      } catch (RedisUnavailableException e) {
        throw new RedisUnavailableException(
            e.getMessage() + "; the removal of '" + name + "' may not have finished: run it again",
            e);
      }
      Removed removed =
          new Removed(versions.size(), newest, force ? open : Map.of(), force ? using : List.of());
      if (reply > 0) {
        return removed;
      }
      ScriptReply outcome = ScriptReply.of(LuaScript.REMOVE_MODULE, reply);
      switch (outcome) {
        case NO_SUCH_MODULE -> {
          if (sends[0] == 1) {
            throw ModuleStore.noSuchModule(name);
          }
          return removed; // an earlier send of this request removed it; its reply was lost
        }
        case STALE -> {
          // A version was uploaded or a queue appeared: retire that too, then remove again.
        }
        default -> throw outcome.unexpectedFrom(LuaScript.REMOVE_MODULE);
      }
    }
    throw new ConflictException(
        "module '" + name + "' kept changing while it was being removed; run the removal again");
  }

  /** Step (1) in every queue; restores the ones done when a queue refuses. */
  private void retireEverywhere(
      String name, List<ModuleVersion> versions, List<String> queues, boolean force) {
    int through = versions.get(versions.size() - 1).version();
    List<String> retired = new ArrayList<>();
    Map<String, Long> refused = new TreeMap<>();
    for (String queue : queues) {
      long open =
          resend(
              () ->
                  redis
                      .scripts()
                      .evalLong(
                          LuaScript.RETIRE_TASK_NAME,
                          List.of(keys.open(queue), keys.retired(queue)),
                          List.of(name, through, force ? "1" : "0")));
      if (open > 0) {
        refused.put(queue, open);
        break;
      }
      retired.add(queue);
    }
    if (refused.isEmpty()) {
      return;
    }
    int before = versions.get(0).version() - 1;
    for (String queue : retired) {
      resend(
          () ->
              redis
                  .scripts()
                  .evalLong(
                      LuaScript.RESTORE_TASK_NAME,
                      List.of(keys.retired(queue)),
                      List.of(name, through, before)));
    }
    throw openTasks(name, refused);
  }

  /** Step (2): the versions, and each blob only this name used. */
  private long removeVersions(String name, List<ModuleVersion> versions, int queues) {
    List<String> removeKeys = new ArrayList<>();
    removeKeys.add(keys.moduleNames());
    removeKeys.add(keys.queues());
    Set<String> digests = new LinkedHashSet<>();
    for (ModuleVersion version : versions) {
      removeKeys.add(keys.moduleVersion(name, version.version()));
      digests.add(version.digest());
    }
    for (String digest : digests) {
      removeKeys.add(keys.moduleBlob(digest));
      removeKeys.add(keys.moduleRefs(digest));
    }
    return redis
        .scripts()
        .evalLong(
            LuaScript.REMOVE_MODULE,
            removeKeys,
            List.of(name, versions.get(versions.size() - 1).version(), queues, versions.size()));
  }

  private long resend(java.util.function.Supplier<Long> request) {
    return Resend.until(clock.instant().plus(resendFor), clock, request);
  }

  private static ConflictException usedBySchedules(String name, List<String> using) {
    boolean one = using.size() == 1;
    return new ConflictException(
        "module '"
            + name
            + "' is used by cron "
            + (one ? "schedule " : "schedules ")
            + String.join(", ", using)
            + ": remove "
            + (one ? "it" : "them")
            + " first ('producer cron rm "
            + using.get(0)
            + "'), or rerun with --force to remove the module anyway, and "
            + (one ? "it" : "they")
            + " will then fire no task until a module named '"
            + name
            + "' is uploaded again");
  }

  private static ConflictException openTasks(String name, Map<String, Long> open) {
    return new ConflictException(
        "module '"
            + name
            + "' still has open tasks (pending or in progress): "
            + TaskInspector.describe(open)
            + "; wait for them to finish, or rerun with --force to remove it anyway, and those"
            + " tasks will then fail when a worker reaches them");
  }
}
