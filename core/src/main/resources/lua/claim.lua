-- claim: move up to N tasks from pending to processing, giving each a lease held by one worker.
--
-- A claimed task is always in processing AND in the timeout zset (scored by lease expiry), and
-- its hash names the worker and the lease token, so a worker that dies at any point after this
-- script leaves a task the reaper can find by expiry and recover.
--
-- KEYS[1]  pending list     {prefix:queue}:pending
-- KEYS[2]  processing list  {prefix:queue}:processing
-- KEYS[3]  timeout zset     {prefix:queue}:timeout
-- KEYS[4]  marker zset      {prefix:queue}:marker
--
-- ARGV[1]  task key prefix  {prefix:queue}:task:
-- ARGV[2]  worker id
-- ARGV[3]  now, ms since the epoch
-- ARGV[4]  most tasks to claim, >= 1
-- ARGV[5]  lease grace, ms: lease expiry = now + the task's timeout_ms + grace
--
-- Output:
--   an array with one entry per claimed task, oldest first; each entry is the flat
--   field/value array of the task hash after the claim (as HGETALL returns it).
--   Empty when pending is empty. An id in pending whose hash is gone (deleted by hand)
--   is dropped, not claimed. The marker is left set exactly when pending is not empty.

local now = tonumber(ARGV[3])
local grace = tonumber(ARGV[5])
local claimed = {}

for _ = 1, tonumber(ARGV[4]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then
    break
  end
  local task = ARGV[1] .. id
  local timeout = redis.call('HGET', task, 'timeout_ms')
  if not timeout then
    redis.call('LREM', KEYS[2], 1, id)
  else
    local expires = now + tonumber(timeout) + grace
    redis.call('HINCRBY', task, 'attempts', 1)
    redis.call('HINCRBY', task, 'lease_token', 1)
    redis.call('HSET', task,
      'stage', 'in_progress',
      'started_at', now,
      'worker_id', ARGV[2],
      'lease_expires_at', expires)
    redis.call('ZADD', KEYS[3], expires, id)
    claimed[#claimed + 1] = redis.call('HGETALL', task)
  end
end

-- More work is waiting: leave a marker so another blocked worker wakes for it. None is: take
-- the marker away so idle workers do not wake for nothing.
if redis.call('LLEN', KEYS[1]) > 0 then
  redis.call('ZADD', KEYS[4], 0, 'work')
else
  redis.call('DEL', KEYS[4])
end
return claimed
