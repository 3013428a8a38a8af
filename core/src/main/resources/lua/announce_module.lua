-- announce_module: tell one queue that a module version is the newest of its name, so enqueue
-- pins new tasks of the name to it. The registry runs it in every queue after publish_module
-- (an upload, or an upload of bytes already the newest, which so repairs a queue an earlier
-- upload did not reach); enqueue learns the same from a caller that read the registry itself.
--
-- Safe to send again, and in any order: a version older than the one known changes nothing.
--
-- KEYS[1]  modules hash     {prefix:queue}:modules
--
-- ARGV[1]  module (task) name
-- ARGV[2]  version number
-- ARGV[3]  its digest, sha256:<hex>
--
-- Output:
--    1  the queue now knows this version as the newest
--    0  it knew this version or a newer one already; nothing changed

--- @include "queue_module"

if learn_module(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  return 1
end
return 0
