-- restore_task_name: undo retire_task_name in one queue when a removal is refused elsewhere
-- (another queue still has open tasks of the name), so the name is accepted again here.
--
-- The value to restore is computable: the versions of a name that exist are exactly those after
-- the last removal, so the version before the oldest existing one is what was retired before.
--
-- Safe to send again: it changes the entry only while it still holds what the removal set.
--
-- KEYS[1]  retired hash     {prefix:queue}:retired
--
-- ARGV[1]  task name
-- ARGV[2]  the version the refused removal retired through
-- ARGV[3]  the version to restore, 0 for none
--
-- Output:
--    1  restored
--    0  left alone: the entry no longer holds ARGV[2] (restored already, or changed by another
--       removal)

if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[3]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
