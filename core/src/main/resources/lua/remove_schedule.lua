-- remove_schedule: delete a cron schedule. Tasks it already fired stay, with their results.
--
-- Safe to send again: a repeat finds nothing and says so.
--
-- KEYS[1]  schedule hash   {prefix:queue}:schedule:<name>
-- KEYS[2]  schedules zset  {prefix:queue}:schedules
--
-- ARGV[1]  schedule name
--
-- Output:
--    1  removed
--    0  no such schedule (removed already)

local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return existed
