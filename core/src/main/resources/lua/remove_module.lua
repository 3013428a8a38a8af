-- remove_module: delete every version of a module name, and each blob no other name still uses.
-- The last step of registry rm, after retire_task_name ran in every queue.
--
-- The caller reads the name's versions, their digests and the number of queues it retired the
-- name in, and names every key in KEYS. If a version was uploaded or a queue appeared since, it
-- answers STALE and the caller starts over (retiring the new version, or in the new queue).
-- The version counter is kept, so the name's next upload gets a new number.
--
-- Not idempotent by itself: a repeat whose first copy ran finds no module (-4); the caller, who
-- knows it sent the request before, reports the removal done.
--
-- KEYS[1]  names hash       {prefix}:module-names
-- KEYS[2]  queue index set  {prefix}:queues
-- KEYS[3..2+n]  the version hashes of the name, {prefix}:module:<name>:v<k>
-- then, per distinct digest of those versions, two keys:
--               blob string {prefix}:blob:<digest>, refs set {prefix}:blob-refs:<digest>
--
-- ARGV[1]  module name
-- ARGV[2]  the newest version number the caller read
-- ARGV[3]  the number of queues the caller retired the name in
-- ARGV[4]  n, the number of version hashes in KEYS
--
-- Output:
--    n  the number of versions removed
--   -4  no module has this name; nothing changed
--   -5  stale: a version was uploaded or a queue appeared since the caller read; nothing changed

local latest = redis.call('HGET', KEYS[1], ARGV[1])
if not latest then
  return -4
end
if latest ~= ARGV[2] or redis.call('SCARD', KEYS[2]) ~= tonumber(ARGV[3]) then
  return -5
end

local versions = tonumber(ARGV[4])
for k = 3, 2 + versions do
  redis.call('DEL', KEYS[k])
end
for k = 3 + versions, #KEYS, 2 do
  redis.call('SREM', KEYS[k + 1], ARGV[1])
  if redis.call('SCARD', KEYS[k + 1]) == 0 then
    redis.call('DEL', KEYS[k], KEYS[k + 1])
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
return versions
