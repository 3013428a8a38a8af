-- lease: the one check of a lease's holder, written once. LuaScript expands it in place of the
-- include line of end_attempt.lua and renew_leases.lua: every way a worker acts on a task it
-- holds presents its worker id and lease token, and loses once the lease is lost or expired.

-- Whether `worker`, holding `token`, still holds the task's lease at `now`, given the hash's
-- fields `held` (stage, lease_token, lease_expires_at, worker_id; a missing one is false): nil
-- when it does, else the code to return:
--   -1  no such task
--    0  the attempt already ended as `ending` under this token (a repeat); for a renewal
--       (`ending` nil), ended by this worker in any way but lost: the worker has not yet
--       forgotten a lease whose attempt it ended a moment ago
--   -2  lease lost: the task is not in progress under this token and worker
--   -3  lease expired: it ran out, or the reaper has since ended the attempt as lost
local function lease_problem(task, held, worker, token, ending, now)
  if not held.stage and redis.call('EXISTS', task) == 0 then
    return -1
  end
  if held.stage == 'in_progress' and held.lease_token == token and held.worker_id == worker then
    local expires = tonumber(held.lease_expires_at)
    if not expires or expires < now then
      return -3
    end
    return nil
  end
  local outcome, by
  local ended = redis.call('HGET', task, 'attempt:' .. token)
  if ended then
    local record = cjson.decode(ended)
    outcome, by = record.outcome, record.worker
  elseif held.stage == 'completed' and held.lease_token == token then
    -- A first attempt that completed keeps no record: the hash is its record (include/attempt.lua).
    outcome, by = 'completed', held.worker_id
  end
  if by == worker then
    if outcome == ending or (ending == nil and outcome ~= 'lost') then
      return 0
    end
    if outcome == 'lost' then
      return -3
    end
  end
  return -2
end
