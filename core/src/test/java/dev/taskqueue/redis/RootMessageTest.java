package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisResponseTimeoutException;

/** The cause a user is shown of a driver failure: its own words, without the driver's additions. */
class RootMessageTest {

  @Test
  void aCommandUnansweredInTimeSaysHowLongWasWaited() {
    RedisException error =
        new RedisException(
            "wrapped",
            new RedisResponseTimeoutException(
                "Redis server response timeout (1000 ms) occurred after 0 of 0 retry attempts, is"
                    + " non-idempotent command: false Check connection with Redis node:"
                    + " 127.0.0.1/127.0.0.1:33879 for TCP packet drops or bandwidth limits.  Try"
                    + " to increase nettyThreads and/or timeout settings. Netty pending tasks: 0,"
                    + " command: (EVALSHA), params: [89519899, 10, {t:default}:pending], channel:"
                    + " [id: 0x6fb51462]"));

    assertEquals("no reply within 1000 ms", RedisConnector.rootMessage(error));
  }

  @Test
  void noConnectionToBeHadSaysSoWithoutTheDriversFutureAndAdvice() {
    // As a scheduler logged it a minute into a Redis stopped with SIGSTOP.
    RedisException error =
        new RedisConnectionException(
            "Unable to acquire connection! java.util.concurrent.CompletableFuture@518c3747"
                + "[Completed exceptionally: java.util.concurrent.CancellationException]"
                + "Increase connection pool size or timeout.");

    assertEquals(
        "no connection to it came free or could be made in time",
        RedisConnector.rootMessage(error));
  }

  @Test
  void theCommandAndTheChannelTheDriverAppendsAreLeftOut() {
    assertEquals(
        "Channel has been closed!",
        RedisConnector.rootMessage(
            new RedisConnectionException(
                "Channel has been closed! Can't write command: (EVALSHA), params: [a, 1, k]"
                    + " to channel: [id: 0x1]")));
    assertEquals(
        "Unable to write command into connection! Increase connection pool size",
        RedisConnector.rootMessage(
            new RedisConnectionException(
                "Unable to write command into connection! Increase connection pool size Node"
                    + " source: NodeSource [slot=0], connection: RedisConnection@1, command:"
                    + " (EVALSHA), params: [a, 1, k] after 0 retry attempts")));
    assertEquals(
        "WRONGPASS invalid username-password pair or user is disabled",
        RedisConnector.rootMessage(
            new RedisException(
                "WRONGPASS invalid username-password pair or user is disabled. channel: [id:"
                    + " 0x2] data: CommandData [command=(AUTH)]")));
  }

  @Test
  void aMessageWithNothingAppendedIsKeptWhole() {
    assertEquals(
        "Connection refused: /127.0.0.1:1",
        RedisConnector.rootMessage(new RedisException("Connection refused: /127.0.0.1:1")));
    assertEquals("IllegalStateException", RedisConnector.rootMessage(new IllegalStateException()));
  }
}
