-- retired: whether a module version was removed from the registry in a queue, written once for
-- every way a task is created or given a fresh start (enqueue, fire_schedule, replay_dead): tasks
-- of a removed version are never made runnable.

-- Whether version `version` of task name `name` was removed from the registry in this queue
-- (retired hash, see retire_task_name.lua): such tasks are not created.
local function retired(retired_hash, name, version)
  local newest = tonumber(redis.call('HGET', retired_hash, name))
  return newest ~= nil and (tonumber(version) or 0) <= newest
end
