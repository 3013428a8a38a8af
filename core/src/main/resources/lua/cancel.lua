-- cancel: take a task that has not started out of its queue: pending, scheduled to run later, or
-- waiting for a retry. It is kept as cancelled, in finished, like a task that ended.
--
-- Safe to send again: a repeat finds the task cancelled and says so.
--
-- KEYS[1]  task hash       {prefix:queue}:task:<id>
-- KEYS[2]  pending list    {prefix:queue}:pending
-- KEYS[3]  scheduled zset  {prefix:queue}:scheduled
-- KEYS[4]  finished list   {prefix:queue}:finished
-- KEYS[5]  open hash       {prefix:queue}:open
--
-- ARGV[1]  task id
-- ARGV[2]  now, ms since the epoch
--
-- Output:
--    1  cancelled
--    0  already cancelled: an earlier send of this request ran
--   -1  no such task
--   -7  the task is running: it cannot be cancelled (yet)
--   -8  the task has ended already (completed or dead)

local held = redis.call('HMGET', KEYS[1], 'stage', 'name')
local stage = held[1]
if not stage then
  return -1
end
if stage == 'cancelled' then
  return 0
end
if stage == 'in_progress' then
  return -7
end
if stage == 'pending' then
  redis.call('LREM', KEYS[2], 0, ARGV[1])
elseif stage == 'scheduled' or stage == 'retrying' then
  redis.call('ZREM', KEYS[3], ARGV[1])
else
  return -8
end
redis.call('HSET', KEYS[1], 'stage', 'cancelled', 'finished_at', ARGV[2])
redis.call('HDEL', KEYS[1], 'run_at')
redis.call('LPUSH', KEYS[4], ARGV[1])
if held[2] and redis.call('HINCRBY', KEYS[5], held[2], -1) <= 0 then
  redis.call('HDEL', KEYS[5], held[2])
end
return 1
