package dev.taskqueue.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare Redis connection speaking RESP, for what a client library does not offer tests: {@code
 * MONITOR}, {@code COMMAND GETKEYS} of a command seen there, {@code CLIENT PAUSE}, and asking a
 * server that may not be ours who it is. Arguments go as they are, whatever their characters.
 */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  public static Resp connect(int port) throws IOException {
    return new Resp(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** Connects, and waits at most {@code timeout} to connect and for each reply. */
  public static Resp connect(int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          Math.toIntExact(timeout.toMillis()));
      socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
      return new Resp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends a command and reads its reply: a string, a number, or a list of them. */
  public Object send(String... args) throws IOException {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return reply();
  }

  /** The keys among a command's arguments, as Redis reads them. */
  public List<String> keysOf(List<String> command) throws IOException {
    List<String> args = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
    args.addAll(command);
    Object reply = send(args.toArray(String[]::new));
    List<String> keys = new ArrayList<>();
    if (reply instanceof List<?> list) {
      list.forEach(key -> keys.add(String.valueOf(key)));
    }
    return keys;
  }

  /**
   * After {@code MONITOR}: the commands seen until one naming {@code marker}, each as {@code
   * [source, command, args...]} where source is {@code lua} for commands a script made.
   */
  public List<List<String>> monitoredUntil(String marker) throws IOException {
    List<List<String>> commands = new ArrayList<>();
    while (true) {
      String line = line();
      if (!line.startsWith("+") || line.equals("+OK")) {
        continue;
      }
      int open = line.indexOf('[');
      int close = line.indexOf(']', open);
      String source = line.substring(open + 1, close).split(" ", 2)[1];
      List<String> command = new ArrayList<>();
      command.add(source.equals("lua") ? "lua" : "client");
      command.addAll(quoted(line.substring(close + 1)));
      if (command.contains(marker)) {
        return commands;
      }
      commands.add(command);
    }
  }

  /** The quoted words MONITOR prints, with its escapes undone. */
  private static List<String> quoted(String text) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while ((i = text.indexOf('"', i)) >= 0) {
      ByteArrayOutputStream word = new ByteArrayOutputStream();
      i++;
      while (text.charAt(i) != '"') {
        char c = text.charAt(i);
        if (c == '\\') {
          char next = text.charAt(i + 1);
          if (next == 'x') {
            word.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word.write(
              switch (next) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'a' -> 7;
                case 'b' -> '\b';
                default -> next;
              });
          i += 2;
        } else {
          word.write(c);
          i++;
        }
      }
      words.add(word.toString(StandardCharsets.UTF_8));
      i++;
    }
    return words;
  }

  private Object reply() throws IOException {
    String line = line();
    char type = line.charAt(0);
    String rest = line.substring(1);
    return switch (type) {
      case '+', '-' -> rest;
      case ':' -> Long.parseLong(rest);
      case '$' -> rest.equals("-1") ? null : bulk(Integer.parseInt(rest));
      case '*' -> {
        List<Object> items = new ArrayList<>();
        for (int n = Integer.parseInt(rest); n > 0; n--) {
          items.add(reply());
        }
        yield items;
      }
      default -> throw new IOException("unexpected reply: " + line);
    };
  }

  private String bulk(int length) throws IOException {
    byte[] bytes = in.readNBytes(length + 2);
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing was owed on this connection any more; a failed close changes nothing for a test.
    }
  }
}
