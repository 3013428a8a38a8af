package dev.taskqueue.redis;

import dev.taskqueue.error.RedisUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisWrongPasswordException;

/**
 * What a driver failure means to task-queue: Redis out of reach for now ({@link
 * RedisUnavailableException}), or Redis refusing a command, which is a bug or data this program did
 * not write ({@link IllegalStateException}). Every request of {@link Redis}, {@link RedisScripts}
 * and {@link RedisStreams} goes through {@link #call}, so no driver exception gets past them.
 */
final class RedisFailures {
  private RedisFailures() {}

  /** {@link #translate} for a failure that reached a future's callback, possibly wrapped. */
  static RuntimeException translateAsync(String name, String subject, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof RuntimeException e
        ? translate(name, subject, e)
        : new CompletionException(cause);
  }

  /**
   * Runs {@code command}; {@code name} and {@code subject} (a key, a script) name it in an error,
   * put together only then: this is every request's path.
   */
  static <T> T call(String name, String subject, Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw translate(name, subject, e);
    }
  }

  /**
   * Redis answering with an error is a bug or foreign data; every other driver failure means Redis
   * is, for now, out of reach.
   */
  static RuntimeException translate(String name, String subject, RuntimeException e) {
    String root = RedisConnector.rootMessage(e);
    if (e instanceof RedisWrongPasswordException || e instanceof RedisAuthRequiredException) {
      return new RedisUnavailableException(
          "Redis refused the credentials (" + root + "): check the user and password in REDIS_URL",
          e);
    }
    if (e instanceof RedisOutOfMemoryException) {
      return new RedisUnavailableException(
          "Redis is out of memory (" + root + "): free memory or raise its maxmemory", e);
    }
    if (root.contains("MOVED")) {
      return new RedisUnavailableException(
          "Redis answered "
              + name
              + " "
              + subject
              + " with a redirection ("
              + root
              + "): it is a Redis Cluster; name its nodes in REDIS_URL as"
              + " redis-cluster://host:port,...",
          e);
    }
    if (isErrorReply(e)) {
      return new IllegalStateException("Redis refused " + name + " " + subject + ": " + root, e);
    }
    return new RedisUnavailableException(
        "Redis stopped answering ("
            + root
            + "): check that it runs and that REDIS_URL points to it",
        e);
  }

  /**
   * An error reply that is neither transient (LOADING, BUSY, READONLY after a failover, MASTERDOWN,
   * TRYAGAIN, CLUSTERDOWN: the driver has a class for each) nor about the connection. CROSSSLOT
   * (keys of two cluster slots in one command) is a bug of ours.
   */
  private static boolean isErrorReply(RuntimeException e) {
    return e.getClass() == RedisException.class
        && e.getMessage() != null
        && (e.getMessage().startsWith("ERR")
            || e.getMessage().startsWith("WRONGTYPE")
            || e.getMessage().startsWith("CROSSSLOT"));
  }
}
