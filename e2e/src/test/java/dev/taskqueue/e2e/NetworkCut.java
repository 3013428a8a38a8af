package dev.taskqueue.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between some processes and Redis whose link can be cut and healed, as a network
 * partition cuts it: while cut, what either side sends is held, neither lost nor refused, and new
 * connections are taken but carried no further, so the processes see Redis stop answering, not go
 * away; once healed, what was held goes through, as TCP delivers it once a partition ends.
 */
final class NetworkCut implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final ServerSocket listener;
  private final InetSocketAddress redis;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object link = new Object();

  // Guarded by link.
  private boolean cut;
  private boolean closed;

  /** A relay to the Redis on this machine's {@code redisPort}, taking connections at once. */
  NetworkCut(int redisPort) throws IOException {
    this.listener = new ServerSocket(0, 50, LOOPBACK);
    this.redis = new InetSocketAddress(LOOPBACK, redisPort);
    start("accept", this::acceptAll);
  }

  /** The {@code REDIS_URL} that reaches Redis through this relay. */
  String url() {
    return "redis://127.0.0.1:" + listener.getLocalPort() + "/0";
  }

  /** From now on nothing goes through, either way, until {@link #heal}. */
  void cut() {
    synchronized (link) {
      cut = true;
    }
  }

  /** What was held goes through, and so does everything after. */
  void heal() {
    synchronized (link) {
      cut = false;
      link.notifyAll();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (link) {
      closed = true;
      link.notifyAll();
    }
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void acceptAll() {
    while (true) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      start("relay", () -> relay(client));
    }
  }

  /** Connects {@code client} to Redis once the link is up, then carries both ways. */
  private void relay(Socket client) {
    try {
      awaitLink();
      Socket server = new Socket();
      sockets.add(server);
      server.connect(redis);
      start("to-redis", () -> carry(client, server));
      carry(server, client);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  /** Copies what {@code from} sends to {@code to}, holding it while the link is cut. */
  private void carry(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        awaitLink();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // One side closed, or the relay did: the try closes both, ending the other direction too.
    }
  }

  private void awaitLink() throws InterruptedException {
    synchronized (link) {
      while (cut && !closed) {
        link.wait();
      }
    }
  }

  private static void start(String name, Runnable work) {
    Thread thread = new Thread(work, "network-cut-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed: nothing left to do.
    }
  }
}
