package dev.taskqueue.module;

import java.util.List;

/**
 * The cron schedules that submit tasks of a module name: {@link ModuleRemover} refuses to remove a
 * name one of them uses, unless forced, since it would then fire no task.
 */
@FunctionalInterface
public interface ModuleSchedules {
  /** The names of the schedules that submit tasks of {@code moduleName}, in name order. */
  List<String> submitting(String moduleName);
}
