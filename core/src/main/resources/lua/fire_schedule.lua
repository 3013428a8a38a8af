-- fire_schedule: a schedule's due firings become tasks, each with its own id, linked to the
-- schedule and its fire time, at the front of pending; and the schedule moves on to its next
-- fire time.
--
-- A firing's identity is the schedule and its fire time. The scheduler read the schedule's
-- next_fire_at, computed the firings due from it (its catch-up policy) and the fire time after
-- them; this script applies that only if next_fire_at is still what it read, so when several
-- schedulers race, exactly one fires each time and the others change nothing.
--
-- KEYS[1]   schedule hash   {prefix:queue}:schedule:<name>
-- KEYS[2]   schedules zset  {prefix:queue}:schedules
-- KEYS[3]   pending list    {prefix:queue}:pending
-- KEYS[4]   marker zset     {prefix:queue}:marker
-- KEYS[5]   open hash       {prefix:queue}:open
-- KEYS[6]   retired hash    {prefix:queue}:retired
-- KEYS[7]   stats hash      {prefix:queue}:stats
-- KEYS[8..] new task hashes, one per task id in ARGV[15..], in that order
--
-- ARGV[1]  schedule name
-- ARGV[2]  the next_fire_at the scheduler read, ms since the epoch
-- ARGV[3]  the schedule's next fire time after these firings, ms since the epoch; 0 when its
--          expression fires no more (it then leaves the schedules set)
-- ARGV[4]  now, ms since the epoch
-- ARGV[5]  queue name
-- ARGV[6]  task name
-- ARGV[7]  module digest the firings run (the task name's newest version, read by the caller)
-- ARGV[8]  that module version
-- ARGV[9]  payload (JSON text)
-- ARGV[10] max retries
-- ARGV[11] timeout of one attempt, ms
-- ARGV[12] retry backoff base, ms
-- ARGV[13] retry backoff cap, ms
-- ARGV[14] the tasks' own limits, JSON, or '' for none
-- ARGV[15..] pairs: new task id, its fire time ms (none when every due firing is skipped)
--
-- Output:
--   n >= 0  fired: n tasks created, and the schedule moved on
--   -5      stale: the schedule is gone, paused, or fired by another scheduler since it was read
--   -6      the module version was removed from the registry: the schedule moved on, no task made

--- @include "shape"
--- @include "new_task"
--- @include "retired"
--- @include "marker"

local held = redis.call('HMGET', KEYS[1], 'next_fire_at', 'paused')
if held[1] ~= ARGV[2] or held[2] ~= '0' then
  return -5
end

local created = 0
local last = nil
local limits = ARGV[14] ~= '' and ARGV[14] or nil
local removed = retired(KEYS[6], ARGV[6], ARGV[8])
if not removed then
  local opened = {}
  local shape = encode_shape(ARGV[5], ARGV[7], ARGV[8], 'cron', ARGV[10], ARGV[12], ARGV[13],
    ARGV[11])
  for i = 15, #ARGV, 2 do
    create_task(KEYS[8 + (i - 15) / 2], 'pending', opened, ARGV[i], ARGV[6], shape, ARGV[9],
      ARGV[4], nil, ARGV[1], ARGV[i + 1], limits)
    created = created + 1
    last = i
  end
  open_tasks(KEYS[5], KEYS[7], opened)
  -- Due now: at the right end, which workers take first, the oldest firing rightmost.
  for i = #ARGV - 1, 15, -2 do
    redis.call('RPUSH', KEYS[3], ARGV[i])
  end
end
if created > 0 then
  mark_front(KEYS[3], KEYS[4])
  redis.call('HSET', KEYS[1], 'last_fire_at', ARGV[last + 1], 'last_task_id', ARGV[last])
  redis.call('HINCRBY', KEYS[1], 'fired', created)
end
redis.call('HSET', KEYS[1], 'next_fire_at', ARGV[3])
if ARGV[3] == '0' then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
if removed then
  return -6
end
return created
