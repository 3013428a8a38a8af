-- retire_task_name: in one queue, stop accepting tasks of a module's versions up to N, unless
-- tasks of that name are still open there. The first step of removing a module (registry rm):
-- once every queue has retired the name, no task of a removed version can be enqueued anywhere,
-- so none is left to fail later. Queue keys and module keys live in different Redis Cluster
-- slots, so removal is this step per queue, then remove_module, which checks no queue appeared.
--
-- Safe to send again: retiring through the same version twice changes nothing more.
--
-- KEYS[1]  open hash        {prefix:queue}:open
-- KEYS[2]  retired hash     {prefix:queue}:retired
--
-- ARGV[1]  task name
-- ARGV[2]  retire versions up to and including this one
-- ARGV[3]  '1' to retire even while tasks of the name are open (registry rm --force), else '0'
--
-- Output:
--    0  retired (a higher version retired before stays)
--    n  n > 0 tasks of the name are open in this queue: refused, nothing changed

local open = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
if open > 0 and ARGV[3] ~= '1' then
  return open
end
local retired = tonumber(redis.call('HGET', KEYS[2], ARGV[1])) or 0
if retired < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return 0
