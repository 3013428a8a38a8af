package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The redis-server a benchmark starts for itself when {@code REDIS_URL} names none: on a free port
 * of the loopback address, keeping nothing on disk, set up as the compose file's Redis.
 */
final class OwnRedisServer {
  private final Process process;
  private final String url;

  private OwnRedisServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts one and waits until it takes connections; its log goes to {@code dir/redis.log}.
   *
   * @throws TaskQueueException when it does not take connections within about 25 s (it is stopped)
   */
  static OwnRedisServer start(Path dir) throws IOException, InterruptedException {
    int port = freePort();
    Process process =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                // As the compose file's Redis: compact task hashes (docs/operations.md, "Redis").
                "--hash-max-listpack-value",
                "512",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    try {
      awaitConnections(port);
    } catch (InterruptedException | RuntimeException e) {
      process.destroy();
      throw e;
    }
    return new OwnRedisServer(process, "redis://127.0.0.1:" + port + "/0");
  }

  /** Where it listens, as a {@code REDIS_URL}. */
  String url() {
    return url;
  }

  /** Stops the server, waiting up to 10 s for it to exit. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static void awaitConnections(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new TaskQueueException(ExitCode.UNAVAILABLE, "redis-server did not start");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
