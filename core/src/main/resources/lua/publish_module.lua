-- publish_module: store a validated module and make it the newest version of its name.
--
-- Blobs are content-addressed: the same bytes under two names are stored once, and the refs set
-- says which names use them. Publishing the bytes and options the newest version already has
-- changes nothing; the same bytes with other options (granted environment, limits) are a new
-- version.
-- Version numbers come from a counter that survives the name's removal, so a version number is
-- never reused (tasks that pinned a removed version are told apart from new ones by it).
--
-- The caller reads the newest version and the counter first and names both version hashes in
-- KEYS; if either changed before this script runs, it answers STALE and the caller reads again.
--
-- Safe to send again: the new version records the upload's request id, so a repeat whose first
-- copy ran reports the version it made, not "unchanged".
--
-- KEYS[1]  names hash       {prefix}:module-names
-- KEYS[2]  version counter  {prefix}:module-seq
-- KEYS[3]  blob string      {prefix}:blob:<digest>
-- KEYS[4]  blob refs set    {prefix}:blob-refs:<digest>
-- KEYS[5]  newest version   {prefix}:module:<name>:v<ARGV[7]> (v0 when there is none)
-- KEYS[6]  new version      {prefix}:module:<name>:v<ARGV[8]>
--
-- ARGV[1]  module name
-- ARGV[2]  digest, sha256:<hex>
-- ARGV[3]  module bytes
-- ARGV[4]  size in bytes
-- ARGV[5]  uploaded at, ms since the epoch
-- ARGV[6]  source: the file name it was uploaded from
-- ARGV[7]  the newest version number the caller read, 0 for none
-- ARGV[8]  the number the new version gets: one more than the larger of ARGV[7] and the counter
-- ARGV[9]  upload request id
-- ARGV[10] options: canonical JSON of the granted environment and the module's limits, '' for none
--
-- Output:
--   {1, version}   a new version was made (by this request, or by an earlier send of it)
--   {0, version}   the newest version already has this digest and these options; nothing changed
--   {-5, 0}        stale: the newest version or the counter changed; nothing changed

if redis.call('HGET', KEYS[6], 'upload_id') == ARGV[9] then
  return {1, tonumber(ARGV[8])}
end
local latest = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
local issued = tonumber(redis.call('HGET', KEYS[2], ARGV[1])) or 0
local next = math.max(latest, issued) + 1
if latest ~= tonumber(ARGV[7]) or next ~= tonumber(ARGV[8]) then
  return {-5, 0}
end
if latest > 0 and redis.call('HGET', KEYS[5], 'digest') == ARGV[2]
    and (redis.call('HGET', KEYS[5], 'options') or '') == ARGV[10] then
  return {0, latest}
end

redis.call('SET', KEYS[3], ARGV[3], 'NX')
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], next)
redis.call('HSET', KEYS[2], ARGV[1], next)
redis.call('HSET', KEYS[6],
  'name', ARGV[1],
  'version', next,
  'digest', ARGV[2],
  'size', ARGV[4],
  'uploaded_at', ARGV[5],
  'source', ARGV[6],
  'upload_id', ARGV[9])
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[6], 'options', ARGV[10])
end
return {1, next}
