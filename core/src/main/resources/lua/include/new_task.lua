-- new_task: how a task hash is first written, once for every way a task is created: enqueue.lua
-- (a submission) and fire_schedule.lua (a cron firing). A task is created pending, or scheduled
-- to run later; either way it is open (counted per task name) until it ends.

-- The fields a new task's hash may be given, in the order they are written.
local NEW_TASK_FIELDS = {'id', 'queue', 'name', 'module_digest', 'module_version', 'kind',
  'payload', 'max_retries', 'retry_backoff_base_ms', 'retry_backoff_cap_ms', 'timeout_ms',
  'created_at', 'run_at', 'schedule', 'fire_at', 'limits'}

-- Writes the hash of a new task from `f`, a table of its fields (id, queue, name, module_digest,
-- module_version, kind, payload, max_retries, retry_backoff_base_ms, retry_backoff_cap_ms,
-- timeout_ms, created_at, limits when the task has its own, and schedule and fire_at for a cron
-- firing), with `stage` and the
-- counters every new task starts with, and counts it in `opened` (task name -> new tasks), which
-- open_tasks then adds to the queue's open hash: one command per name for a whole batch.
local function create_task(task, stage, f, opened)
  local fields = {'stage', stage, 'attempts', 0, 'lease_token', 0}
  for _, name in ipairs(NEW_TASK_FIELDS) do
    local value = f[name]
    if value then
      fields[#fields + 1] = name
      fields[#fields + 1] = value
    end
  end
  redis.call('HSET', task, unpack(fields))
  opened[f.name] = (opened[f.name] or 0) + 1
end

-- Counts the tasks create_task made as open in `open`, the queue's open hash, and as submitted
-- (for good: submitted:<name>, what the reaper exports as taskqueue_tasks_submitted_total) in
-- `stats`, the queue's stats hash.
local function open_tasks(open, stats, opened)
  for name, count in pairs(opened) do
    redis.call('HINCRBY', open, name, count)
    redis.call('HINCRBY', stats, 'submitted:' .. name, count)
  end
end
