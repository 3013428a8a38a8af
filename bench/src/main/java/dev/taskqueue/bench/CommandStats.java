package dev.taskqueue.bench;

import dev.taskqueue.config.RedisUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many commands Redis has run, from {@code INFO commandstats}: the commands scripts make count
 * too, so the difference over a run is what the product cost Redis. Read over a plain socket of its
 * own (the benchmark's Redis: no TLS), so that reading it does not disturb the client measured.
 */
final class CommandStats {
  private static final Pattern CALLS = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+),");

  private CommandStats() {}

  /** Commands run so far, not counting {@code INFO} itself. */
  static long total(String url) throws IOException {
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
      out.write(command("INFO commandstats"));
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
      long total = 0;
      for (String line : new String(body, 0, read).lines().toList()) {
        Matcher m = CALLS.matcher(line);
        if (m.find() && !m.group(1).equals("info")) {
          total += Long.parseLong(m.group(2));
        }
      }
      return total;
    }
  }

  private static byte[] command(String inline) {
    return (inline + "\r\n").getBytes(StandardCharsets.UTF_8);
  }
}
