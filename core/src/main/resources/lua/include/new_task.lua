-- new_task: how a task hash is first written, once for every way a task is created: enqueue.lua
-- (a submission) and fire_schedule.lua (a cron firing). A task is created pending, or scheduled
-- to run later; either way it is open (counted per task name) until it ends.

-- Writes the hash of a new task from `f`, a table of its fields (id, queue, name, module_digest,
-- module_version, kind, payload, max_retries, retry_backoff_base_ms, retry_backoff_cap_ms,
-- timeout_ms, created_at, and schedule and fire_at for a cron firing), with `stage` and the
-- counters every new task starts with. `open` is the queue's open hash.
local function create_task(task, open, stage, f)
  local fields = {'stage', stage, 'attempts', 0, 'lease_token', 0}
  for _, name in ipairs({'id', 'queue', 'name', 'module_digest', 'module_version', 'kind',
      'payload', 'max_retries', 'retry_backoff_base_ms', 'retry_backoff_cap_ms', 'timeout_ms',
      'created_at', 'run_at', 'schedule', 'fire_at'}) do
    if f[name] then
      fields[#fields + 1] = name
      fields[#fields + 1] = f[name]
    end
  end
  redis.call('HSET', task, unpack(fields))
  redis.call('HINCRBY', open, f.name, 1)
end
