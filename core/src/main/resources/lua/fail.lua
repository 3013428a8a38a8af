-- fail: record why a task's attempt failed and move it from processing to finished.
--
-- Retries with backoff and the dead-letter queue come with the retry machinery; until then a
-- failed attempt ends the task in stage 'failed', kept in the finished list with its error.
--
-- KEYS[1]  task hash        {prefix:queue}:task:<id>
-- KEYS[2]  processing list  {prefix:queue}:processing
-- KEYS[3]  timeout zset     {prefix:queue}:timeout
-- KEYS[4]  finished list    {prefix:queue}:finished
-- KEYS[5]  open hash        {prefix:queue}:open
--
-- ARGV[1]  task id
-- ARGV[2]  lease token the worker holds
-- ARGV[3]  now, ms since the epoch
-- ARGV[4]  error: one readable line saying what went wrong
-- ARGV[5]  log location, or '' when the task's output was not saved
--
-- Output:
--    1  failed
--   -1  no such task
--   -2  lease lost: the task is not in progress or another claim holds it; nothing changed

local held = redis.call('HMGET', KEYS[1], 'stage', 'lease_token', 'name')
if not held[1] then
  return -1
end
if held[1] ~= 'in_progress' or held[2] ~= ARGV[2] then
  return -2
end

redis.call('LREM', KEYS[2], 1, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1],
  'stage', 'failed',
  'finished_at', ARGV[3],
  'error', ARGV[4])
redis.call('HDEL', KEYS[1], 'lease_expires_at')
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'log_path', ARGV[5])
end
redis.call('LPUSH', KEYS[4], ARGV[1])
if redis.call('HINCRBY', KEYS[5], held[3], -1) <= 0 then
  redis.call('HDEL', KEYS[5], held[3])
end
return 1
