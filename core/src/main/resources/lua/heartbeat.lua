-- heartbeat: record that a worker process is alive, and what it is doing. Sent with the
-- worker's lease renewals, in the same round trip.
--
-- Safe to send again: it overwrites the same fields.
--
-- KEYS[1]  workers zset  {prefix}:workers, worker id scored by heartbeat expiry ms
-- KEYS[2]  worker hash   {prefix}:worker:<id>
--
-- ARGV[1]  worker id
-- ARGV[2]  heartbeat expiry, ms since the epoch: dead unless it beats again before then
-- ARGV[3]  how long the hash is kept from now, ms: past its expiry, in case no reaper removes it
--          (a time to live, not a time: Redis's own clock need not agree with the caller's)
-- ARGV[4..] field, value pairs of the worker hash (host, pid, version, slots, busy, ...)
--
-- Output:
--   1

local fields = {}
for i = 4, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[2], 'expires_at', ARGV[2], unpack(fields))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
