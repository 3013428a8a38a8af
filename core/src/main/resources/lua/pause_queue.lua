-- pause_queue: stop or restart the claiming of a queue's tasks. While a queue is paused, claim.lua
-- takes none of its tasks and takes its marker away, so idle workers do not wake for it; tasks
-- already running finish, and submits, retries and promotions still add to pending. Resuming
-- sets the marker again when tasks wait, naming the task at the front, so an idle worker wakes
-- for them and claims it at once.
--
-- Safe to send again: a repeat finds the queue in the state asked for and says so.
--
-- KEYS[1]  paused flag  {prefix:queue}:paused, holding when the queue was paused (ms)
-- KEYS[2]  pending list {prefix:queue}:pending
-- KEYS[3]  marker zset  {prefix:queue}:marker
--
-- ARGV[1]  pause | resume
-- ARGV[2]  now, ms since the epoch
--
-- Output:
--    1  done
--    0  it was in that state already

--- @include "marker"

if ARGV[1] == 'pause' then
  if redis.call('SET', KEYS[1], ARGV[2], 'NX') == false then
    return 0
  end
  redis.call('DEL', KEYS[3])
  return 1
end
if redis.call('DEL', KEYS[1]) == 0 then
  return 0
end
mark_front(KEYS[2], KEYS[3])
return 1
