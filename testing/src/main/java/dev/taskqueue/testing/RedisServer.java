package dev.taskqueue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, owned by a test.
 *
 * <p>It never touches the machine's own Redis on 6379, nor another test run's server: the port
 * comes from the kernel (and another is chosen if some other process takes it before redis-server
 * binds it), the server that answers must have this process's pid, the data directory is a fresh
 * temporary folder, and persistence is off unless a test asks for AOF (to prove recovery across a
 * restart). A test may require a password ({@code requirepass}). {@link #stop()} and {@link
 * #start()} may be called repeatedly to simulate Redis going away and coming back on the same port.
 *
 * <p>A server (or cluster node) holds hashes as the deployments' Redis does: {@link
 * #DEPLOYED_SETTINGS}, which docker-compose.yml, quickstart.sh and the bench give their Redis too
 * (CompactTaskHashIT checks that they agree), so that tests run every script on the encoding a task
 * hash has in service.
 *
 * <p>The same process, set up otherwise, is a node of a {@link RedisCluster} or a sentinel of a
 * {@link RedisSentinel}.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;

  /**
   * The settings every server and cluster node starts with beyond the harness's own: those the
   * project's deployments run Redis with (docs/operations.md, "Redis").
   */
  public static final List<String> DEPLOYED_SETTINGS = List.of("--hash-max-listpack-value", "512");

  /** What the process is: a plain server, a node of a {@link RedisCluster}, a sentinel. */
  private enum Role {
    SERVER,
    CLUSTER_NODE,
    SENTINEL
  }

  private final Path directory;
  private final boolean appendOnly;
  private final String password;
  private final Role role;
  private volatile int port;

  /** A cluster node's bus port: its own, since port + 10000 may be past 65535. */
  private int busPort;

  /** More arguments for redis-server: a TLS cluster node's. */
  private final List<String> extraArgs;

  private boolean started;
  private Process process;

  private RedisServer(boolean appendOnly, String password) {
    this(appendOnly, password, freePort());
  }

  /** {@code port} is where to try first; tests of the harness give one that is taken. */
  RedisServer(boolean appendOnly, String password, int port) {
    this(appendOnly, password, port, Role.SERVER);
  }

  private RedisServer(boolean appendOnly, String password, int port, Role role) {
    this(appendOnly, password, port, role, List.of());
  }

  private RedisServer(
      boolean appendOnly, String password, int port, Role role, List<String> extraArgs) {
    this.extraArgs = List.copyOf(extraArgs);
    this.appendOnly = appendOnly;
    this.password = password;
    this.port = port;
    this.role = role;
    this.busPort = role == Role.CLUSTER_NODE ? freePort() : 0;
    try {
      this.directory = Files.createTempDirectory("task-queue-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server without persistence. */
  public static RedisServer startEphemeral() {
    RedisServer server = new RedisServer(false, null);
    server.start();
    return server;
  }

  /**
   * Starts a server without persistence whose default user needs {@code password} ({@code
   * requirepass}); connect with {@link #url(String)}. The password is given to redis-server as one
   * argument, and redis-server reads it as a config line: no blanks or quotes.
   */
  public static RedisServer startWithPassword(String password) {
    if (password.isEmpty() || password.matches(".*[\\s\"'].*")) {
      throw new IllegalArgumentException(
          "a requirepass password must be non-empty, without blanks or quotes");
    }
    RedisServer server = new RedisServer(false, password);
    server.start();
    return server;
  }

  /** Starts a server that writes an append-only file, so its data survives {@link #restart()}. */
  public static RedisServer startPersistent() {
    RedisServer server = new RedisServer(true, null);
    server.start();
    return server;
  }

  /**
   * Starts a server with cluster mode on, knowing no other node and serving no slot yet, for {@link
   * RedisCluster}; a node that misses others for 2 s counts them as failing.
   */
  static RedisServer startClusterNode() {
    return startClusterNode(List.of());
  }

  /** A cluster node started with more arguments ({@code extraArgs}), e.g. to serve TLS too. */
  static RedisServer startClusterNode(List<String> extraArgs) {
    RedisServer server = new RedisServer(false, null, freePort(), Role.CLUSTER_NODE, extraArgs);
    server.start();
    return server;
  }

  /**
   * Starts {@code redis-server --sentinel} with {@code config} as its configuration, for {@link
   * RedisSentinel}. The file is written in the server's directory, since Sentinel rewrites it.
   */
  static RedisServer startSentinel(String config) {
    RedisServer server = new RedisServer(false, null, freePort(), Role.SENTINEL);
    try {
      Files.writeString(server.directory.resolve("sentinel.conf"), config);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    }
    server.start();
    return server;
  }

  /** A loopback port on which nothing listens: where "Redis is not running". */
  public static int unusedPort() {
    return freePort();
  }

  public int port() {
    return port;
  }

  /** The {@code REDIS_URL} that reaches this server, database 0, without credentials. */
  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /**
   * The {@code REDIS_URL} that reaches this server, database 0, as {@code userInfo}: e.g. {@code
   * ":" + password} for the default user, written as given (percent-escape what needs it).
   */
  public String url(String userInfo) {
    return "redis://" + userInfo + "@127.0.0.1:" + port + "/0";
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the process (again) on this server's port and waits until it answers. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      launch();
      if (awaitAnswer()) {
        started = true;
        return;
      }
      // It exited at once. Before the first start that is most likely the port, which another
      // process took between freePort() and redis-server's bind: choose another. Once clients know
      // the port it cannot change.
      if (started || attempt == PORT_ATTEMPTS) {
        throw new IllegalStateException(
            "redis-server exited at startup on port "
                + port
                + " with code "
                + process.exitValue()
                + "; see "
                + directory.resolve("redis.log"));
      }
      port = freePort();
      busPort = role == Role.CLUSTER_NODE ? freePort() : 0;
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(binary("REDIS_SERVER", "redis-server"));
    if (role == Role.SENTINEL) {
      // The configuration file must be the first argument.
      command.addAll(List.of(directory.resolve("sentinel.conf").toString(), "--sentinel"));
    }
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            directory.toString(),
            "--save",
            "",
            "--appendonly",
            appendOnly ? "yes" : "no",
            "--appendfsync",
            "always",
            "--logfile",
            directory.resolve("redis.log").toString(),
            "--daemonize",
            "no"));
    if (role != Role.SENTINEL) {
      command.addAll(DEPLOYED_SETTINGS);
    }
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    command.addAll(extraArgs);
    if (role == Role.CLUSTER_NODE) {
      command.addAll(
          List.of(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              directory.resolve("nodes.conf").toString(),
              "--cluster-node-timeout",
              "2000",
              "--cluster-port",
              Integer.toString(busPort)));
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start redis-server ("
              + e.getMessage()
              + "): install it with 'apt-get install redis-server' or set REDIS_SERVER to its path",
          e);
    }
  }

  /** Kills the process (SIGKILL): what a crashed Redis looks like to its clients. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /** Stops the process gracefully (SIGTERM). */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      waitFor(process);
      process = null;
    }
  }

  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    stop();
    deleteRecursively(directory);
  }

  /** True once this process answers on the port; false if it exited first. */
  private boolean awaitAnswer() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      if (answersAsThisProcess()) {
        return true;
      }
      sleep(Duration.ofMillis(20));
    }
    throw new IllegalStateException("redis-server did not answer on port " + port);
  }

  /**
   * Whether the server on the port is this process: asked for its pid (INFO server), since while
   * this one is still failing to bind, another test run's server may answer there.
   */
  private boolean answersAsThisProcess() {
    try (Resp resp = Resp.connect(port, Duration.ofMillis(500))) {
      if (password != null && !"OK".equals(resp.send("AUTH", password))) {
        return false;
      }
      return resp.send("INFO", "server") instanceof String info
          && info.contains("\r\nprocess_id:" + process.pid() + "\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** The program {@code name}, or the path the environment variable {@code variable} gives. */
  static String binary(String variable, String name) {
    String configured = System.getenv(variable);
    return configured == null || configured.isBlank() ? name : configured;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void waitFor(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is harmless; the test result is what matters.
    }
  }
}
