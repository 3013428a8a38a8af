-- marker: wakes an idle worker for the tasks waiting in a queue, written once for every script that
-- puts tasks in pending by another way than enqueue (promote_due, fire_schedule, replay_dead, a
-- release in include/attempt.lua, pause_queue's resume). claim.lua does the same as it reads the
-- front for its reply.

-- Leaves the queue's marker holding one member: the id of the task now at the front of pending
-- (the right end, where workers take from), which the woken worker claims without reading the
-- queue first (QueueWakeup.java). A marker already set is replaced: what it named may no longer
-- be at the front, and one member wakes one worker, whose claim sets the marker again while tasks
-- remain. None is set when pending is empty.
local function mark_front(pending, marker)
  local front = redis.call('LINDEX', pending, -1)
  redis.call('DEL', marker)
  if front then
    redis.call('ZADD', marker, 0, front)
  end
end
