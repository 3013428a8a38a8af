-- enqueue: create a task hash and put its id at the back of its queue's pending list, or, for a
-- task to run later, in its queue's scheduled set at its run-at time.
--
-- Safe to send again: the task id is made by the client before the first send, so a repeat
-- whose first copy ran (its reply lost to a timeout or a failover) finds the task and reports
-- it, instead of writing anything twice.
--
-- KEYS[1]  task hash         {prefix:queue}:task:<id>
-- KEYS[2]  pending list      {prefix:queue}:pending
-- KEYS[3]  marker zset       {prefix:queue}:marker
-- KEYS[4]  open hash         {prefix:queue}:open
-- KEYS[5]  retired hash      {prefix:queue}:retired
-- KEYS[6]  scheduled zset    {prefix:queue}:scheduled
--
-- ARGV[1]  task id
-- ARGV[2]  queue name
-- ARGV[3]  task name
-- ARGV[4]  module digest, sha256:<hex>
-- ARGV[5]  module version
-- ARGV[6]  kind: immediate | scheduled | cron
-- ARGV[7]  payload (JSON text)
-- ARGV[8]  max retries
-- ARGV[9]  timeout of one attempt, ms
-- ARGV[10] created at, ms since the epoch
-- ARGV[11] retry backoff base, ms
-- ARGV[12] retry backoff cap, ms
-- ARGV[13] run at, ms since the epoch, or 0 to run now
-- ARGV[14] the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub)
--
-- Output:
--    1  enqueued (pending, or scheduled when ARGV[13] is not 0)
--    0  a task with this id exists already: an earlier send of this request ran; nothing changed
--   -6  this version of the task's module was removed from the registry (retire_task_name);
--       nothing changed

--- @include "new_task"
--- @include "retired"

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if retired(KEYS[5], ARGV[3], ARGV[5]) then
  return -6
end

local run_at = tonumber(ARGV[13])
local task = {id = ARGV[1], queue = ARGV[2], name = ARGV[3], module_digest = ARGV[4],
  module_version = ARGV[5], kind = ARGV[6], payload = ARGV[7], max_retries = ARGV[8],
  timeout_ms = ARGV[9], created_at = ARGV[10], retry_backoff_base_ms = ARGV[11],
  retry_backoff_cap_ms = ARGV[12]}
if run_at > 0 then
  task.run_at = ARGV[13]
  create_task(KEYS[1], KEYS[4], 'scheduled', task)
  redis.call('ZADD', KEYS[6], run_at, ARGV[1])
  -- Wake the schedulers sleeping until a later time: they look again and sleep until this one.
  redis.call('PUBLISH', ARGV[14], ARGV[13])
  return 1
end
create_task(KEYS[1], KEYS[4], 'pending', task)
redis.call('LPUSH', KEYS[2], ARGV[1])
-- Wake one blocked worker; the member is always the same, so a burst leaves one marker.
redis.call('ZADD', KEYS[3], 0, 'work')
return 1
