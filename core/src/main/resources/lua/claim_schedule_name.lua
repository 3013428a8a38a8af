-- claim_schedule_name: claim a schedule's name in the name index, before its schedule is added to
-- its queue (add_schedule), so that a name is held by one queue at a time.
--
-- The index lives in another slot than any schedule, so no script can look at both; an entry
-- therefore says when it was claimed. A claim younger than the caller's grace period belongs to an
-- add that may still be on its way (its schedule hash not written yet): only the caller, which can
-- read that queue's schedule, may decide that an older entry is stale, and it then asks again,
-- naming the entry it found stale. Two callers that both found it stale cannot both take it over:
-- the second finds the entry changed.
--
-- Safe to send again: a repeat finds the name held by its queue and says so.
--
-- KEYS[1]  name index  {prefix}:schedule-names, name -> '<queue> <claimed at ms>' (entries
--          written before claims were timed hold just '<queue>')
--
-- ARGV[1]  schedule name
-- ARGV[2]  the queue to hold it
-- ARGV[3]  now, ms since the epoch
-- ARGV[4]  the entry the caller found stale and takes over, or '' to claim a free name
--
-- Output:
--   {1}         claimed (or held by this queue already; add_schedule then refuses a duplicate)
--   {0, entry}  held by another queue: the entry as it is, for the caller to judge

local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and held ~= ARGV[4] then
  if string.match(held, '^(%S+)') == ARGV[2] then
    return {1}
  end
  return {0, held}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
return {1}
