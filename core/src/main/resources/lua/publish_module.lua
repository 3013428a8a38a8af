-- publish_module: store a validated module and make it the newest version of its name.
--
-- Blobs are content-addressed: the same bytes under two names are stored once, and the refs set
-- says which names use them. Publishing the bytes the newest version already has changes nothing.
--
-- KEYS[1]  names hash       {prefix}:module-names
-- KEYS[2]  blob string      {prefix}:blob:<digest>
-- KEYS[3]  blob refs set    {prefix}:blob-refs:<digest>
--
-- ARGV[1]  module name
-- ARGV[2]  digest, sha256:<hex>
-- ARGV[3]  module bytes
-- ARGV[4]  size in bytes
-- ARGV[5]  uploaded at, ms since the epoch
-- ARGV[6]  source: the file name it was uploaded from
-- ARGV[7]  version key prefix {prefix}:module:<name>:v (the version number is appended)
--
-- Output:
--   {version, 1}  a new version was made
--   {version, 0}  the newest version already has this digest; nothing changed

local latest = redis.call('HGET', KEYS[1], ARGV[1])
if latest and redis.call('HGET', ARGV[7] .. latest, 'digest') == ARGV[2] then
  return {tonumber(latest), 0}
end

redis.call('SET', KEYS[2], ARGV[3], 'NX')
redis.call('SADD', KEYS[3], ARGV[1])
local version = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HSET', ARGV[7] .. version,
  'name', ARGV[1],
  'version', version,
  'digest', ARGV[2],
  'size', ARGV[4],
  'uploaded_at', ARGV[5],
  'source', ARGV[6])
return {version, 1}
