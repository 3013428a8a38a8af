-- end_attempt: end a claimed attempt, the one way out of in_progress for every caller:
--   completed  the result is recorded; the task moves from processing to finished
--   failed     the error is recorded; the task moves from processing to finished
--   released   the task goes back to the front of pending untouched (its worker is stopping);
--              the attempt stays counted: it started, and a task that never finishes must not
--              run forever
--
-- The holder must present the lease token of its claim, and the lease must not have expired:
-- a worker whose lease was taken over, or ran out, never overwrites what happened since.
--
-- Safe to send again: a repeat finds the task already ended this way under the same token and
-- says so, instead of reporting a lost lease for an outcome that was in fact recorded.
--
-- KEYS[1]  task hash        {prefix:queue}:task:<id>
-- KEYS[2]  processing list  {prefix:queue}:processing
-- KEYS[3]  timeout zset     {prefix:queue}:timeout
-- KEYS[4]  finished list    {prefix:queue}:finished
-- KEYS[5]  open hash        {prefix:queue}:open
-- KEYS[6]  pending list     {prefix:queue}:pending
-- KEYS[7]  marker zset      {prefix:queue}:marker
--
-- ARGV[1]  task id
-- ARGV[2]  lease token the worker holds
-- ARGV[3]  now, ms since the epoch
-- ARGV[4]  how the attempt ended: completed | failed | released
-- ARGV[5]  completed: the result text; failed: the error, one readable line; released: ''
-- ARGV[6]  completed: result encoding, utf-8 | base64; otherwise ''
-- ARGV[7]  log location, or '' when the task's output was not saved
--
-- Output:
--    1  ended as asked
--    0  already ended this way under this token: an earlier send of this request ran
--   -1  no such task
--   -2  lease lost: the task is not in progress under this token (another claim holds it);
--       nothing changed
--   -3  lease expired: the lease ran out before this request arrived; nothing changed

local ending = ARGV[4]
local stage = {completed = 'completed', failed = 'failed', released = 'pending'}
local held = redis.call('HMGET', KEYS[1], 'stage', 'lease_token', 'lease_expires_at', 'name')
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if held[2] ~= ARGV[2] then
  return -2
end
if held[1] ~= 'in_progress' then
  if held[1] == stage[ending] then
    return 0
  end
  return -2
end
local expires = tonumber(held[3])
if expires and expires < tonumber(ARGV[3]) then
  return -3
end

redis.call('LREM', KEYS[2], 1, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if ending == 'released' then
  redis.call('HSET', KEYS[1], 'stage', 'pending')
  redis.call('HDEL', KEYS[1], 'worker_id', 'lease_expires_at')
  -- Workers take from the right, so the right end is the front of the queue.
  redis.call('RPUSH', KEYS[6], ARGV[1])
  redis.call('ZADD', KEYS[7], 0, 'work')
  return 1
end

redis.call('HSET', KEYS[1], 'stage', stage[ending], 'finished_at', ARGV[3])
redis.call('HDEL', KEYS[1], 'lease_expires_at')
if ending == 'completed' then
  redis.call('HSET', KEYS[1], 'result', ARGV[5], 'result_encoding', ARGV[6])
  redis.call('HDEL', KEYS[1], 'error')
else
  redis.call('HSET', KEYS[1], 'error', ARGV[5])
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'log_path', ARGV[7])
end
redis.call('LPUSH', KEYS[4], ARGV[1])
-- A corrupt hash may lack its name; it was counted under the name it had when enqueued.
local name = held[4]
if name and redis.call('HINCRBY', KEYS[5], name, -1) <= 0 then
  redis.call('HDEL', KEYS[5], name)
end
return 1
