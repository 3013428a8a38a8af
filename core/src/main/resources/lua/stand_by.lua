-- stand_by: an idle worker offers to take the next tasks submitted to a queue, so that they reach
-- it with no claim: enqueue.lua, finding pending empty, leases such a task to it there and then
-- and puts the lease, as a claim's reply would give it, in the worker's hand-off set, which the
-- worker's wait pops beside the queue's marker. A task on its way from submit to start then
-- passes through one script call, not two (docs/benchmarks-journal.md, forty-ninth session).
--
-- The standing is the claimer's entry in the queue's standing hash, under the key of its claim
-- record: until when it stands by, its room (how many tasks it takes), the request number it
-- stands by under, the lease length, the worker id and host a lease names, its hand-off set, and
-- how long that set is kept once a task is put in it (as long as a claim record: the set of a
-- worker that died standing by goes; the reaper recovers its tasks' leases).
-- It lasts until then (the worker renews it with each wait), until its room is used up, or until
-- the worker claims (claim.lua) or stands down (room 0 here). Each task handed over is added to the
-- claim record of that request, so that a worker whose pop of a hand-off lost its reply learns
-- from the record which leases it holds, and claims them again as a repeat (claim.lua).
--
-- KEYS[1]  pending list    {prefix:queue}:pending
-- KEYS[2]  paused flag     {prefix:queue}:paused
-- KEYS[3]  standing hash   {prefix:queue}:standing
-- KEYS[4]  hand-off set    {prefix:queue}:handoff:<claimer id>
-- KEYS[5]  claim record    {prefix:queue}:claim:<claimer id>
--
-- ARGV[1]  request number: one more than the claimer's latest request (a claim's or this one's);
--          the same when sent again because its reply was lost
-- ARGV[2]  now, ms since the epoch
-- ARGV[3]  room: how many tasks it takes at most; 0 to stand down
-- ARGV[4]  how long it stands by from now, ms: enqueue.lua compares with the time its client
--          made the tasks, so the clocks of workers and producers must agree to within about this
-- ARGV[5]  lease duration, ms
-- ARGV[6]  how long the claim record is kept, ms
-- ARGV[7]  worker id, recorded on each task handed over
-- ARGV[8]  the worker's host name, recorded on each task handed over
--
-- Output: {claimed, {}, fields, 0, shapes, 0, state}, packed into one string by cmsgpack.pack, in
-- the form of a claim's reply (claim.lua), so that the worker reads the tasks of a stand-down as it
-- reads a claim's; state:
--   standing   it stands by
--   handed     tasks handed to it wait in its hand-off set: its wait pops them at once; its
--              standing is as it was
--   pending    tasks wait in pending: it claims them rather than stand by (not standing)
--   paused     the queue is paused (not standing)
--   stale      a late copy of an older request: nothing done
--   withdrawn  (room 0) it no longer stands by; claimed: the tasks handed to it and not popped,
--              taken out of its hand-off set, for the worker to run or to release

--- @include "shape"
--- @include "claimed"

-- The reply, with `claimed` and the shape texts their values point into.
local function reply(state, claimed, shapes)
  return cmsgpack.pack({claimed or {}, {}, FIELDS, 0, shapes or {}, 0, state})
end

local request = tonumber(ARGV[1])
local record = redis.call('GET', KEYS[5])
local last = record_request(record)
if last and last > request then
  return reply('stale')
end
if tonumber(ARGV[3]) <= 0 then
  redis.call('HDEL', KEYS[3], KEYS[5])
  -- Each hand-off is a claim's reply of its own: their tasks join one, their shape texts one list.
  local claimed, shapes = {}, new_shapes()
  for _, packed in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    local handed = cmsgpack.unpack(packed)
    for _, entry in ipairs(handed[1]) do
      local values = entry[4]
      local text = handed[5][values[SHAPE]]
      if text then
        values[SHAPE] = shape_place(shapes, text)
      end
      claimed[#claimed + 1] = entry
    end
  end
  redis.call('DEL', KEYS[4])
  return reply('withdrawn', claimed, shapes.list)
end
if redis.call('ZCARD', KEYS[4]) > 0 then
  return reply('handed')
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HDEL', KEYS[3], KEYS[5])
  return reply('paused')
end
if redis.call('LLEN', KEYS[1]) > 0 then
  redis.call('HDEL', KEYS[3], KEYS[5])
  return reply('pending')
end
-- A new request starts a record of its own; a repeat keeps what was handed over since its first
-- copy ran.
if last ~= request then
  redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[6])
end
redis.call('HSET', KEYS[3], KEYS[5], cmsgpack.pack({tonumber(ARGV[2]) + tonumber(ARGV[4]),
  tonumber(ARGV[3]), request, tonumber(ARGV[5]), ARGV[7], ARGV[8], KEYS[4], tonumber(ARGV[6])}))
return reply('standing')
