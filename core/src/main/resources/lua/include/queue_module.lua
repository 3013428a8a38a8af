-- queue_module: the newest module version of each task name that a queue knows, written once for
-- every script that reads or moves it: enqueue.lua (which pins new tasks to it, and learns a
-- newer version a caller read from the registry) and announce_module.lua (the registry telling
-- every queue of an upload). The registry's own keys live in another Redis Cluster slot, so a
-- queue keeps this copy in its own: `modules` is its hash, task name -> '<version> <digest>'.

-- The newest version of `name` known in the queue and its digest, or nil when none is.
local function known_module(modules, name)
  local head = redis.call('HGET', modules, name)
  if not head then
    return nil
  end
  local space = string.find(head, ' ', 1, true)
  return tonumber(string.sub(head, 1, space - 1)), string.sub(head, space + 1)
end

-- Makes version `version` (digest `digest`) the newest known of `name`, unless a version as new
-- or newer is known already (versions only grow: a late copy never takes the queue back).
-- Returns whether it changed anything.
local function learn_module(modules, name, version, digest)
  local known = known_module(modules, name)
  if known and known >= tonumber(version) then
    return false
  end
  redis.call('HSET', modules, name, version .. ' ' .. digest)
  return true
end
