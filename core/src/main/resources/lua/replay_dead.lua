-- replay_dead: give a dead task a fresh start: out of the dead-letter queue, attempts reset to
-- 0, back at the end of pending with its original payload. It runs the module version it was
-- submitted with, or, when asked, the newest version of its module that its queue knows (a fixed
-- module uploaded since it died): its shape (include/shape.lua) is then written anew with that
-- version and digest. Its attempt history stays (it is keyed by lease token, which never goes
-- back, so the fencing holds); what described its last attempt (start, log, error) goes, as it
-- lives on in that history. The time is kept twice: in replayed_at, the latest replay's, and in
-- replayed:<lease token of the attempt it follows>, so that a history of several replays gives
-- each its time; a replay that moved the task to a newer module version also writes that version
-- in replayed_version:<the same token>.
--
-- Safe to send again: a repeat finds the task no longer dead and answers 0.
--
-- KEYS[1]  task hash     {prefix:queue}:task:<id>
-- KEYS[2]  dlq list      {prefix:queue}:dlq
-- KEYS[3]  pending list  {prefix:queue}:pending
-- KEYS[4]  marker zset   {prefix:queue}:marker
-- KEYS[5]  open hash     {prefix:queue}:open
-- KEYS[6]  retired hash  {prefix:queue}:retired
-- KEYS[7]  modules hash  {prefix:queue}:modules (include/queue_module.lua)
--
-- ARGV[1]  task id
-- ARGV[2]  now, ms since the epoch
-- ARGV[3]  which module version it runs: 'kept' (the one it was submitted with) or 'newest'
--
-- Output: {code, version before, version after} (both 0 when there is no such task); the two
-- versions differ only when the task was moved to a newer one:
--    1  replayed
--    0  the task is not dead (never was, or replayed already); nothing changed
--   -1  no such task
--   -6  the version it would run was removed from the registry; nothing changed

--- @include "retired"
--- @include "shape"
--- @include "marker"
--- @include "queue_module"

local held = redis.call('HMGET', KEYS[1], 'stage', 'name', 'shape', 'lease_token')
if not held[1] then
  return {-1, 0, 0}
end
local shape = read_shape(KEYS[1], held[3])
local before = tonumber(shape.module_version) or 0
if held[1] ~= 'dead' then
  return {0, before, before}
end
local version, digest = before, shape.module_digest
if ARGV[3] == 'newest' then
  local newest, newest_digest = known_module(KEYS[7], held[2])
  if newest and newest > before then
    version, digest = newest, newest_digest
  end
end
if retired(KEYS[6], held[2], version) then
  return {-6, before, version}
end
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('HSET', KEYS[1], 'stage', 'pending', 'attempts', 0, 'replayed_at', ARGV[2])
if held[4] then
  redis.call('HSET', KEYS[1], 'replayed:' .. held[4], ARGV[2])
  if version ~= before then
    redis.call('HSET', KEYS[1], 'replayed_version:' .. held[4], version)
  end
end
if version ~= before then
  if held[3] then
    redis.call('HSET', KEYS[1], 'shape', encode_shape(shape.queue, digest, version, shape.kind,
      shape.max_retries, shape.retry_backoff_base_ms, shape.retry_backoff_cap_ms, shape.timeout_ms))
  else
    -- Written before shapes: its shape's fields are the hash's own.
    redis.call('HSET', KEYS[1], 'module_digest', digest, 'module_version', version)
  end
end
redis.call('HDEL', KEYS[1], 'error', 'finished_at', 'worker_id', 'worker_host', 'run_at', 'started_at',
  'log_path')
redis.call('LPUSH', KEYS[3], ARGV[1])
mark_front(KEYS[3], KEYS[4])
redis.call('HINCRBY', KEYS[5], held[2], 1)
return {1, before, version}
