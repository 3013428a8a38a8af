-- add_schedule: create a cron schedule in its queue: its definition, and its next fire time in the
-- queue's schedules set, where schedulers find it.
--
-- The name is unique across queues: the caller first claims it in the name index
-- ({prefix}:schedule-names, another slot) and passes the random add id it claimed it with.
--
-- Safe to send again: a repeat finds the schedule made with the same add id and says so.
--
-- KEYS[1]  schedule hash     {prefix:queue}:schedule:<name>
-- KEYS[2]  schedules zset    {prefix:queue}:schedules, name scored by next fire time ms
--
-- ARGV[1]  schedule name
-- ARGV[2]  add id, random, made once per 'cron add'
-- ARGV[3]  first fire time, ms since the epoch
-- ARGV[4]  the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub)
-- ARGV[5..] field, value pairs of the schedule hash (task, payload, cron, tz, catch_up, ...)
--
-- Output:
--    1  created
--    0  created already by this add id: an earlier send of this request ran
--   -9  a schedule of this name exists; nothing changed

local existing = redis.call('HGET', KEYS[1], 'add_id')
if existing then
  if existing == ARGV[2] then
    return 0
  end
  return -9
end
local fields = {}
for i = 5, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'add_id', ARGV[2], 'next_fire_at', ARGV[3],
  'paused', 0, 'fired', 0, unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[3])
return 1
