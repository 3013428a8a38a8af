package dev.taskqueue.redis;

import dev.taskqueue.config.RedisUrl;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.TransportMode;

/**
 * How the one Redisson client of a process is set up. Whatever the deployment, the client sends
 * each command once (no retries: see {@link RedisConnector}).
 */
final class ClientConfig {
  static final int CONNECT_TIMEOUT_MS = 3_000;

  private ClientConfig() {}

  static Config of(RedisUrl url, String clientName, int connections, Duration timeout) {
    Config config = new Config();
    config.setCodec(StringCodec.INSTANCE);
    config.setNettyThreads(Math.max(2, Math.min(16, connections)));
    config.setThreads(2);
    // Netty's native transport where it runs (Linux on x86-64 and ARM): each round trip wakes
    // fewer threads and makes fewer system calls than Java's NIO (docs/dependencies.md).
    config.setTransportMode(Epoll.isAvailable() ? TransportMode.EPOLL : TransportMode.NIO);
    // Redisson's live-object references are not used here; left on, every argument of every
    // command is checked for their annotations by reflection (a few per cent of a worker's CPU).
    config.setReferenceEnabled(false);
    config
        .useSingleServer()
        .setAddress(url.address())
        .setDatabase(url.database())
        .setClientName(clientName)
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setTimeout(Math.toIntExact(timeout.toMillis()))
        .setRetryAttempts(0)
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(Math.max(2, connections))
        .setSubscriptionConnectionMinimumIdleSize(0)
        .setSubscriptionConnectionPoolSize(1);
    url.username().ifPresent(config::setUsername);
    url.password().ifPresent(config::setPassword);
    return config;
  }
}
