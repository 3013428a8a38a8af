-- enqueue: create a task hash and put its id at the back of its queue's pending list.
--
-- Safe to send again: the task id is made by the client before the first send, so a repeat
-- whose first copy ran (its reply lost to a timeout or a failover) finds the task and reports
-- it, instead of writing anything twice.
--
-- KEYS[1]  task hash        {prefix:queue}:task:<id>
-- KEYS[2]  pending list     {prefix:queue}:pending
-- KEYS[3]  marker zset      {prefix:queue}:marker
-- KEYS[4]  open hash        {prefix:queue}:open
-- KEYS[5]  retired hash     {prefix:queue}:retired
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
--
-- Output:
--    1  enqueued
--    0  a task with this id exists already: an earlier send of this request ran; nothing changed
--   -6  this version of the task's module was removed from the registry (retire_task_name);
--       nothing changed

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local retired = tonumber(redis.call('HGET', KEYS[5], ARGV[3]))
if retired and tonumber(ARGV[5]) <= retired then
  return -6
end

redis.call('HSET', KEYS[1],
  'id', ARGV[1],
  'queue', ARGV[2],
  'name', ARGV[3],
  'module_digest', ARGV[4],
  'module_version', ARGV[5],
  'kind', ARGV[6],
  'stage', 'pending',
  'payload', ARGV[7],
  'attempts', 0,
  'max_retries', ARGV[8],
  'retry_backoff_base_ms', ARGV[11],
  'retry_backoff_cap_ms', ARGV[12],
  'timeout_ms', ARGV[9],
  'created_at', ARGV[10],
  'lease_token', 0)
redis.call('LPUSH', KEYS[2], ARGV[1])
-- Wake one blocked worker; the member is always the same, so a burst leaves one marker.
redis.call('ZADD', KEYS[3], 0, 'work')
redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
return 1
