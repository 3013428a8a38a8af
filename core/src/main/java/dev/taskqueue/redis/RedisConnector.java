package dev.taskqueue.redis;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.config.Config;

/**
 * Opens the one Redisson client a process uses. It connects eagerly, so a wrong {@code REDIS_URL},
 * a Redis that is down or refused credentials stop the program at start-up with one line that says
 * which.
 *
 * <p>The client never retries a command by itself: a script resent blindly after a timeout can run
 * twice (a claim leasing tasks nobody runs, an enqueue reported as a duplicate). Which requests are
 * safe to send again is decided above, in {@link Resend}.
 */
public final class RedisConnector {
  private static final int CONNECT_TIMEOUT_MS = ClientConfig.CONNECT_TIMEOUT_MS;

  /** Between tries to connect to a Redis that accepts connections but does not answer yet. */
  private static final long RECONNECT_PAUSE_MS = 200;

  private RedisConnector() {}

  /**
   * Connects and checks the connection.
   *
   * @param clientName shown by {@code CLIENT LIST}, e.g. {@code task-queue-worker}
   * @param connections how many connections to keep (to each master of a cluster): one per
   *     concurrent caller plus one for blocking waits is plenty
   * @param timeout how long a command may go unanswered before it fails
   */
  public static RedissonClient connect(
      RedisUrl url, String clientName, int connections, Duration timeout) {
    return connect(url, clientName, connections, timeout, Duration.ZERO, Optional.empty());
  }

  /**
   * Like {@link #connect(RedisUrl, String, int, Duration)}, waiting up to {@code waitFor} for a
   * Redis that accepts connections but does not answer yet (paused, loading its data, in a
   * failover): connecting is tried again until it answers or the time is up. A Redis that refuses
   * connections, or the credentials, is reported at once.
   *
   * @param tlsCa for the {@code rediss} forms: a PEM file of the certificate authorities to trust
   *     instead of the JVM's ({@link TlsTrust})
   */
  public static RedissonClient connect(
      RedisUrl url,
      String clientName,
      int connections,
      Duration timeout,
      Duration waitFor,
      Optional<Path> tlsCa) {
    Config config = ClientConfig.of(url, clientName, connections, timeout);
    if (url.tls() && tlsCa.isPresent()) {
      config.setSslTrustManagerFactory(TlsTrust.of(tlsCa.get()));
    }
    long deadline = System.nanoTime() + waitFor.toNanos();
    while (true) {
      probe(url);
      try {
        return Redisson.create(config);
      } catch (RedisException | IllegalStateException e) {
        if (!timedOut(e) || System.nanoTime() - deadline >= 0) {
          throw unavailable(url, rootMessage(e), e);
        }
      }
      try {
        Thread.sleep(RECONNECT_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable(url, "interrupted while waiting for it to answer", e);
      }
    }
  }

  private static boolean timedOut(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * One plain TCP connect first: a Redis that is not running is reported at once, instead of after
   * the client's connection retries. Of several nodes (a cluster's, the sentinels) one accepting is
   * enough, as it is for the client; when none does, each one's reason is named.
   */
  private static void probe(RedisUrl url) {
    List<String> reasons = new ArrayList<>();
    IOException last = null;
    for (RedisUrl.Node node : url.nodes()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(node.host(), node.port()), CONNECT_TIMEOUT_MS);
        return;
      } catch (UnknownHostException e) {
        reasons.add((url.nodes().size() == 1 ? "" : node + ": ") + "unknown host " + node.host());
        last = e;
      } catch (IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        reasons.add((url.nodes().size() == 1 ? "" : node + ": ") + why);
        last = e;
      }
    }
    throw unavailable(url, String.join("; ", reasons), last);
  }

  /**
   * The message names {@code url} masked ({@link RedisUrl#toString}); {@code e} is Redisson's or
   * the socket's, whose messages name the address and, for AUTH, "(password masked)" only.
   */
  private static RedisUnavailableException unavailable(RedisUrl url, String why, Exception e) {
    return new RedisUnavailableException(
        "cannot connect to Redis at " + url + " (" + why + "): " + advice(why), e);
  }

  /**
   * What to do. Redis answered but refused the credentials, or is not deployed as the URL says:
   * starting it again would not help.
   */
  private static String advice(String why) {
    if (why.contains("certification path") || why.contains("PKIX")) {
      return "the server's TLS certificate is not trusted: set TASK_QUEUE_REDIS_TLS_CA to a PEM"
          + " file of the CA that signed it";
    }
    // The URL's form does not match what answered: Redisson's and Redis's own words.
    if (why.contains("GET-MASTER-ADDR-BY-NAME command returns empty")) {
      return "the sentinels know no master of that name: check the name after '#' in REDIS_URL";
    }
    if (why.contains("unknown command 'SENTINEL'")) {
      return "that is a Redis server, not a sentinel: use redis:// for it, or name the sentinels"
          + " (port 26379 unless set)";
    }
    if (why.contains("cluster support disabled")) {
      return "that Redis is not a cluster node: use redis:// or redis-sentinel:// for it";
    }
    boolean refused =
        why.startsWith("WRONGPASS")
            || why.startsWith("NOAUTH")
            || why.startsWith("ERR AUTH")
            || why.startsWith("ERR invalid password");
    return refused
        ? "check the user name and password in REDIS_URL"
        : "start redis-server there, or set REDIS_URL to where it runs";
  }

  /**
   * The innermost message, which names the real cause (refused, timed out, WRONGPASS...), in its
   * own words: without what the driver appends to them (advice on its settings, the command with
   * its arguments, the channel), which would fill a line of the user's with keys and the first
   * arguments of a script.
   */
  public static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    Matcher timeout = RESPONSE_TIMEOUT.matcher(message);
    if (timeout.lookingAt()) {
      return "no reply within " + timeout.group(1) + " ms";
    }
    if (message.startsWith(NO_CONNECTION)) {
      return "no connection to it came free or could be made in time";
    }
    int cut = message.length();
    for (String tail : DRIVER_TAILS) {
      int at = message.indexOf(tail);
      if (at > 0 && at < cut) {
        cut = at;
      }
    }
    return message.substring(0, cut);
  }

  /** Redisson's words for a command that got no reply in time; what follows them is its advice. */
  private static final Pattern RESPONSE_TIMEOUT =
      Pattern.compile("Redis server response timeout \\((\\d+) ms\\)");

  /**
   * Redisson's words when every connection of its pool waits for a reply or for a reconnection (a
   * Redis that stopped answering), then the state of its own future and advice to enlarge the pool,
   * which would not help.
   */
  private static final String NO_CONNECTION = "Unable to acquire connection!";

  /** Where Redisson's additions to a cause's own words start. */
  private static final List<String> DRIVER_TAILS =
      List.of(". channel:", ", channel:", " Node source:", ", command:", " Can't write command");
}
