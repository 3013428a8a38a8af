-- end_attempt: a worker ends attempts it holds, each by the one rule of include/attempt.lua:
--   completed  the result is recorded; the task moves to finished
--   failed     the error is recorded; the task is retried after a backoff, or dead when its
--              retries are spent
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
-- ARGV[3..] seven per attempt:
--   id         task id
--   token      lease token the worker holds
--   ending     how the attempt ended: completed | failed | released
--   text       completed: the result text; failed: the error, one readable line; released: ''
--   encoding   completed: result encoding, utf-8 | base64; otherwise ''
--   log        log location, or '' when the task's output was not saved
--   jitter     in [0, 1): the share of the backoff to wait if the task is retried
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
--- @include "attempt"

local now = tonumber(ARGV[1])
local worker = ARGV[2]
local ends = new_ends(now)
local replies = {}
for a = 0, (#ARGV - 2) / 7 - 1 do
  local i = 3 + 7 * a
  local task = KEYS[10 + a]
  local id, token, ending = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local t = read_attempt(task)
  local problem = lease_problem(task, t, worker, token, ending, now)
  if problem then
    replies[#replies + 1] = {problem}
  else
    local stage, run_at = end_attempt(ends, task, id, t, token, ending, ARGV[i + 3],
      ARGV[i + 4], ARGV[i + 5], tonumber(ARGV[i + 6]))
    replies[#replies + 1] = {1, stage, run_at}
  end
end
apply_ends(ends)
return replies
