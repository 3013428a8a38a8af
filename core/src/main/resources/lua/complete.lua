-- complete: record a task's result and move it from processing to finished.
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
-- ARGV[4]  result text
-- ARGV[5]  result encoding: utf-8 | base64
-- ARGV[6]  log location, or '' when the task's output was not saved
--
-- Output:
--    1  completed
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
  'stage', 'completed',
  'finished_at', ARGV[3],
  'result', ARGV[4],
  'result_encoding', ARGV[5])
redis.call('HDEL', KEYS[1], 'lease_expires_at', 'error')
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'log_path', ARGV[6])
end
redis.call('LPUSH', KEYS[4], ARGV[1])
if redis.call('HINCRBY', KEYS[5], held[3], -1) <= 0 then
  redis.call('HDEL', KEYS[5], held[3])
end
return 1
