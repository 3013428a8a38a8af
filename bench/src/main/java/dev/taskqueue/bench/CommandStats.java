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
 * disturb the client measured.
 */
final class CommandStats {
  private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+),");
  private static final Pattern CPU = Pattern.compile("^used_cpu_(sys|user):([0-9.]+)$");

  private CommandStats() {}

  /** Commands run so far, not counting {@code INFO} itself. */
  static long total(String url) throws IOException {
    long total = 0;
    for (String line : info(url, "commandstats")) {
      Matcher m = CALLS.matcher(line);
      if (m.find() && !m.group(1).equals("info")) {
        total += Long.parseLong(m.group(2));
      }
    }
    return total;
  }

  /** The CPU time the server has used so far, in its main thread and others, user and system. */
  static double cpuSeconds(String url) throws IOException {
    double seconds = 0;
    for (String line : info(url, "cpu")) {
      Matcher m = CPU.matcher(line);
      if (m.find()) {
        seconds += Double.parseDouble(m.group(2));
      }
    }
    return seconds;
  }

  private static List<String> info(String url, String section) throws IOException {
    RedisUrl redis = RedisUrl.parse(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(redis.host(), redis.port()), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      if (redis.password().isPresent()) {
        out.write(
            command(
                redis.username().map(u -> "AUTH " + u + " ").orElse("AUTH ")
                    + redis.password().get()));
      }
      out.write(command("INFO " + section));
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
