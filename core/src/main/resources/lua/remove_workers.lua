-- remove_workers: forget workers' heartbeats: a worker stopping says goodbye; the reaper removes
-- the workers whose heartbeat expired (their leases expire with it and are reaped on their own).
--
-- Safe to send again; a worker that beat again since it was read is left alone.
--
-- KEYS[1]   workers zset  {prefix}:workers
-- KEYS[2..] worker hashes, one per id in ARGV[2..], in that order
--
-- ARGV[1]  remove only heartbeats that expired before this, ms since the epoch
-- ARGV[2..] worker ids
--
-- Output:
--   how many were removed

local before = tonumber(ARGV[1])
local removed = 0
for i = 2, #ARGV do
  local expires = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i]))
  if expires and expires < before then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('DEL', KEYS[i])
    removed = removed + 1
  end
end
return removed
