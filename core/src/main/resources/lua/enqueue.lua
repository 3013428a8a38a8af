-- enqueue: create tasks of one queue, each pinned to a module version: a hash per task, its id at
-- the back of the queue's pending list or, for a task to run later, in its scheduled set at its
-- run-at time. One task (a submit) or many (a batch), all or nothing: when any task is refused,
-- nothing is written.
--
-- A task names its module version, or leaves it (version 0) to this script: it then runs the
-- newest version of its name the queue knows (the modules hash, kept by announce_module and by
-- this script), resolved here, atomically with the enqueue. A queue that knows no version of the
-- name refuses (-4): the caller reads the registry and sends the task again with the version
-- named, which the queue learns. The registry's keys live in another Redis Cluster slot; this is
-- how a submit is still one round trip.
--
-- Safe to send again: task ids are made by the client before the first send, so a repeat whose
-- first copy ran (its reply lost to a timeout or a failover) finds the tasks and skips them,
-- instead of writing anything twice.
--
-- KEYS[1]  pending list      {prefix:queue}:pending
-- KEYS[2]  marker zset       {prefix:queue}:marker
-- KEYS[3]  open hash         {prefix:queue}:open
-- KEYS[4]  retired hash      {prefix:queue}:retired
-- KEYS[5]  scheduled zset    {prefix:queue}:scheduled
-- KEYS[6]  modules hash      {prefix:queue}:modules
-- KEYS[7]  stats hash        {prefix:queue}:stats
-- KEYS[8]  processing list   {prefix:queue}:processing
-- KEYS[9]  timeout zset      {prefix:queue}:timeout
-- KEYS[10] paused flag       {prefix:queue}:paused
-- KEYS[11] standing hash     {prefix:queue}:standing (stand_by.lua)
-- KEYS[12] the claim record of the worker to hand new tasks to, {prefix:queue}:claim:<claimer>,
--          as the reply of this client's previous call named it (or any key of the queue when
--          there is none: ARGV[5 + 11 * s] is then 0)
-- KEYS[13] that worker's hand-off set {prefix:queue}:handoff:<claimer> (or any key of the queue)
-- KEYS[14..13+n] task hashes {prefix:queue}:task:<id>, one per task, in the order of ARGV
-- KEYS[14+n]   optional: the task hash these must follow, the last of the previous call of a
--              batch sent before that call was answered. Two calls in flight may reach Redis in
--              either order; this one runs only after that one did.
--
-- ARGV[1]  queue name
-- ARGV[2]  the schedulers' wake-up channel, <prefix>:scheduler-wake (not a key: pub/sub)
-- ARGV[3]  s, how many shapes follow
-- then s shapes of 11 values, what tasks of one call mostly share, the j-th from
-- ARGV[4 + 11 * (j - 1)] on:
--   +0  task name
--   +1  module version, or 0 for the newest the queue knows
--   +2  module digest, sha256:<hex> ('' with version 0)
--   +3  kind: immediate | scheduled
--   +4  max retries
--   +5  timeout of one attempt, ms
--   +6  created at, ms since the epoch
--   +7  retry backoff base, ms
--   +8  retry backoff cap, ms
--   +9  run at, ms since the epoch, or 0 to run now
--   +10 the task's own limits, JSON ({"memory_pages":n,...}), or '' for none
-- then ARGV[4 + 11 * s], one MessagePack array (cmsgpack) of 3 values per task, the i-th task's
-- from its element 3 * (i - 1) + 1 on:
--   +0  task id
--   +1  its shape, j (from 1), a number
--   +2  payload (JSON text)
-- then ARGV[5 + 11 * s]: 1 when KEYS[12] and KEYS[13] name a worker that may stand by, else 0
-- A batch's tasks differ mostly in id and payload: sent once per shape, the rest costs Redis no
-- argument to read and no Lua string to make per task, and the client none to write; and the
-- per-task values, packed, cost Redis and the client one argument for the whole call.
--
-- Tasks to run now go to the back of pending, unless pending is empty, the queue is not paused,
-- and the worker KEYS[12] and KEYS[13] name stands by (stand_by.lua) under the request its claim
-- record holds: then as many as its room takes, oldest first, are leased to it as a claim would
-- lease them (their hashes, processing, timeout, its claim record) and handed to it, as the
-- packed reply of a claim (claim.lua), in its hand-off set, which its wait pops beside the marker.
-- Its standing loses that much room. Which worker stands by the client cannot know before the
-- call, and every key a script touches must be named in KEYS (Redis Cluster): so each reply names
-- one, for the client's next call to name.
--
-- Output:
--   {1, k, record, handoff}
--            enqueued; k tasks were created now, the others existed already (an earlier send of
--            this request ran): 0 <= k <= n. record and handoff: the claim record and hand-off
--            set of a worker standing by, for the next call to name, or '' and '' when none does
--   {-4, i}  task i (from 1) left its version to the queue, which knows none of its name;
--            nothing written
--   {-6, i}  task i's module version was removed from the registry (retire_task_name); nothing
--            written
--   {-10, 0} the task to follow is not there yet: its call has not run (or failed); nothing
--            written, send this again once that call is answered

--- @include "shape"
--- @include "new_task"
--- @include "retired"
--- @include "queue_module"
--- @include "claimed"

local SHAPE = 11
local shapes = tonumber(ARGV[3])
local values = cmsgpack.unpack(ARGV[4 + SHAPE * shapes])
local count = #values / 3
if #KEYS > 13 + count and redis.call('EXISTS', KEYS[#KEYS]) == 0 then
  return {-10, 0}
end
local newest = {}  -- task name -> {version, digest} known in the queue, or false
local removed = {}  -- task name -> {version -> whether retired}
local learned = {}  -- task name -> {version, digest} named by a task
local pins = {}  -- shape -> {version, digest} its tasks run, or the code that refuses them
local fresh = {}  -- the positions of the tasks to create

-- Where shape `j`'s values start in ARGV, and where task `i`'s do in `values`.
local function shape_at(j)
  return 4 + SHAPE * (j - 1)
end
local function task_at(i)
  return 3 * (i - 1) + 1
end

-- The version and digest that tasks of shape `j` run, as {version, digest}: their own, or the
-- newest their queue knows; or -4 (the queue knows no version of the name) or -6 (the version
-- was removed from the registry). Learns a version a shape names.
local function pin(j)
  local b = shape_at(j)
  local name, version, digest = ARGV[b], ARGV[b + 1], ARGV[b + 2]
  if version == '0' then
    if newest[name] == nil then
      local v, d = known_module(KEYS[6], name)
      newest[name] = v and {tostring(v), d} or false
    end
    if not newest[name] then
      return -4
    end
    version, digest = newest[name][1], newest[name][2]
  elseif not learned[name] or tonumber(version) > tonumber(learned[name][1]) then
    learned[name] = {version, digest}
  end
  local versions = removed[name]
  if not versions then
    versions = {}
    removed[name] = versions
  end
  if versions[version] == nil then
    versions[version] = retired(KEYS[4], name, version)
  end
  if versions[version] then
    return -6
  end
  return {version, digest}
end

for i = 1, count do
  if redis.call('EXISTS', KEYS[13 + i]) == 0 then
    local j = values[task_at(i) + 1]
    if pins[j] == nil then
      pins[j] = pin(j)
    end
    if type(pins[j]) == 'number' then
      return {pins[j], i}
    end
    fresh[#fresh + 1] = i
  end
end

for name, named in pairs(learned) do
  learn_module(KEYS[6], name, named[1], named[2])
end
local pending = {}
local pending_at = {}  -- where each of `pending` is in the call
local scheduled = {}
local earliest = nil
local opened = {}
local shaped = {}  -- shape -> its tasks' shape field (include/shape.lua)
for _, i in ipairs(fresh) do
  local a = task_at(i)
  local j = values[a + 1]
  local b = shape_at(j)
  local run_at = ARGV[b + 9]
  local later = run_at ~= '0'
  local limits = ARGV[b + 10]
  if not shaped[j] then
    shaped[j] = encode_shape(ARGV[1], pins[j][2], pins[j][1], ARGV[b + 3], ARGV[b + 4],
      ARGV[b + 7], ARGV[b + 8], ARGV[b + 5])
  end
  create_task(KEYS[13 + i], later and 'scheduled' or 'pending', opened, values[a], ARGV[b],
    shaped[j], values[a + 2], ARGV[b + 6], later and run_at or nil, nil, nil,
    limits ~= '' and limits or nil)
  if later then
    scheduled[#scheduled + 1] = run_at
    scheduled[#scheduled + 1] = values[a]
    if not earliest or tonumber(run_at) < tonumber(earliest) then
      earliest = run_at
    end
  else
    pending[#pending + 1] = values[a]
    pending_at[#pending] = i
  end
end
-- Hands the oldest of the new tasks to run now (`pending`, their places in the call
-- `pending_at`) to the worker KEYS[12] and KEYS[13] name, if it stands by and nothing waits in
-- pending before them: leased as claim.lua would lease them, added to its claim record, and put
-- in its hand-off set as one packed claim reply. Returns how many it handed over.
local function hand_off(pending, pending_at)
  local entry = redis.call('HGET', KEYS[11], KEYS[12])
  if not entry or redis.call('LLEN', KEYS[1]) > 0 or redis.call('EXISTS', KEYS[10]) == 1 then
    return 0
  end
  -- {until, room, request, lease ms, worker, host, hand-off set, its keeping ms}: stand_by.lua
  local standing = cmsgpack.unpack(entry)
  -- Now is when the client made the first of them (scripts take time as an argument).
  local now = tonumber(ARGV[shape_at(values[task_at(pending_at[1]) + 1]) + 6])
  local record = redis.call('GET', KEYS[12])
  if standing[1] < now or standing[7] ~= KEYS[13] or not record
      or record_request(record) ~= standing[3] then
    redis.call('HDEL', KEYS[11], KEYS[12])
    return 0
  end
  local count = math.min(standing[2], #pending)
  local now_text = string.format('%d', now)
  local expires = now + standing[4]
  local expires_text = string.format('%d', expires)
  local claimed, ids, timeouts, taken = {}, {}, {}, {}
  local texts = new_shapes()
  for k = 1, count do
    local i = pending_at[k]
    local a = task_at(i)
    local j = values[a + 1]
    local b = shape_at(j)
    local limits = ARGV[b + 10]
    -- FIELDS of the hash as create_task wrote it (include/claimed.lua)
    local task = {values[a], ARGV[b], values[a + 2], false, ARGV[b + 6], false, false, false,
      limits ~= '' and limits or false, shape_place(texts, shaped[j]), false, 'pending', false,
      false, false}
    local token = lease_task(KEYS[13 + i], task, standing[5], standing[6], now_text, expires_text)
    claimed[k] = {values[a], token, expires, task}
    ids[k] = values[a]
    timeouts[#timeouts + 1] = expires_text
    timeouts[#timeouts + 1] = values[a]
    taken[k] = values[a] .. ':' .. task[LEASE_TOKEN]
  end
  redis.call('LPUSH', KEYS[8], unpack(ids))
  redis.call('ZADD', KEYS[9], unpack(timeouts))
  redis.call('APPEND', KEYS[12], ' ' .. table.concat(taken, ' '))
  redis.call('ZADD', KEYS[13], now, cmsgpack.pack({claimed, {}, FIELDS, 0, texts.list, 0}))
  redis.call('PEXPIRE', KEYS[13], standing[8])
  if standing[2] > count then
    standing[2] = standing[2] - count
    redis.call('HSET', KEYS[11], KEYS[12], cmsgpack.pack(standing))
  else
    redis.call('HDEL', KEYS[11], KEYS[12])
  end
  return count
end

open_tasks(KEYS[3], KEYS[7], opened)
local handed = 0
if #pending > 0 and ARGV[5 + SHAPE * shapes] == '1' then
  handed = hand_off(pending, pending_at)
end
if handed > 0 then
  pending = {unpack(pending, handed + 1)}
end
if #pending > 0 then
  -- In order: the first task ends up rightmost, where workers take from.
  redis.call('LPUSH', KEYS[1], unpack(pending))
  -- Wake one blocked worker, and name the task at the front for it: the worker claims that one
  -- without reading the queue first. A marker already set stays as it is: one member, so a
  -- burst leaves one marker, and what it names was pending before these. (A name gone stale,
  -- its task claimed or cancelled, costs the worker a claim that finds it gone, nothing more.)
  if redis.call('EXISTS', KEYS[2]) == 0 then
    redis.call('ZADD', KEYS[2], 0, pending[1])
  end
end
if earliest then
  redis.call('ZADD', KEYS[5], unpack(scheduled))
  -- Wake the schedulers sleeping until a later time: they look again and sleep until this one.
  redis.call('PUBLISH', ARGV[2], earliest)
end
-- A worker standing by, for the client's next call to name.
local next_record, next_handoff = '', ''
local any = redis.call('HRANDFIELD', KEYS[11], 1, 'WITHVALUES')
if #any == 2 then
  next_record, next_handoff = any[1], cmsgpack.unpack(any[2])[7]
end
return {1, #fresh, next_record, next_handoff}
