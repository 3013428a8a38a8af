-- promote_due: move tasks whose time has come from scheduled to the front of pending: retries
-- whose backoff is over (stage retrying), and later tasks that are due (stage scheduled).
--
-- The promoter reads the due ids from the scheduled zset first and names their hashes in KEYS.
-- Each is checked again here (still in scheduled, still due), so any number of promoters (the
-- reaper, schedulers) may run at once and each task is promoted once.
--
-- KEYS[1]   scheduled zset  {prefix:queue}:scheduled
-- KEYS[2]   pending list    {prefix:queue}:pending
-- KEYS[3]   marker zset     {prefix:queue}:marker
-- KEYS[4..] task hashes, one per id in ARGV[2..], in that order
--
-- ARGV[1]  now, ms since the epoch
-- ARGV[2..] ids the promoter saw due, earliest first; at most a few thousand (Lua's unpack)
--
-- Output:
--   how many tasks were promoted. An id whose hash is gone is dropped from scheduled. The marker
--   is set when any task was promoted, naming the task at the front, so a blocked worker wakes
--   for it and claims it at once.

--- @include "marker"

local now = tonumber(ARGV[1])
local ids = {}
for i = 2, #ARGV do
  ids[#ids + 1] = ARGV[i]
end
-- One command per key for the batch; only the hashes are read and written one by one.
local scores = redis.call('ZMSCORE', KEYS[1], unpack(ids))
local gone = {}
local ready = {}
for i, id in ipairs(ids) do
  local due = tonumber(scores[i])
  if due and due <= now then
    gone[#gone + 1] = id
    local task = KEYS[3 + i]
    local stage = redis.call('HGET', task, 'stage')
    if stage == 'retrying' or stage == 'scheduled' then
      redis.call('HSET', task, 'stage', 'pending')
      -- A scheduled task keeps the time it was due (its lateness can be read); a retry's
      -- run_at only said when it would be promoted.
      if stage == 'retrying' then
        redis.call('HDEL', task, 'run_at')
      end
      ready[#ready + 1] = id
    end
  end
end
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
end
if #ready > 0 then
  -- Workers take from the right: the earliest goes last, to the very front.
  local newest_first = {}
  for i = #ready, 1, -1 do
    newest_first[#newest_first + 1] = ready[i]
  end
  redis.call('RPUSH', KEYS[2], unpack(newest_first))
  mark_front(KEYS[2], KEYS[3])
end
return #ready
