package dev.taskqueue.registry;

import dev.taskqueue.error.ConflictException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleName;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.ScriptReply;
import java.util.Map;
import java.util.Objects;

/**
 * Removes a module name with every version, but not while tasks of that name are pending or in
 * progress, unless forced: those tasks would fail when a worker reaches them.
 *
 * <p>The check and the removal are two steps, so a producer can still submit a task of the name
 * between them; that task fails like one removed with {@code --force}. One script cannot close the
 * gap: each queue's counts live in its own Redis Cluster slot, apart from the module keys.
 */
public final class ModuleRemover {
  private final ModuleStore store;
  private final TaskInspector tasks;

  public ModuleRemover(ModuleStore store, TaskInspector tasks) {
    this.store = Objects.requireNonNull(store);
    this.tasks = Objects.requireNonNull(tasks);
  }

  /**
   * What a removal did.
   *
   * @param versions how many versions were removed
   * @param newest the newest version before the removal
   * @param openTasks per queue, the tasks of this name that were open (left to fail) when forced
   */
  public record Removed(int versions, ModuleVersion newest, Map<String, Long> openTasks) {}

  /**
   * Removes every version of {@code name}.
   *
   * @throws NotFoundException when no module has that name
   * @throws ConflictException when tasks of that name are open and {@code force} is false
   */
  public Removed remove(String name, boolean force) {
    ModuleName.check(name);
    ModuleVersion newest =
        store.latest(name).orElseThrow(() -> ScriptReply.NO_SUCH_MODULE.toException(name));
    Map<String, Long> open = tasks.openTasks(name);
    if (!open.isEmpty() && !force) {
      throw new ConflictException(
          "module '"
              + name
              + "' still has open tasks (pending or in progress): "
              + Display.openTasks(open)
              + "; wait for them to finish, or rerun with --force to remove it anyway, and those"
              + " tasks will then fail when a worker reaches them");
    }
    return new Removed(store.remove(name), newest, open);
  }
}
