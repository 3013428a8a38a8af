package dev.taskqueue.testing;

import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test a {@link TestRedis}: a real {@code redis-server} shared by
 * the whole test run (started once on a free port, stopped when the run ends) and a key prefix of
 * its own, so tests never see each other's keys and nothing needs flushing.
 *
 * <pre>
 * &#64;ExtendWith(RedisExtension.class)
 * class EnqueueTest {
 *   &#64;Test
 *   void enqueues(TestRedis redis) { ... redis.url() ... redis.prefix() ... }
 * }
 * </pre>
 */
public final class RedisExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestRedis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SharedServer shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(SharedServer.class, k -> new SharedServer(), SharedServer.class);
    return new TestRedis(shared.server, freshPrefix());
  }

  private static String freshPrefix() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Holds the run-wide server; JUnit closes it when the root context closes. */
  private static final class SharedServer implements AutoCloseable {
    final RedisServer server = RedisServer.startEphemeral();

    @Override
    public void close() {
      server.close();
    }
  }
}
