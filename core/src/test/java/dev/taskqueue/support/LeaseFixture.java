package dev.taskqueue.support;

import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.ExpiredLeases;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What the transition tests share: a session, a settable clock and the APIs of the transitions. */
public final class LeaseFixture {
  /** How long a claim's lease lasts before a heartbeat renews it. */
  public static final Duration LEASE = Duration.ofSeconds(5);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public final MutableClock clock = MutableClock.atFixedStart();
  public final Tasks tasks = new Tasks(clock);
  public final RedisSession session;
  public final RedissonClient client;
  public final Keys keys;
  public final TaskEnqueuer enqueuer;
  public final AttemptRecorder recorder;
  public final ExpiredLeases reaper;

  /** The share of a retry's backoff the next retry waits: fixed, so run-at times are known. */
  public double jitter = 0.5;

  private final String prefix;

  public LeaseFixture(TestRedis redis) {
    this.session = TestSessions.open(redis);
    this.client = TestSessions.client(redis.url());
    this.keys = session.keys();
    this.prefix = redis.prefix();
    this.enqueuer = new TaskEnqueuer(session.redis(), keys);
    this.recorder = new AttemptRecorder(session.redis(), keys, clock, () -> jitter);
    this.reaper = new ExpiredLeases(session.redis(), keys, clock, () -> jitter);
  }

  /** A claimer for a worker with this id, as one worker process has. */
  public Claimer claimer(String workerId) {
    return new Claimer(session.redis(), keys, clock, workerId, host(workerId), LEASE);
  }

  /** The host name the claimers of this fixture give for the worker {@code workerId}. */
  public static String host(String workerId) {
    return workerId + ".example";
  }

  /** Claims up to {@code max} tasks of {@code queue} as a fresh worker {@code workerId}. */
  public List<Claimed> claim(String queue, String workerId, int max) {
    return claimer(workerId).claim(queue, max);
  }

  /** Claims the task at the front of {@code queue}, which must read as a task. */
  public Claimed.Ready claimOne(String queue, String workerId) {
    return (Claimed.Ready) claim(queue, workerId, 1).get(0);
  }

  /** Every key under this test's prefix with its content. */
  public Map<String, Object> state() {
    return RedisState.of(client, prefix);
  }

  /** {@link #state()} without the claimers' records, whose names are random. */
  public Map<String, Object> stateWithoutClaimRecords() {
    Map<String, Object> state = new java.util.TreeMap<>(state());
    state.keySet().removeIf(key -> key.contains("}:claim:"));
    return state;
  }

  /** Enqueues a task and claims it as worker {@code w1}: the start of every end-of-attempt test. */
  public Claimed.Ready enqueueAndClaim(NewTask task) {
    enqueuer.enqueue(task);
    return claimOne(task.queue(), "w1");
  }

  /** The {@code attempt:<token>} record of a task, as a map. */
  public Map<String, Object> attempt(NewTask task, long token) {
    String json = hash(keys.task(task.queue(), task.id())).get("attempt:" + token);
    return json == null ? null : JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
  }

  /** The ended attempts of a task, as its readers see them. */
  public List<Attempt> history(NewTask task) {
    return TaskHash.read(hash(keys.task(task.queue(), task.id()))).history();
  }

  /** The fields of one hash as they are stored. */
  @SuppressWarnings("unchecked")
  public Map<String, String> hash(String key) {
    return (Map<String, String>) RedisState.key(client, key);
  }
}
