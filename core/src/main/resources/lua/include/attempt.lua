-- attempt: how an attempt ends, written once. LuaScript expands it in place of the include line
-- of end_attempt.lua (a worker ends the attempts it holds, presenting their lease tokens) and of
-- reap_expired.lua (the reaper ends attempts whose lease ran out), each including shape.lua and
-- marker.lua before it. Both hand over the queue's keys in this order:
--
-- KEYS[1]  pending list     KEYS[5]  dlq list
-- KEYS[2]  processing list  KEYS[6]  scheduled zset
-- KEYS[3]  timeout zset     KEYS[7]  marker zset
-- KEYS[4]  finished list    KEYS[8]  open hash
--                           KEYS[9]  stats hash
--
-- The rule, for an attempt of a task in_progress:
--   completed                          -> completed, into finished
--   released (its worker is stopping)  -> pending, back at the front of pending; the attempt counts
--   failed or lost, retries left       -> retrying, into scheduled at now + backoff
--   failed or lost, none left          -> dead, into dlq
-- where "retries left" means attempts <= max_retries, and the backoff is exponential with full
-- jitter: floor(jitter * min(cap, base * 2^(attempts - 1))), jitter in [0, 1) given by the caller
-- (scripts must not draw random numbers), base and cap from the task hash. A failure given no
-- jitter (nil) is one no retry can mend: the task is dead whatever retries it has left.
-- Each ended attempt is kept in the hash as attempt:<lease token>, a JSON object: attempt,
-- outcome, started_at, ended_at, worker, and host (the worker's machine), error, log and retry_at
-- where they apply. All but one: a task's first attempt that completes keeps no record, because
-- the hash says all of it and is never written again (completed is final): attempts,
-- lease_token, started_at, finished_at, worker_id, worker_host and log_path, none of them left
-- over from an earlier attempt. Readers (AttemptHistory.java, include/lease.lua) take the hash
-- for that record. Most tasks end so, and the record's table, JSON and field were about a fifth
-- of what ending a task cost Redis.
--
-- A script ends a batch of attempts: each task's hash is written at once, while the writes to
-- the queue's lists and sets are gathered (new_ends) and made together at the end (apply_ends),
-- one command per key for the whole batch. The hash is what a repeat in the same batch reads, so
-- it still finds the attempt ended.

-- Attempts ended are counted in the stats hash per bucket of this many ms, completed:<bucket> and
-- failed:<bucket> (lost ones count as failed): `producer stats` sums the last minute's. Buckets
-- older than STATS_BUCKETS are deleted whenever a new one starts.
local STATS_BUCKET_MS = 10000
local STATS_BUCKETS = 7
local DEFAULT_BACKOFF_BASE_MS = 1000
local DEFAULT_BACKOFF_CAP_MS = 300000

-- What ending an attempt reads of the task hash, the lease check's fields included: one HMGET.
-- What only a retry needs (max retries and backoff, in its shape: include/shape.lua, which the
-- script includes before this) is read when an attempt failed or was lost: most end completed,
-- and each field read costs a scan of the hash.
local ATTEMPT_FIELDS = {'stage', 'lease_token', 'lease_expires_at', 'worker_id', 'attempts',
  'started_at', 'name', 'worker_host'}

-- The task hash's ATTEMPT_FIELDS by name; a missing field is false. Made whole by one
-- constructor: filled a field at a time, the table grew four times for each task ended.
local function read_attempt(task)
  local v = redis.call('HMGET', task, unpack(ATTEMPT_FIELDS))
  return {stage = v[1], lease_token = v[2], lease_expires_at = v[3], worker_id = v[4],
    attempts = v[5], started_at = v[6], name = v[7], worker_host = v[8]}
end

-- The shape (include/shape.lua) of `task`, whose ATTEMPT_FIELDS are `t`: its `shape` field is
-- read when first needed, and kept in `t` for whoever needs it next (the reaper, then the ending).
local function attempt_shape(task, t)
  if t.shape == nil then
    t.shape = redis.call('HGET', task, 'shape')
  end
  return read_shape(task, t.shape)
end

-- The queue writes of a batch ending at `now` (ms since the epoch), gathered until apply_ends,
-- with `now` as text made once for the batch: Lua would print it again for every command.
local function new_ends(now)
  return {now = now, now_text = string.format('%d', now), timeout = {}, finished = {}, dlq = {},
    pending = {}, scheduled = {}, open = {}, completed = 0, failed = 0}
end

local function push(list, value)
  list[#list + 1] = value
end

-- Ends the attempt held under `token` as `ending` (completed | released | failed | lost) at the
-- batch's time (new_ends), given the task's fields `t` (read_attempt). `text` is the result (completed) or the error (failed,
-- lost); `log` the log location or ''. Returns the stage the task is now in and, for retrying,
-- when it runs again (else 0).
local function end_attempt(ends, task, id, t, token, ending, text, encoding, log, jitter)
  local now, now_text = ends.now, ends.now_text
  local attempts = tonumber(t.attempts) or 0
  local record = nil
  if ending ~= 'completed' or attempts ~= 1 then
    record = {attempt = attempts, outcome = ending, started_at = tonumber(t.started_at),
      ended_at = now, worker = t.worker_id, host = t.worker_host or nil}
  end
  -- From the tail: the oldest claims are there, and they are the likeliest to end first.
  redis.call('LREM', KEYS[2], -1, id)
  push(ends.timeout, id)
  -- The fields to write (`set`, `n` of them so far) and to delete (`unset`, `u`), appended in
  -- place: a function call for each cost more than the table writes it made.
  local set, n = {}, 0
  local unset, u = {'lease_expires_at'}, 1
  if log ~= '' then
    if record then
      record.log = log
    end
    set[1], set[2], n = 'log_path', log, 2
  end

  local stage
  local run_at = 0
  if ending == 'completed' then
    stage = 'completed'
    set[n + 1], set[n + 2], n = 'result', text, n + 2
    -- Most results are text: a missing encoding is utf-8 to every reader.
    if encoding ~= 'utf-8' then
      set[n + 1], set[n + 2], n = 'result_encoding', encoding, n + 2
    end
    set[n + 1], set[n + 2], n = 'finished_at', now_text, n + 2
    -- Only an attempt that keeps a record can follow one that failed: a first one has no error.
    if record then
      unset[u + 1], u = 'error', u + 1
    end
    push(ends.finished, id)
    ends.open[t.name] = (ends.open[t.name] or 0) + 1
    ends.completed = ends.completed + 1
  elseif ending == 'released' then
    stage = 'pending'
    unset[u + 1], unset[u + 2], u = 'worker_id', 'worker_host', u + 2
    push(ends.pending, id)
  else
    record.error = text
    ends.failed = ends.failed + 1
    set[n + 1], set[n + 2], n = 'error', text, n + 2
    local shape = jitter and attempt_shape(task, t)
    if shape and attempts <= (tonumber(shape.max_retries) or 0) then
      local base = tonumber(shape.retry_backoff_base_ms) or DEFAULT_BACKOFF_BASE_MS
      local cap = tonumber(shape.retry_backoff_cap_ms) or DEFAULT_BACKOFF_CAP_MS
      stage = 'retrying'
      run_at = now + math.floor(jitter * math.min(cap, base * 2 ^ (attempts - 1)))
      local run_at_text = string.format('%d', run_at)
      record.retry_at = run_at
      set[n + 1], set[n + 2], n = 'run_at', run_at_text, n + 2
      unset[u + 1], unset[u + 2], u = 'worker_id', 'worker_host', u + 2
      push(ends.scheduled, run_at_text)
      push(ends.scheduled, id)
      if not ends.earliest or run_at < ends.earliest then
        ends.earliest, ends.earliest_text = run_at, run_at_text
      end
    else
      stage = 'dead'
      set[n + 1], set[n + 2], n = 'finished_at', now_text, n + 2
      push(ends.dlq, id)
      ends.open[t.name] = (ends.open[t.name] or 0) + 1
    end
  end
  set[n + 1], set[n + 2], n = 'stage', stage, n + 2
  if record then
    set[n + 1], set[n + 2] = 'attempt:' .. token, cjson.encode(record)
  end
  redis.call('HSET', task, unpack(set))
  redis.call('HDEL', task, unpack(unset))
  return stage, run_at
end

-- Counts a batch's ended attempts in the stats hash (KEYS[9]), in the bucket of its time.
local function count_ends(ends)
  local bucket = math.floor(ends.now / STATS_BUCKET_MS)
  local started = false
  for _, kind in ipairs({'completed', 'failed'}) do
    local n = ends[kind]
    if n > 0 and redis.call('HINCRBY', KEYS[9], kind .. ':' .. bucket, n) == n then
      started = true
    end
  end
  if started then
    for _, field in ipairs(redis.call('HKEYS', KEYS[9])) do
      local old = tonumber(string.match(field, '^%a+:(%d+)$'))
      if old and old <= bucket - STATS_BUCKETS then
        redis.call('HDEL', KEYS[9], field)
      end
    end
  end
end

-- Makes the queue writes a batch gathered: one command per key. Retries are due at a time no
-- scheduler planned for: the earliest is published on `channel`, the schedulers' wake-up channel
-- (as enqueue.lua does for a task for later), so that a sleeping scheduler promotes it on time
-- rather than at its next planned sweep.
local function apply_ends(ends, channel)
  count_ends(ends)
  if #ends.timeout > 0 then
    redis.call('ZREM', KEYS[3], unpack(ends.timeout))
  end
  if #ends.finished > 0 then
    redis.call('LPUSH', KEYS[4], unpack(ends.finished))
  end
  if #ends.dlq > 0 then
    redis.call('LPUSH', KEYS[5], unpack(ends.dlq))
  end
  if #ends.pending > 0 then
    -- Workers take from the right, so the right end is the front of the queue: the marker names
    -- the last task released.
    redis.call('RPUSH', KEYS[1], unpack(ends.pending))
    mark_front(KEYS[1], KEYS[7])
  end
  if #ends.scheduled > 0 then
    redis.call('ZADD', KEYS[6], unpack(ends.scheduled))
    redis.call('PUBLISH', channel, ends.earliest_text)
  end
  for name, closed in pairs(ends.open) do
    if name and redis.call('HINCRBY', KEYS[8], name, -closed) <= 0 then
      redis.call('HDEL', KEYS[8], name)
    end
  end
end
