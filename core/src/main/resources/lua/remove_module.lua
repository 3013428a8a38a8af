-- remove_module: delete every version of a module name, and each blob no other name still uses.
--
-- KEYS[1]  names hash       {prefix}:module-names
--
-- ARGV[1]  module name
-- ARGV[2]  version key prefix {prefix}:module:<name>:v
-- ARGV[3]  blob key prefix    {prefix}:blob:
-- ARGV[4]  refs key prefix    {prefix}:blob-refs:
--
-- Output:
--   n   the number of versions removed (>= 1)
--   -4  no module has this name; nothing changed

local latest = redis.call('HGET', KEYS[1], ARGV[1])
if not latest then
  return -4
end

local removed = 0
for version = 1, tonumber(latest) do
  local key = ARGV[2] .. version
  local digest = redis.call('HGET', key, 'digest')
  if digest then
    local refs = ARGV[4] .. digest
    redis.call('SREM', refs, ARGV[1])
    if redis.call('SCARD', refs) == 0 then
      redis.call('DEL', ARGV[3] .. digest, refs)
    end
    redis.call('DEL', key)
    removed = removed + 1
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
return removed
