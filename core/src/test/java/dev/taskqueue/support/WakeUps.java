package dev.taskqueue.support;

import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What scripts publish on the schedulers' wake-up channel, as a scheduler would hear it. */
public final class WakeUps implements AutoCloseable {
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final AutoCloseable subscription;

  public WakeUps(RedisSession session) {
    this.subscription = session.redis().subscribe(session.keys().schedulerChannel(), messages::add);
  }

  /** The first {@code count} messages, in order, once that many came (within 5 s). */
  public List<String> await(int count) throws InterruptedException {
    return List.copyOf(
        Eventually.await(
                () -> List.copyOf(messages),
                heard -> heard.size() >= count,
                Duration.ofSeconds(5),
                count + " wake-up messages")
            .subList(0, count));
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
