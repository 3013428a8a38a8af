package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A claim whose reply is lost (Redis stops taking writes for longer than the command timeout) is
 * sent again once Redis is back, and the worker goes on draining. The claim was made for the room
 * the slots' pace gave before the pause; the pace has fallen to nothing by the time it is sent
 * again, since no task could end meanwhile, so the room it was made for must stay its own until it
 * is answered. Given back, the worker found less room than the claim's tasks and stopped claiming
 * for good, with those tasks leased to it and the rest of the queue waiting. Its log says where the
 * outage began and where it ended.
 */
@ExtendWith(RedisExtension.class)
class LostClaimTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final Duration PAUSE = Duration.ofMillis(1500);
  private static final int TASKS = 4000;

  @TempDir Path logs;
  private TestRedis redis;
  private WorkerFixture f;
  private Redis workerRedis;
  private Worker worker;
  private final Logger dispatcherLog = (Logger) LoggerFactory.getLogger(Dispatcher.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    f = new WorkerFixture(redis);
    dispatcherLog.setLevel(Level.INFO);
    lines.start();
    dispatcherLog.addAppender(lines);
  }

  @AfterEach
  void tearDown() {
    dispatcherLog.detachAppender(lines);
    dispatcherLog.setLevel(null);
    if (worker != null) {
      worker.stop(Duration.ofMillis(200));
    }
    if (workerRedis != null) {
      workerRedis.close();
    }
  }

  @Test
  void aClaimLostToAPauseIsSentAgainAfterItAndTheWorkerDrainsOn() throws Exception {
    f.publishWat("echo");
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      ids.add(f.submit("echo", "{}"));
    }
    workerRedis =
        new Redis(RedisConnector.connect(RedisUrl.parse(redis.url()), "worker", 8, TIMEOUT));
    worker =
        new Worker(
            WorkerFixture.settings(logs, 2, List.of("default")),
            new RedisSession(workerRedis, f.keys),
            Clock.systemUTC(),
            new PrometheusRegistry());
    worker.start();

    // Mid-drain, with a backlog claimed ahead at the slots' pace: claims are on their way.
    Eventually.await(
        () -> f.depth("default").finished(),
        finished -> finished >= TASKS / 4,
        Duration.ofSeconds(60),
        "a quarter of the tasks finished");
    try (Resp resp = Resp.connect(redis.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "WRITE"));
    }

    for (TaskId id : ids) {
      assertEquals(
          Stage.COMPLETED, f.await(id, t -> t.stage().isFinal(), Duration.ofSeconds(30)).stage());
    }
    List<String> events =
        lines.list.stream().map(line -> line.getKeyValuePairs().get(0).value.toString()).toList();
    int down = events.indexOf("worker.redis_unavailable");
    assertTrue(down >= 0, "the claim lost: " + events);
    assertTrue(
        events.subList(down, events.size()).contains("worker.redis_restored"), events::toString);
  }
}
