-- reap_expired: end the attempts whose lease ran out, by the one rule of include/attempt.lua, as
-- "lost": its worker died, hung past its timeout, or lost Redis for longer than a lease. A lost
-- attempt counts like a failed one: the task is retried after a backoff, or dead when its retries
-- are spent, so a task that crashes every worker it touches ends dead instead of looping.
--
-- The reaper reads the expired ids from the timeout zset first and names their hashes in KEYS.
-- Each is checked again here: a lease renewed, or a task ended, since that read is left alone, so
-- any number of reapers may run at once and each attempt is ended once.
--
-- The expiry is the hash's lease_expires_at, which the timeout zset mirrors as its score.
--
-- KEYS[1..9] the queue's keys, in the order include/attempt.lua gives
-- KEYS[10..] task hashes, one per id in ARGV, in that order
--
-- ARGV[1]  now, ms since the epoch
-- ARGV[2]  the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub), where
--          the earliest retry's run_at is published
-- ARGV[3..] pairs: task id, jitter in [0, 1) for that task's backoff
--
-- Output:
--   one entry per attempt ended: {id, stage, run_at}, stage retrying or dead. An id in timeout
--   whose hash is gone, or that is no longer in progress, is removed from timeout and
--   processing (left-overs; nothing else holds them) and not listed.

--- @include "shape"
--- @include "marker"
--- @include "attempt"

local now = tonumber(ARGV[1])
local ends = new_ends(now)
local reaped = {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  local task = KEYS[9 + (i - 1) / 2]
  local t = read_attempt(task)
  if t.stage == 'in_progress' then
    local expires = tonumber(t.lease_expires_at)
    if not expires or expires < now then
      local worker = t.worker_id or 'unknown'
      local shape = attempt_shape(task, t)
      local deadline = (tonumber(t.started_at) or 0) + (tonumber(shape.timeout_ms) or 0)
      local why
      if now >= deadline then
        why = 'worker ' .. worker .. ' did not end the attempt within its timeout (the worker hung or died)'
      else
        why = 'worker ' .. worker .. ' stopped renewing its lease (it died or lost Redis)'
      end
      local stage, run_at = end_attempt(ends, task, id, t, t.lease_token, 'lost', why, '', '',
        tonumber(ARGV[i + 1]))
      reaped[#reaped + 1] = {id, stage, run_at}
    elseif redis.call('ZSCORE', KEYS[3], id) ~= t.lease_expires_at then
      -- The set disagrees with the hash (written by hand?): mend it, or the reaper would wake
      -- for this id again and again.
      redis.call('ZADD', KEYS[3], expires, id)
    end
  else
    redis.call('ZREM', KEYS[3], id)
    redis.call('LREM', KEYS[2], 0, id)
  end
end
apply_ends(ends, ARGV[2])
return reaped
