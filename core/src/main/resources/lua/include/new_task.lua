-- new_task: how a task hash is first written, once for every way a task is created: enqueue.lua
-- (a submission) and fire_schedule.lua (a cron firing). A task is created pending, or scheduled
-- to run later; either way it is open (counted per task name) until it ends.

-- Writes the hash of a new task `key`: `stage` (pending, or scheduled to run later), the counters
-- every new task starts with, and the fields given, in this order: id, queue, name, module_digest,
-- module_version, kind, payload, max_retries, retry_backoff_base_ms, retry_backoff_cap_ms,
-- timeout_ms, created_at, then those only some tasks have, nil for none: run_at (a task to run
-- later), schedule and fire_at (a cron firing: both or neither), limits (the task's own). Counts the task in
-- `opened` (task name -> new tasks), which open_tasks then adds to the queue's open hash: one
-- command per name for a whole batch.
--
-- Positional, not a table of fields: a batch of a thousand writes a thousand hashes, and a Lua
-- table per task cost more than the HSET it fed.
local function create_task(key, stage, opened, id, queue, name, module_digest, module_version,
    kind, payload, max_retries, retry_backoff_base_ms, retry_backoff_cap_ms, timeout_ms,
    created_at, run_at, schedule, fire_at, limits)
  -- '0' as text: a Lua number is printed again for every command it is passed to.
  local fields = {'stage', stage, 'attempts', '0', 'lease_token', '0', 'id', id, 'queue', queue,
    'name', name, 'module_digest', module_digest, 'module_version', module_version, 'kind', kind,
    'payload', payload, 'max_retries', max_retries, 'retry_backoff_base_ms', retry_backoff_base_ms,
    'retry_backoff_cap_ms', retry_backoff_cap_ms, 'timeout_ms', timeout_ms,
    'created_at', created_at}
  local n = #fields
  if run_at then
    fields[n + 1], fields[n + 2], n = 'run_at', run_at, n + 2
  end
  if schedule then
    fields[n + 1], fields[n + 2], fields[n + 3], fields[n + 4], n =
      'schedule', schedule, 'fire_at', fire_at, n + 4
  end
  if limits then
    fields[n + 1], fields[n + 2] = 'limits', limits
  end
  redis.call('HSET', key, unpack(fields))
  opened[name] = (opened[name] or 0) + 1
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
