-- end_attempt: a worker ends attempts it holds, each by the one rule of include/attempt.lua:
--   completed  the result is recorded; the task moves to finished
--   failed     the error is recorded; the task is retried after a backoff, or dead when its
--              retries are spent or the worker says no retry can mend it
--   released   the task goes back to the front of pending (its worker is stopping)
--
-- One call ends a batch: the attempts of one queue that ended while the worker's previous call
-- was on its way (one attempt is a batch of one). Each attempt is judged on its own; one whose
-- lease was lost does not stop the others.
--
-- The holder must present its worker id and the lease token of its claim, and the lease must
-- not have expired (include/lease.lua): a worker whose lease was taken over, or ran out, never
-- overwrites what happened since. The worker id matters when Redis lost a claim (a crash between
-- fsyncs, a failover): the same token may then be issued again, to another worker.
--
-- Safe to send again: a repeat finds the attempt already ended this way under the same token
-- (its attempt:<token> record) and says so, instead of reporting a lost lease for an outcome
-- that was in fact recorded.
--
-- KEYS[1..9] the queue's keys, in the order include/attempt.lua gives
-- KEYS[10..] task hashes  {prefix:queue}:task:<id>, one per attempt in ARGV, in that order
--
-- ARGV[1]  now, ms since the epoch
-- ARGV[2]  worker id the leases were given to
-- ARGV[3]  one MessagePack array (cmsgpack) of seven texts per attempt, the a-th attempt's from
--          its element 7 * (a - 1) + 1 on:
--   +0  id         task id
--   +1  token      lease token the worker holds
--   +2  ending     how the attempt ended: completed | failed | released
--   +3  text       completed: the result text; failed: the error, one readable line; released: ''
--   +4  encoding   completed: result encoding, utf-8 | base64; otherwise ''
--   +5  log        log location, or '' when the task's output was not saved
--   +6  jitter     in [0, 1): the share of the backoff to wait if the task is retried; 'none'
--                  for a failure no retry can mend (its module version was removed, its hash
--                  is corrupt): the task is dead at once, whatever retries it has left
-- Packed, a batch's values cost Redis and the client one argument for the whole call instead of
-- seven a task, each read and made on its own.
-- ARGV[4]  the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub), where
--          the earliest retry's run_at is published
--
-- Output:
--   one entry per attempt, in order:
--   {1, stage, run_at}  ended as asked; stage is where the task is now (completed, pending,
--                       retrying, dead) and run_at when a retrying task runs again (else 0)
--   {0}   already ended this way under this token: an earlier send of this request ran
--   {-1}  no such task
--   {-2}  lease lost: the task is not in progress under this token; nothing changed
--   {-3}  lease expired: the lease ran out before this request arrived (or the reaper has
--         since ended the attempt as lost); nothing changed

--- @include "lease"
--- @include "shape"
--- @include "marker"
--- @include "attempt"

local now = tonumber(ARGV[1])
local worker = ARGV[2]
local ends = new_ends(now)
local values = cmsgpack.unpack(ARGV[3])
local replies = {}
for a = 0, #values / 7 - 1 do
  local i = 1 + 7 * a
  local task = KEYS[10 + a]
  local id, token, ending = values[i], values[i + 1], values[i + 2]
  local t = read_attempt(task)
  local problem = lease_problem(task, t, worker, token, ending, now)
  if problem then
    replies[#replies + 1] = {problem}
  else
    local stage, run_at = end_attempt(ends, task, id, t, token, ending, values[i + 3],
      values[i + 4], values[i + 5], tonumber(values[i + 6]))
    replies[#replies + 1] = {1, stage, run_at}
  end
end
apply_ends(ends, ARGV[4])
return replies
