-- release: hand a claimed task back to pending untouched, at the front so it runs next.
-- A worker that shuts down uses it for tasks it cannot finish within its grace period. The
-- attempt stays counted: it started, and a task that never finishes must not retry forever.
--
-- KEYS[1]  task hash        {prefix:queue}:task:<id>
-- KEYS[2]  processing list  {prefix:queue}:processing
-- KEYS[3]  timeout zset     {prefix:queue}:timeout
-- KEYS[4]  pending list     {prefix:queue}:pending
-- KEYS[5]  marker zset      {prefix:queue}:marker
--
-- ARGV[1]  task id
-- ARGV[2]  lease token the worker holds
--
-- Output:
--    1  released
--   -1  no such task
--   -2  lease lost: the task is not in progress or another claim holds it; nothing changed

local held = redis.call('HMGET', KEYS[1], 'stage', 'lease_token')
if not held[1] then
  return -1
end
if held[1] ~= 'in_progress' or held[2] ~= ARGV[2] then
  return -2
end

redis.call('LREM', KEYS[2], 1, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'stage', 'pending')
redis.call('HDEL', KEYS[1], 'worker_id', 'lease_expires_at')
-- Workers take from the right, so the right end is the front of the queue.
redis.call('RPUSH', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[5], 0, 'work')
return 1
