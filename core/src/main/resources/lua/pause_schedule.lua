-- pause_schedule: stop or restart a cron schedule's firings. A paused schedule leaves the
-- schedules set, so no scheduler fires it; resuming puts it back at its next fire time after
-- now, as the caller computed it: firings missed while paused are not made up.
--
-- Safe to send again: a repeat finds the schedule in the state asked for and says so.
--
-- KEYS[1]  schedule hash     {prefix:queue}:schedule:<name>
-- KEYS[2]  schedules zset    {prefix:queue}:schedules
--
-- ARGV[1]  schedule name
-- ARGV[2]  pause | resume
-- ARGV[3]  resume: the next fire time after now, ms since the epoch; pause: ''
-- ARGV[4]  the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub)
--
-- Output:
--    1  done
--    0  it was in that state already
--   -1  no such schedule

local paused = redis.call('HGET', KEYS[1], 'paused')
if not paused then
  return -1
end
if ARGV[2] == 'pause' then
  if paused == '1' then
    return 0
  end
  redis.call('HSET', KEYS[1], 'paused', 1)
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
if paused == '0' then
  return 0
end
redis.call('HSET', KEYS[1], 'paused', 0, 'next_fire_at', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[3])
return 1
