-- claimed: what leasing a task writes and what the worker is told of it, written once. LuaScript
-- expands it in place of the include line of claim.lua (a worker claims tasks it saw pending) and
-- of enqueue.lua (a new task handed to a worker standing by, stand_by.lua): either way the worker
-- reads the same reply (Claimer.java). Includes shape.lua before it.

-- What the reply gives of a task, its values in this order: the first STORED of these, what a
-- claim reads of a task hash (the fields running the task needs; the four a claim overwrites come
-- last, so that a claim reads only the others), then, for a task written before shapes, the
-- fields of its shape (include/shape.lua: SHAPE_FIELDS) one by one, as its hash holds them.
-- Written out, not built from SHAPE_FIELDS by a loop each call: that cost Redis 2 us a call, a
-- tenth of a claim whose reply says only that the queue is empty.
local FIELDS = {'id', 'name', 'payload', 'attempts', 'created_at', 'run_at', 'schedule',
  'fire_at', 'limits', 'shape', 'lease_token', 'stage', 'started_at', 'worker_id',
  'lease_expires_at', 'queue', 'module_digest', 'module_version', 'kind', 'max_retries',
  'retry_backoff_base_ms', 'retry_backoff_cap_ms', 'timeout_ms'}
local STORED = 15
-- Where the id, the shape, and the fields a claim writes, are in FIELDS.
local ID, PAYLOAD, ATTEMPTS, SHAPE, LEASE_TOKEN, STAGE, STARTED_AT, WORKER_ID,
  LEASE_EXPIRES_AT = 1, 3, 4, 10, 11, 12, 13, 14, 15

-- Leases `task`, whose FIELDS are `values` (as read, or as just written), to `worker` on `host`
-- from `now_text` until `expires_text` (ms since the epoch, as text): the next attempt, under the
-- next lease token. `values` then shows the hash as the lease left it. Returns the token.
local function lease_task(task, values, worker, host, now_text, expires_text)
  local token = (tonumber(values[LEASE_TOKEN]) or 0) + 1
  local token_text = string.format('%d', token)
  local attempts_text = string.format('%d', (tonumber(values[ATTEMPTS]) or 0) + 1)
  redis.call('HSET', task, 'stage', 'in_progress', 'attempts', attempts_text, 'lease_token',
    token_text, 'started_at', now_text, 'worker_id', worker, 'worker_host', host,
    'lease_expires_at', expires_text)
  values[STAGE] = 'in_progress'
  values[ATTEMPTS] = attempts_text
  values[LEASE_TOKEN] = token_text
  values[STARTED_AT] = now_text
  values[WORKER_ID] = worker
  values[LEASE_EXPIRES_AT] = expires_text
  return token
end

-- The shape texts a reply's tasks point into, each once: a task's `shape` value in the reply is
-- its text's place in `list` (claim.lua says why). `shape_place` adds a text when first seen.
local function new_shapes()
  return {list = {}, at = {}}
end

local function shape_place(shapes, text)
  local j = shapes.at[text]
  if not j then
    shapes.list[#shapes.list + 1] = text
    j = #shapes.list
    shapes.at[text] = j
  end
  return j
end

-- The request number a claim record (`<number> <id>:<token> ...`) holds, nil without a record.
local function record_request(record)
  return record and tonumber(string.match(record, '^%d+'))
end
