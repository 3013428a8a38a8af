package dev.taskqueue.redis;

import dev.taskqueue.config.RedisUrl;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;
import org.redisson.config.TransportMode;

/**
 * How the one Redisson client of a process is set up, for each way Redis may be deployed ({@link
 * RedisUrl.Topology}). Whatever the deployment, the client sends each command once (no retries: see
 * {@link RedisConnector}) and only to a master: a worker must read what it has just written, and a
 * replica may not have it yet.
 */
final class ClientConfig {
  static final int CONNECT_TIMEOUT_MS = 3_000;

  /**
   * Never waited (nothing is retried), but Redisson sizes its timer's tick from it: the tick is
   * half the last two digits of the smaller of this and the command timeout, in milliseconds (at
   * least 10), and 100 ms when those digits are 00 (50 for a timeout of 100 ms). The default delay
   * is a random 500 to 1,000 ms, so each process's timer woke every 10 to 49 ms, idle or not; at
   * 100 ms an idle worker uses a fifth less CPU (docs/benchmarks-journal.md, thirty-third session).
   */
  static final ConstantDelay TIMER_TICK_DELAY = new ConstantDelay(Duration.ofSeconds(1));

  private ClientConfig() {}

  /**
   * @param connections connections to keep to each master
   */
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
    // Sent to every server, cluster node and master; sentinels, see sentinel().
    url.username().ifPresent(config::setUsername);
    url.password().ifPresent(config::setPassword);
    switch (url.topology()) {
      case SINGLE ->
          common(config.useSingleServer(), clientName, timeout)
              .setAddress(url.address())
              .setDatabase(url.database())
              .setConnectionMinimumIdleSize(1)
              .setConnectionPoolSize(Math.max(2, connections))
              .setSubscriptionConnectionMinimumIdleSize(0)
              .setSubscriptionConnectionPoolSize(1);
      case CLUSTER -> {
        ClusterServersConfig cluster = config.useClusterServers();
        url.addresses().forEach(cluster::addNodeAddress);
        mastersOnly(common(cluster, clientName, timeout), connections);
      }
      case SENTINEL -> sentinel(config.useSentinelServers(), url, clientName, connections, timeout);
    }
    return config;
  }

  private static void sentinel(
      SentinelServersConfig sentinel,
      RedisUrl url,
      String clientName,
      int connections,
      Duration timeout) {
    url.addresses().forEach(sentinel::addSentinelAddress);
    mastersOnly(common(sentinel, clientName, timeout), connections)
        .setMasterName(url.masterName().orElseThrow())
        .setDatabase(url.database())
        // Redisson would refuse to start unless it reaches at least two sentinels, each of which
        // knows the others: one sentinel down would then stop every process from starting, and a
        // deployment with one sentinel (a test, a small site) could not be used at all. How many
        // sentinels guard the master is the operator's decision; the client needs one to answer.
        .setCheckSentinelsList(false);
    // Redisson asks the sentinels without credentials first, and sends these only to a sentinel
    // that demands some: the URL has one user and password, the data servers', so a sentinel
    // protected by a password must accept the same (unset, Redisson would send the password
    // alone, as the default user's).
    url.username().ifPresent(sentinel::setSentinelUsername);
    url.password().ifPresent(sentinel::setSentinelPassword);
  }

  /** What every deployment's servers share. */
  private static <T extends BaseConfig<T>> T common(
      T servers, String clientName, Duration timeout) {
    return servers
        .setClientName(clientName)
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setTimeout(Math.toIntExact(timeout.toMillis()))
        .setRetryAttempts(0)
        .setRetryDelay(TIMER_TICK_DELAY);
  }

  /**
   * Every command and subscription to the masters, with the pool a single server would have on
   * each; no connection is kept to a replica, since nothing is read from one.
   */
  private static <T extends BaseMasterSlaveServersConfig<T>> T mastersOnly(
      T servers, int connections) {
    return servers
        .setReadMode(ReadMode.MASTER)
        .setSubscriptionMode(SubscriptionMode.MASTER)
        .setMasterConnectionMinimumIdleSize(1)
        .setMasterConnectionPoolSize(Math.max(2, connections))
        .setSlaveConnectionMinimumIdleSize(0)
        .setSubscriptionConnectionMinimumIdleSize(0)
        .setSubscriptionConnectionPoolSize(1);
  }
}
