-- renew_leases: a live worker extends the leases of the tasks it is running in one queue, so a
-- long task is never taken over while its worker is alive. One call per queue per heartbeat.
--
-- A lease is renewed to now + the lease duration, but never past the attempt's own deadline
-- (started_at + timeout_ms + grace): a worker that is alive but stuck in one task (a guest that
-- ignores interruption, a bug) stops renewing that task's lease at its deadline, and the reaper
-- takes the task over. A lease that has expired is not revived: from its expiry on, the reaper
-- may have ended the attempt, and the holder must stop.
--
-- Safe to send again: a repeat sets the same expiry, or a later one within the same bounds.
--
-- KEYS[1]   timeout zset  {prefix:queue}:timeout
-- KEYS[2..] task hashes, one per id in ARGV[5..], in that order
--
-- ARGV[1]  worker id
-- ARGV[2]  now, ms since the epoch
-- ARGV[3]  lease duration, ms
-- ARGV[4]  grace past the attempt's timeout, ms
-- ARGV[5..] pairs: task id, lease token the worker holds
--
-- Output:
--   one entry per task, in order: {id, code, lease expiry ms}, code
--     1  renewed (the expiry may be capped at the attempt's deadline, or unchanged at it)
--     0  nothing to renew: this worker ended the attempt already (a renewal racing its end)
--    -1  no such task
--    -2  lease lost: the task is not in progress under this token and worker
--    -3  lease expired before this renewal (or the reaper ended the attempt); not revived

--- @include "lease"
--- @include "shape"

local worker = ARGV[1]
local now = tonumber(ARGV[2])
local wanted = now + tonumber(ARGV[3])
local grace = tonumber(ARGV[4])
local replies = {}
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  local task = KEYS[2 + (i - 5) / 2]
  local values = redis.call('HMGET', task, 'stage', 'lease_token', 'lease_expires_at', 'worker_id',
    'started_at', 'shape')
  local held = {stage = values[1], lease_token = values[2], lease_expires_at = values[3],
    worker_id = values[4]}
  local problem = lease_problem(task, held, worker, ARGV[i + 1], nil, now)
  if problem then
    replies[#replies + 1] = {id, problem, 0}
  else
    local expires = tonumber(values[3])
    local timeout_ms = read_shape(task, values[6]).timeout_ms
    local deadline = (tonumber(values[5]) or 0) + (tonumber(timeout_ms) or 0) + grace
    local renewed = math.max(expires, math.min(wanted, deadline))
    if renewed ~= expires then
      redis.call('HSET', task, 'lease_expires_at', renewed)
      redis.call('ZADD', KEYS[1], renewed, id)
    end
    replies[#replies + 1] = {id, 1, renewed}
  end
end
return replies
