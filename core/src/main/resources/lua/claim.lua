-- claim: take up to N of the tasks a worker saw at the front of pending, giving each a lease.
--
-- The worker names the tasks it saw at the front of pending, and their hashes in KEYS, so every
-- key this script touches is declared (Redis Cluster). It learns the front from the reply of its
-- previous claim, which ends with the front as this script leaves it, or, when that is empty,
-- from an LRANGE of its own. Tasks another worker took in the meantime are skipped. A claimed task is always in processing AND in timeout (scored by lease
-- expiry), and its hash names the worker and the lease token, so a worker that dies at any point
-- after this script leaves a task that is found by its expiry and recovered.
--
-- Safe to send again. When a claim's reply is lost (a timeout, a failover) the worker sends the
-- very same request: same claim record, same sequence number, same KEYS. The claim record holds
-- what the claimer's latest request took; a repeat of that request returns those tasks (the ones
-- it still holds) instead of taking more, and a late copy of an older request takes nothing. So
-- no lease is ever left on a worker that does not know it holds it. A repeat renews the leases it
-- returns to its own time (ARGV[3]) plus the lease duration: the first copy may have run late, held
-- up with the worker's later copies (a paused or failed-over Redis), with its lease counted from
-- when the worker first sent it, and the worker renews only leases it has learned of. One that ran
-- out meanwhile is renewed too: the hash still says this worker holds it, so no reaper has ended
-- it, and the worker has not acted on it.
--
-- A hash that cannot be read as a task (a field missing or malformed) is still claimed; the
-- worker fails it alone, with its token, and runs the others.
--
-- The lease is not tied to the task's timeout: it lasts ARGV[5] and the worker's heartbeat
-- renews it (renew_leases.lua) while the attempt runs.
--
-- KEYS[1]  pending list     {prefix:queue}:pending
-- KEYS[2]  processing list  {prefix:queue}:processing
-- KEYS[3]  timeout zset     {prefix:queue}:timeout
-- KEYS[4]  marker zset      {prefix:queue}:marker
-- KEYS[5]  claim record     {prefix:queue}:claim:<claimer id>
-- KEYS[6]  paused flag      {prefix:queue}:paused (pause_queue.lua)
-- KEYS[7..6+n] task hashes  {prefix:queue}:task:<id>, one per id in ARGV[10..], in that order
-- KEYS[7+n]     standing hash  {prefix:queue}:standing (stand_by.lua)
-- KEYS[8+n]     hand-off set   {prefix:queue}:handoff:<claimer id>: what enqueue.lua handed to
--                              this claimer while it stood by
--
-- ARGV[1]  worker id, recorded on each claimed task
-- ARGV[2]  request number: one more for each new request of this claimer
-- ARGV[3]  now, ms since the epoch: when the worker sent this copy of the request
-- ARGV[4]  most tasks to claim, >= 1
-- ARGV[5]  lease duration, ms: lease expiry = now + this
-- ARGV[6]  how long the claim record is kept, ms
-- ARGV[7]  how many ids of the front to return, for the next claim
-- ARGV[8]  the worker's host name, recorded on each claimed task (worker_host), so that an
--          attempt's record says which machine holds its log file
-- ARGV[9]  most payload bytes one claim carries: it stops after the task whose payload brings it
--          to this many, so it always takes one, and its reply (built in Redis's memory while
--          every other client waits, then read within the worker's command timeout) stays small
--          whatever the payloads (a claim of 600 tasks of 1 MiB each was a 600 MB reply)
-- ARGV[10..] the ids the worker saw at the front of pending, oldest first
--
-- A claim ends the claimer's standing by (stand_by.lua): the worker claims instead. Tasks handed
-- to it meanwhile and not yet popped by its wait (a hand-off that raced the marker that woke it)
-- come first: the claim then takes nothing, says so (handed), and keeps in its record the ids
-- that were handed, which the worker reads should the pop of a hand-off lose its reply.
--
-- A paused queue gives nothing: the claim takes no task, returns no front, and takes the marker
-- away so that idle workers do not wake for the queue until it is resumed. A repeat of a request
-- still returns what its first copy took, paused or not.
--
-- Output: {claimed, front, fields, paused, shapes, handed}, packed into one string by
-- cmsgpack.pack: the client decodes each element of a plain reply on its own, and a claim of 50
-- tasks is over a thousand of them.
--   claimed: one entry per claimed task, oldest first: {id, lease token, lease expiry ms, values},
--   where values are the task hash's FIELDS after the claim, in that order, false where a field
--   is missing. Only what running the task needs: not the results, errors and records of its past
--   attempts. Values cross as they are stored (a payload is not escaped into JSON and parsed
--   back), and the field names cross once per reply, not once per task. Empty when none of the ids
--   is still pending, and for a late copy of an older request.
--   A task's shape (include/shape.lua) crosses once per reply too: its `shape` value is a number
--   j, its shape the j-th text of `shapes`, and the shape's fields after STORED are left out. A
--   task written before shapes has false there and its shape's fields one by one instead.
--   front: up to ARGV[7] ids now at the front of pending, oldest first: what to claim next (empty
--   for a repeat or a late copy). An id in pending whose hash is gone
--   (deleted by hand, or lost in a Redis restart without persistence) is dropped from pending,
--   not claimed. The marker is left set exactly when pending is not empty and the queue is not
--   paused.
--   fields: FIELDS, the names of the values.
--   paused: 1 when the queue is paused (and nothing was claimed), else 0.
--   shapes: the shape texts the claimed tasks' `shape` values point into.
--   handed: 1 when tasks handed to this claimer wait in its hand-off set (and nothing was
--   claimed), else 0.

--- @include "shape"
--- @include "claimed"

local worker = ARGV[1]
local request = tonumber(ARGV[2])
local host = ARGV[8]
local most_bytes = tonumber(ARGV[9])
local ids = {}
for i = 10, #ARGV do
  ids[#ids + 1] = ARGV[i]
end

-- The shape texts of the reply, and where each is in it.
local shapes = new_shapes()

-- The task hash's FIELDS, false where one is missing; `upto` the last of the first STORED to
-- read. A shape becomes its place in `shapes`.
local function read(task, upto)
  local values = redis.call('HMGET', task, unpack(FIELDS, 1, upto))
  for i = upto + 1, STORED do
    values[i] = false
  end
  local text = values[SHAPE]
  if text then
    values[SHAPE] = shape_place(shapes, text)
  else
    local shape = read_shape(task, false)
    for i, field in ipairs(SHAPE_FIELDS) do
      values[STORED + i] = shape[field] or false
    end
  end
  return values
end

-- The claim record and the paused flag are both strings: one read for the two.
local held = redis.call('MGET', KEYS[5], KEYS[6])
local record, paused = held[1], held[2]
if record then
  local words = {}
  for word in string.gmatch(record, '%S+') do
    words[#words + 1] = word
  end
  local last = tonumber(words[1])
  if last > request then
    return cmsgpack.pack({{}, {}, FIELDS, 0, shapes.list, 0})
  end
  if last == request then
    local renewed_from = tonumber(ARGV[3]) + tonumber(ARGV[5])
    local index = {}
    for i, id in ipairs(ids) do
      index[id] = i
    end
    local again = {}
    for w = 2, #words do
      local id, token = string.match(words[w], '^(.+):(%d+)$')
      local i = index[id]
      if i then
        local values = read(KEYS[6 + i], STORED)
        if values[STAGE] == 'in_progress' and values[WORKER_ID] == worker
            and values[LEASE_TOKEN] == token then
          local expires = tonumber(values[LEASE_EXPIRES_AT]) or 0
          if renewed_from > expires then
            expires = renewed_from
            values[LEASE_EXPIRES_AT] = string.format('%d', expires)
            redis.call('HSET', KEYS[6 + i], 'lease_expires_at', values[LEASE_EXPIRES_AT])
            redis.call('ZADD', KEYS[3], expires, id)
          end
          again[#again + 1] = {id, tonumber(token), expires, values}
        end
      end
    end
    return cmsgpack.pack({again, {}, FIELDS, 0, shapes.list, 0})
  end
end

redis.call('HDEL', KEYS[7 + #ids], KEYS[5])
if redis.call('ZCARD', KEYS[8 + #ids]) > 0 then
  local handed_ids = record and string.match(record, '^%d+(.*)$') or ''
  redis.call('SET', KEYS[5], ARGV[2] .. handed_ids, 'PX', ARGV[6])
  return cmsgpack.pack({{}, {}, FIELDS, 0, shapes.list, 1})
end

if paused then
  redis.call('SET', KEYS[5], ARGV[2], 'PX', ARGV[6])
  redis.call('DEL', KEYS[4])
  return cmsgpack.pack({{}, {}, FIELDS, 1, shapes.list, 0})
end

-- Where the ids are now: at most twice as far from the front as when the worker read them.
local wanted = {}
for i, id in ipairs(ids) do
  wanted[id] = i
end
-- Each picked task's hash is read as it is picked, for the bytes of its payload.
local front = redis.call('LRANGE', KEYS[1], -2 * #ids, -1)
-- How many tasks pending holds once this claim is done, when the read above took all of it: the
-- claim then need not ask. Nil when more is pending than the read took.
local left = nil
if #ids > 0 and #front < 2 * #ids then
  left = #front
end
local max = tonumber(ARGV[4])
local picked = {}
local picked_values = {}
local bytes = 0
for p = #front, 1, -1 do
  if wanted[front[p]] then
    local values = read(KEYS[6 + wanted[front[p]]], LEASE_TOKEN)
    picked[#picked + 1] = p
    picked_values[#picked] = values
    bytes = bytes + #(values[PAYLOAD] or '')
    if #picked == max or bytes >= most_bytes then
      break
    end
  end
end

local now = tonumber(ARGV[3])
local expires = now + tonumber(ARGV[5])
-- Numbers go to Redis as text made once: Lua would print each again for every command.
local expires_text = string.format('%d', expires)
local claimed = {}
local taken = {ARGV[2]}
if #picked > 0 then
  -- Cut pending from the oldest picked position (nearest the front is the largest p; the
  -- furthest is the last picked) to the front, and push back what stays, in order.
  local from = picked[#picked]
  local skip = {}
  for _, p in ipairs(picked) do
    skip[p] = true
  end
  local stays = {}
  for p = from, #front do
    if not skip[p] then
      stays[#stays + 1] = front[p]
    end
  end
  redis.call('LTRIM', KEYS[1], 0, from - #front - 2)
  if #stays > 0 then
    redis.call('RPUSH', KEYS[1], unpack(stays))
  end
  if left then
    left = from - 1 + #stays
  end

  local processing = {}
  local timeouts = {}
  for k, p in ipairs(picked) do
    local id = front[p]
    local task = KEYS[6 + wanted[id]]
    local values = picked_values[k]
    -- No id: the hash is gone, or (if it still exists) corrupt, which the worker fails alone.
    if values[ID] or redis.call('EXISTS', task) == 1 then
      local token = lease_task(task, values, worker, host, ARGV[3], expires_text)
      local token_text = values[LEASE_TOKEN]
      claimed[#claimed + 1] = {id, token, expires, values}
      taken[#taken + 1] = id .. ':' .. token_text
      processing[#processing + 1] = id
      timeouts[#timeouts + 1] = expires_text
      timeouts[#timeouts + 1] = id
    end
  end
  if #processing > 0 then
    redis.call('LPUSH', KEYS[2], unpack(processing))
    redis.call('ZADD', KEYS[3], unpack(timeouts))
  end
end
redis.call('SET', KEYS[5], table.concat(taken, ' '), 'PX', ARGV[6])

-- More work is waiting: leave a marker so another blocked worker wakes for it, naming the task
-- now at the front, which that worker claims without reading the queue first (the one marker
-- member, replacing any other: a task it named may have been claimed here). None is: take the
-- marker away so idle workers do not wake for nothing.
local front = {}
redis.call('DEL', KEYS[4])
if (left or redis.call('LLEN', KEYS[1])) > 0 then
  local newest_first = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[7]), -1)
  for p = #newest_first, 1, -1 do
    front[#front + 1] = newest_first[p]
  end
  redis.call('ZADD', KEYS[4], 0, front[1])
end
return cmsgpack.pack({claimed, front, FIELDS, 0, shapes.list, 0})
