package dev.taskqueue.submission;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.task.NewTask;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The module versions one submit read from the registry itself, by task name, and the errors about
 * them. Most submits read none: the queue pins the newest version it knows. A name is read when a
 * queue knows no version of it (or only a removed one), and for every name of a batch that spans
 * several calls, and its tasks are then sent with that version pinned.
 */
final class ModulePins {
  private final ModuleStore modules;
  private final Clock clock;
  private final Instant deadline;
  private final IntFunction<String> where;
  private final Map<String, ModuleVersion> read = new HashMap<>();

  ModulePins(ModuleStore modules, Clock clock, Instant deadline, IntFunction<String> where) {
    this.modules = modules;
    this.clock = clock;
    this.deadline = deadline;
    this.where = where;
  }

  /** {@code task} pinned to the version read for its name, if one was; else as it is. */
  NewTask pin(NewTask task) {
    ModuleVersion version = read.get(task.name());
    return version == null ? task : task.withModule(version.digest(), version.version());
  }

  /** Reads every name of {@code tasks}, naming the first entry of a name that has no module. */
  void resolveAll(List<NewTask> tasks) {
    for (int i = 0; i < tasks.size(); i++) {
      if (!read.containsKey(tasks.get(i).name())) {
        resolve(tasks.get(i).name(), i);
      }
    }
  }

  /**
   * Reads the newest version of {@code name} from the registry.
   *
   * @throws NotFoundException naming entry {@code index} when no module has that name
   */
  void resolve(String name, int index) {
    // A read is always safe to send again; during a failover it can time out like a write.
    ModuleVersion version =
        Resend.until(deadline, clock, () -> modules.latest(name))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        where.apply(index) + ModuleStore.unknownTask(name).getMessage()));
    read.put(name, version);
  }

  /** The error for a task whose pinned version was retired in its queue while it was submitted. */
  NotFoundException removedWhileSubmitting(NewTask task, int index, int queued) {
    return new NotFoundException(
        where.apply(index)
            + "unknown task '"
            + task.name()
            + "': its module (v"
            + task.moduleVersion()
            + ") was removed from the registry while the task was being submitted; "
            + (queued == 0
                ? "nothing was queued"
                : "the " + queued + " tasks sent before it were queued, it and the rest were not")
            + "; see 'registry list'");
  }
}
