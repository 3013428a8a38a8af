-- attempt: how an attempt ends, written once. LuaScript expands it in place of the include line
-- of end_attempt.lua (a worker ends its own attempt, presenting its lease token) and of
-- reap_expired.lua (the reaper ends attempts whose lease ran out). Both hand over the queue's
-- keys in this order:
--
-- KEYS[1]  pending list     KEYS[5]  dlq list
-- KEYS[2]  processing list  KEYS[6]  scheduled zset
-- KEYS[3]  timeout zset     KEYS[7]  marker zset
-- KEYS[4]  finished list    KEYS[8]  open hash
--
-- The rule, for an attempt of a task in_progress:
--   completed                          -> completed, into finished
--   released (its worker is stopping)  -> pending, back at the front of pending; the attempt counts
--   failed or lost, retries left       -> retrying, into scheduled at now + backoff
--   failed or lost, none left          -> dead, into dlq
-- where "retries left" means attempts <= max_retries, and the backoff is exponential with full
-- jitter: floor(jitter * min(cap, base * 2^(attempts - 1))), jitter in [0, 1) given by the caller
-- (scripts must not draw random numbers), base and cap from the task hash.
-- Each ended attempt is kept in the hash as attempt:<lease token>, a JSON object: attempt,
-- outcome, started_at, ended_at, worker, and error, log and retry_at where they apply.

local DEFAULT_BACKOFF_BASE_MS = 1000
local DEFAULT_BACKOFF_CAP_MS = 300000

local function close_open(name)
  if name and redis.call('HINCRBY', KEYS[8], name, -1) <= 0 then
    redis.call('HDEL', KEYS[8], name)
  end
end

-- Ends the attempt held under `token` as `ending` (completed | released | failed | lost).
-- `text` is the result (completed) or the error (failed, lost); `log` the log location or ''.
-- Returns the stage the task is now in and, for retrying, when it runs again (else 0).
local function end_attempt(task, id, token, now, ending, text, encoding, log, jitter)
  local t = redis.call('HMGET', task, 'attempts', 'max_retries', 'started_at', 'worker_id', 'name',
    'retry_backoff_base_ms', 'retry_backoff_cap_ms')
  local attempts = tonumber(t[1]) or 0
  local record = {attempt = attempts, outcome = ending, started_at = tonumber(t[3]),
    ended_at = now, worker = t[4]}
  redis.call('LREM', KEYS[2], 1, id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', task, 'lease_expires_at')
  if log ~= '' then
    record.log = log
    redis.call('HSET', task, 'log_path', log)
  end

  local stage
  local run_at = 0
  if ending == 'completed' then
    stage = 'completed'
    redis.call('HSET', task, 'result', text, 'result_encoding', encoding, 'finished_at', now)
    redis.call('HDEL', task, 'error')
    redis.call('LPUSH', KEYS[4], id)
    close_open(t[5])
  elseif ending == 'released' then
    stage = 'pending'
    redis.call('HDEL', task, 'worker_id')
    -- Workers take from the right, so the right end is the front of the queue.
    redis.call('RPUSH', KEYS[1], id)
    redis.call('ZADD', KEYS[7], 0, 'work')
  else
    record.error = text
    redis.call('HSET', task, 'error', text)
    if attempts <= (tonumber(t[2]) or 0) then
      local base = tonumber(t[6]) or DEFAULT_BACKOFF_BASE_MS
      local cap = tonumber(t[7]) or DEFAULT_BACKOFF_CAP_MS
      stage = 'retrying'
      run_at = now + math.floor(jitter * math.min(cap, base * 2 ^ (attempts - 1)))
      record.retry_at = run_at
      redis.call('HSET', task, 'run_at', run_at)
      redis.call('HDEL', task, 'worker_id')
      redis.call('ZADD', KEYS[6], run_at, id)
    else
      stage = 'dead'
      redis.call('HSET', task, 'finished_at', now)
      redis.call('LPUSH', KEYS[5], id)
      close_open(t[5])
    end
  end
  redis.call('HSET', task, 'stage', stage, 'attempt:' .. token, cjson.encode(record))
  return stage, run_at
end
