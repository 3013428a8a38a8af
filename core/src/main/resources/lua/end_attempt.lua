-- end_attempt: a worker ends the attempt it holds, by the one rule of include/attempt.lua:
--   completed  the result is recorded; the task moves to finished
--   failed     the error is recorded; the task is retried after a backoff, or dead when its
--              retries are spent
--   released   the task goes back to the front of pending (its worker is stopping)
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
-- KEYS[1..8] the queue's keys, in the order include/attempt.lua gives
-- KEYS[9]    task hash  {prefix:queue}:task:<id>
--
-- ARGV[1]  task id
-- ARGV[2]  lease token the worker holds
-- ARGV[3]  now, ms since the epoch
-- ARGV[4]  how the attempt ended: completed | failed | released
-- ARGV[5]  completed: the result text; failed: the error, one readable line; released: ''
-- ARGV[6]  completed: result encoding, utf-8 | base64; otherwise ''
-- ARGV[7]  log location, or '' when the task's output was not saved
-- ARGV[8]  jitter in [0, 1): the share of the backoff to wait if the task is retried
-- ARGV[9]  worker id the lease was given to
--
-- Output:
--   {1, stage, run_at}  ended as asked; stage is where the task is now (completed, pending,
--                       retrying, dead) and run_at when a retrying task runs again (else 0)
--   {0}   already ended this way under this token: an earlier send of this request ran
--   {-1}  no such task
--   {-2}  lease lost: the task is not in progress under this token; nothing changed
--   {-3}  lease expired: the lease ran out before this request arrived (or the reaper has
--         since ended the attempt as lost); nothing changed

--- @include "lease"
--- @include "attempt"

local now = tonumber(ARGV[3])
local problem = lease_problem(KEYS[9], ARGV[9], ARGV[2], ARGV[4], now)
if problem then
  return {problem}
end
local stage, run_at = end_attempt(KEYS[9], ARGV[1], ARGV[2], now, ARGV[4], ARGV[5], ARGV[6],
  ARGV[7], tonumber(ARGV[8]))
return {1, stage, run_at}
