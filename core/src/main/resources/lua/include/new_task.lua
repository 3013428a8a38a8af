-- new_task: how a task hash is first written, once for every way a task is created: enqueue.lua
-- (a submission) and fire_schedule.lua (a cron firing). A task is created pending, or scheduled
-- to run later; either way it is open (counted per task name) until it ends.

-- Writes the hash of a new task `key`: `stage` (pending, or scheduled to run later) and the
-- fields given, in this order: id, name, shape (encode_shape, include/shape.lua: what the tasks
-- of one call share, made once for them), payload, created_at, then those only some tasks have,
-- nil for none: run_at (a task to run later), schedule and fire_at (a cron firing: both or
-- neither), limits (the task's own). A new task has no attempts and no lease token yet: readers
-- take a missing one as 0. Counts the task in `opened` (task name -> new tasks), which open_tasks
-- then adds to the queue's open hash: one command per name for a whole batch.
--
-- Positional, not a table of fields: a batch of a thousand writes a thousand hashes, and a Lua
-- table per task cost more than the HSET it fed.
local function create_task(key, stage, opened, id, name, shape, payload, created_at, run_at,
    schedule, fire_at, limits)
  local fields = {'stage', stage, 'id', id, 'name', name, 'shape', shape, 'payload', payload,
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
