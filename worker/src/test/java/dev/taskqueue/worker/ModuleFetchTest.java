package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** A module's bytes are read again while Redis does not answer, for as long as the worker waits. */
@ExtendWith(RedisExtension.class)
class ModuleFetchTest {
  /** Redis stops answering for this long, four times the client's command timeout. */
  private static final Duration PAUSE = Duration.ofMillis(800);

  private TestRedis redis;
  private WorkerFixture f;
  private RedissonClient impatient;
  private ModuleStore store;
  private long pausedUntil = System.nanoTime();

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    f = new WorkerFixture(redis);
    impatient =
        RedisConnector.connect(
            RedisUrl.parse(redis.url()), "module-fetch-test", 2, Duration.ofMillis(200));
    store = new ModuleStore(new Redis(impatient), f.keys);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    impatient.shutdown();
    // The next test's clients must find Redis answering again.
    Thread.sleep(Math.max(0, (pausedUntil - System.nanoTime()) / 1_000_000 + 50));
  }

  @Test
  void aFetchWaitsOutAPauseShorterThanItsPatience() throws Exception {
    ModuleVersion echo = f.publishWat("echo");
    byte[] expected = f.modules.bytes(echo.digest()).orElseThrow();
    ModuleFetch fetch = new ModuleFetch(store, Clock.systemUTC(), Duration.ofSeconds(3));

    long start = System.nanoTime();
    pause(PAUSE);
    byte[] fetched = fetch.apply(echo.digest());

    assertArrayEquals(expected, fetched);
    assertTrue(System.nanoTime() - start >= PAUSE.toNanos() / 2, "it did wait for the pause");
  }

  @Test
  void aPauseLongerThanItsPatienceFailsTheFetch() throws Exception {
    ModuleVersion echo = f.publishWat("echo");
    ModuleFetch fetch = new ModuleFetch(store, Clock.systemUTC(), Duration.ofMillis(100));

    pause(PAUSE);

    assertThrows(RedisUnavailableException.class, () -> fetch.apply(echo.digest()));
  }

  @Test
  void bytesNoLongerInTheRegistryAreNotFound() {
    ModuleFetch fetch = new ModuleFetch(store, Clock.systemUTC(), Duration.ofSeconds(3));

    NotFoundException e =
        assertThrows(NotFoundException.class, () -> fetch.apply("sha256:" + "0".repeat(64)));
    assertTrue(
        e.getMessage().startsWith("its bytes are no longer in the registry"), e.getMessage());
  }

  /** Every client of the server waits, from now for {@code pause} (CLIENT PAUSE ... ALL). */
  private void pause(Duration pause) throws IOException {
    String[] command = {"CLIENT", "PAUSE", Long.toString(pause.toMillis()), "ALL"};
    StringBuilder resp = new StringBuilder("*" + command.length + "\r\n");
    for (String word : command) {
      resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
    }
    pausedUntil = System.nanoTime() + pause.toNanos();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(resp.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int read = in.readNBytes(reply, 0, reply.length);
      assertTrue(
          new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+OK"),
          "CLIENT PAUSE answered " + new String(reply, 0, read, StandardCharsets.US_ASCII));
    }
  }
}
