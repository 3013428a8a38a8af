package dev.taskqueue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters and no replicas on free loopback ports, owned by a test: three
 * {@link RedisServer}s in cluster mode, joined and given the 16384 slots (a third each, in port
 * order) by {@code redis-cli --cluster create}. It is ready once every node says {@code
 * cluster_state:ok}. {@link #close()} kills the nodes and deletes their directories.
 */
public final class RedisCluster implements AutoCloseable {
  private static final int MASTERS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServer> nodes;

  /** Each node's TLS port, in the order of {@link #nodes}; empty for a cluster without TLS. */
  private final List<Integer> tlsPorts;

  private RedisCluster(List<RedisServer> nodes, List<Integer> tlsPorts) {
    this.nodes = List.copyOf(nodes);
    this.tlsPorts = List.copyOf(tlsPorts);
  }

  public static RedisCluster start() {
    return start(null);
  }

  /**
   * A cluster whose nodes also serve TLS with {@code certificates}, talk TLS among themselves, and
   * announce their TLS ports: connect with {@link #tlsUrl()}. Their plain ports stay open to the
   * harness.
   */
  public static RedisCluster startTls(TestCertificates certificates) {
    return start(certificates);
  }

  private static RedisCluster start(TestCertificates certificates) {
    List<RedisServer> nodes = new ArrayList<>();
    List<Integer> tlsPorts = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        if (certificates == null) {
          nodes.add(RedisServer.startClusterNode());
        } else {
          int tlsPort = RedisServer.unusedPort();
          List<String> args = new ArrayList<>(certificates.serverArgs(tlsPort));
          args.addAll(List.of("--tls-cluster", "yes", "--tls-replication", "yes"));
          tlsPorts.add(tlsPort);
          nodes.add(RedisServer.startClusterNode(args));
        }
      }
      RedisCluster cluster = new RedisCluster(nodes, tlsPorts);
      cluster.create();
      cluster.awaitStateOk();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisCluster::killAndDelete);
      throw e;
    }
  }

  /** The nodes' ports; the first node serves the lowest slots. */
  public List<Integer> ports() {
    return nodes.stream().map(RedisServer::port).toList();
  }

  /** The {@code REDIS_URL} that names every node, without credentials. */
  public String url() {
    return "redis-cluster://"
        + ports().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /** The {@code REDIS_URL} that names every node's TLS port: for {@link #startTls} only. */
  public String tlsUrl() {
    if (tlsPorts.isEmpty()) {
      throw new IllegalStateException("this cluster serves no TLS: start it with startTls");
    }
    return "rediss-cluster://"
        + tlsPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /**
   * The {@code REDIS_URL} that names every node with {@code userInfo} ({@code user:password}), as
   * given: escape it first where it needs escaping.
   */
  public String url(String userInfo) {
    return url().replace("redis-cluster://", "redis-cluster://" + userInfo + "@");
  }

  /** {@code ACL SETUSER name rules...} on every node: a cluster does not share its users. */
  public void setUser(String name, String... rules) {
    for (int port : ports()) {
      try (Resp resp = Resp.connect(port, Duration.ofSeconds(5))) {
        List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", name));
        command.addAll(List.of(rules));
        Object reply = resp.send(command.toArray(String[]::new));
        if (!"OK".equals(reply)) {
          throw new IllegalStateException("ACL SETUSER on node " + port + ": " + reply);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisCluster::killAndDelete);
  }

  private static void killAndDelete(RedisServer node) {
    node.kill();
    node.close();
  }

  private void create() {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(RedisServer.binary("REDIS_CLI", "redis-cli"), "--cluster", "create"));
    ports().forEach(port -> command.add("127.0.0.1:" + port));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run redis-cli ("
              + e.getMessage()
              + "): install it with 'apt-get install redis-tools' or set REDIS_CLI to its path",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
  }

  /** Until every node has heard that every slot is served: before that it refuses commands. */
  private void awaitStateOk() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (RedisServer node : nodes) {
      String info = "";
      while (!info.contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "node " + node.port() + " did not reach cluster_state:ok; CLUSTER INFO:\n" + info);
        }
        info = clusterInfo(node.port());
        RedisServer.sleep(Duration.ofMillis(50));
      }
    }
  }

  private static String clusterInfo(int port) {
    try (Resp resp = Resp.connect(port, Duration.ofSeconds(1))) {
      return String.valueOf(resp.send("CLUSTER", "INFO"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
