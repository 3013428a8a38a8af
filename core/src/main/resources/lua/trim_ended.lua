-- trim_ended: delete the oldest ended tasks of a finished or dlq list: retention (the reaper
-- keeps each list within a count and an age) and `producer dlq purge`. Both lists are pushed on
-- the left as tasks end, so the oldest are at the right; trimming stops at the first task that
-- is to be kept.
--
-- The caller reads the right end of the list first and names those hashes, and their output
-- streams, in KEYS. Each is checked again here (still at the right end, still ended so), so
-- callers may run at once. A task goes with its output.
--
-- Safe to send again: a repeat finds the tasks gone and stops.
--
-- KEYS[1]   the list  {prefix:queue}:finished or {prefix:queue}:dlq
-- KEYS[2..] per id in ARGV[4..], in that order: its task hash {prefix:queue}:task:<id>, then its
--           output stream {prefix:queue}:log:<id>
--
-- ARGV[1]  the stages tasks in this list have, comma-separated: completed,cancelled (finished)
--          or dead (dlq)
-- ARGV[2]  keep at most this many tasks in the list
-- ARGV[3]  delete every task that ended before this, ms since the epoch
-- ARGV[4..] ids from the right end of the list, oldest first
--
-- Output:
--   {id, log location or ''} per task deleted, oldest first, so the caller can delete log files

local ended = {}
for stage in string.gmatch(ARGV[1], '[^,]+') do
  ended[stage] = true
end
local keep = tonumber(ARGV[2])
local cutoff = tonumber(ARGV[3])
local deleted = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local task = KEYS[2 * (i - 4) + 2]
  local output = KEYS[2 * (i - 4) + 3]
  if redis.call('LINDEX', KEYS[1], -1) ~= id then
    break
  end
  local held = redis.call('HMGET', task, 'stage', 'finished_at', 'log_path')
  local over = redis.call('LLEN', KEYS[1]) > keep
  local old = (tonumber(held[2]) or 0) < cutoff
  if held[1] and not ended[held[1]] then
    -- Replayed or otherwise moved on since it was listed: not this list's to delete.
    redis.call('RPOP', KEYS[1])
  elseif over or old then
    redis.call('RPOP', KEYS[1])
    redis.call('DEL', task, output)
    deleted[#deleted + 1] = {id, held[3] or ''}
  else
    break
  end
end
return deleted
