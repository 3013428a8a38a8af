package dev.taskqueue.bench;

import dev.taskqueue.config.RedisUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Redis has spent so far, from {@code INFO}: the commands it ran (those scripts make count
 * too) and its CPU time, so that the difference over a run is what the product cost Redis. Read
 * over a plain socket of its own (the benchmark's Redis: no TLS), so that reading it does not
 * disturb the client measured. One server only: a cluster's cost is spread over its nodes.
 */
final class CommandStats {
  private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+),");
  private static final Pattern CPU = Pattern.compile("^used_cpu_(sys|user):([0-9.]+)$");

  private CommandStats() {}

  /**
   * What Redis has spent so far.
   *
   * @param commands commands run, not counting {@code INFO} itself
   * @param cpuSeconds CPU time used, in its main thread and others, user and system
   */
  record Usage(long commands, double cpuSeconds) {
    /** What was spent between {@code before} and this. */
    Usage since(Usage before) {
      return new Usage(commands - before.commands, cpuSeconds - before.cpuSeconds);
    }

    /** What was spent over this and {@code more} together. */
    Usage plus(Usage more) {
      return new Usage(commands + more.commands, cpuSeconds + more.cpuSeconds);
    }
  }

  /** Both figures from one {@code INFO} call, so that they are read at the same moment. */
  static Usage read(String url) throws IOException {
    long commands = 0;
    double cpuSeconds = 0;
    for (String line : info(url, "commandstats cpu")) {
      Matcher calls = CALLS.matcher(line);
      if (calls.find() && !calls.group(1).equals("info")) {
        commands += Long.parseLong(calls.group(2));
      }
      Matcher cpu = CPU.matcher(line);
      if (cpu.find()) {
        cpuSeconds += Double.parseDouble(cpu.group(2));
      }
    }
    return new Usage(commands, cpuSeconds);
  }

  private static List<String> info(String url, String sections) throws IOException {
    RedisUrl redis = RedisUrl.parse(url);
    if (redis.topology() != RedisUrl.Topology.SINGLE) {
      // INFO of one node would count a part of what the run cost, and look like all of it.
      throw new IllegalArgumentException(
          "the benchmark measures one server: give it a redis:// URL, not " + redis);
    }
    RedisUrl.Node server = redis.nodes().get(0);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      if (redis.password().isPresent()) {
        out.write(
            command(
                redis.username().map(u -> "AUTH " + u + " ").orElse("AUTH ")
                    + redis.password().get()));
      }
      out.write(command("INFO " + sections));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      if (redis.password().isPresent()) {
        in.readLine(); // +OK
      }
      String header = in.readLine(); // $<length>
      int length = Integer.parseInt(header.substring(1));
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        int n = in.read(body, read, length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new String(body, 0, read).lines().toList();
    }
  }

  private static byte[] command(String inline) {
    return (inline + "\r\n").getBytes(StandardCharsets.UTF_8);
  }
}
