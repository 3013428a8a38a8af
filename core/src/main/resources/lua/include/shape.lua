-- shape: what a task has in common with the other tasks of its submission, kept in its hash as
-- one field, `shape`, a JSON object of SHAPE_FIELDS (numbers as JSON numbers). Written once per
-- shape of a call by enqueue.lua and fire_schedule.lua (include/new_task.lua), read by every
-- script that needs one of them. One field instead of eight: writing a task's hash cost Redis a
-- dictionary entry and two strings per field, the largest part of what a batch submit costs it.
--
-- A task written before shapes (its fields are in the hash one by one, no `shape`) is read from
-- those fields, so an upgrade finds the tasks in flight as they were.

local SHAPE_FIELDS = {'queue', 'module_digest', 'module_version', 'kind', 'max_retries',
  'retry_backoff_base_ms', 'retry_backoff_cap_ms', 'timeout_ms'}

-- The `shape` field of a task of queue `queue` running module version `version` (digest
-- `digest`), of kind `kind`, retried up to `max_retries` times with a backoff from `base` to
-- `cap` ms, each attempt at most `timeout` ms. Numbers may come as text.
local function encode_shape(queue, digest, version, kind, max_retries, base, cap, timeout)
  return cjson.encode({queue = queue, module_digest = digest, module_version = tonumber(version),
    kind = kind, max_retries = tonumber(max_retries), retry_backoff_base_ms = tonumber(base),
    retry_backoff_cap_ms = tonumber(cap), timeout_ms = tonumber(timeout)})
end

-- Shapes already read by this call, by their text: the tasks of one call mostly share one.
local shapes_read = {}

-- The SHAPE_FIELDS of task hash `task`, whose `shape` field holds `text` (false when it has
-- none), as a table of text values as a hash field would hold them; a field missing, or not
-- readable (a corrupt hash), is absent, as HGET would find it.
local function read_shape(task, text)
  if not text then
    local values = redis.call('HMGET', task, unpack(SHAPE_FIELDS))
    local shape = {}
    for i, field in ipairs(SHAPE_FIELDS) do
      shape[field] = values[i] or nil
    end
    return shape
  end
  local shape = shapes_read[text]
  if not shape then
    shape = {}
    local ok, decoded = pcall(cjson.decode, text)
    if ok and type(decoded) == 'table' then
      for _, field in ipairs(SHAPE_FIELDS) do
        local value = decoded[field]
        if type(value) == 'number' then
          shape[field] = string.format('%d', value)
        elseif type(value) == 'string' then
          shape[field] = value
        end
      end
    end
    shapes_read[text] = shape
  end
  return shape
end
