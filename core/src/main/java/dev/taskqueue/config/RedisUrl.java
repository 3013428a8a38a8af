package dev.taskqueue.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where Redis is: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS.
 * {@link #toString()} never shows the password, and no message of {@link #parse} can: the
 * credentials are split off (by {@link Credentials}' rule) before the rest is read as a URI.
 */
public record RedisUrl(
    boolean tls,
    String host,
    int port,
    int database,
    Optional<String> username,
    Optional<String> password) {

  static final String FORM = "redis://[user:password@]host[:port][/db] or rediss://... for TLS";

  public static RedisUrl parse(String raw) {
    String trimmed = raw.trim();
    String userInfo = Credentials.userInfo(trimmed);
    URI uri;
    try {
      uri = new URI(Credentials.withoutUserInfo(trimmed));
    } catch (URISyntaxException e) {
      // The reason only: the message quotes the input.
      throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss"))) {
      throw new IllegalArgumentException("the scheme must be redis or rediss");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the host is missing");
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1-65535");
    }
    return new RedisUrl(
        scheme.equals("rediss"),
        host,
        port,
        database(uri.getPath()),
        userInfoPart(userInfo, 0),
        userInfoPart(userInfo, 1));
  }

  /** The address in the form Redisson expects, without credentials. */
  public String address() {
    return (tls ? "rediss://" : "redis://") + host + ":" + port;
  }

  @Override
  public String toString() {
    String credentials =
        password.isPresent()
            ? username.orElse("") + ":" + Credentials.MASK + "@"
            : username.map(u -> u + "@").orElse("");
    return (tls ? "rediss://" : "redis://") + credentials + host + ":" + port + "/" + database;
  }

  private static int database(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    String digits = path.substring(1);
    try {
      int db = Integer.parseInt(digits);
      if (db < 0) {
        throw new NumberFormatException();
      }
      return db;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the database '" + digits + "' is not a number >= 0");
    }
  }

  /** Part 0 is the user, part 1 the password, of {@code user:password}; a lone word is a user. */
  private static Optional<String> userInfoPart(String rawUserInfo, int part) {
    if (rawUserInfo == null) {
      return Optional.empty();
    }
    String[] parts = rawUserInfo.split(":", 2);
    if (part >= parts.length || parts[part].isEmpty()) {
      return Optional.empty();
    }
    try {
      // Percent-escapes only: URLDecoder alone would also turn a '+' into a blank.
      return Optional.of(
          URLDecoder.decode(parts[part].replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // Not e's message: it quotes the text, which may be the password.
      throw new IllegalArgumentException(
          "the user name or password has a '%' that is not followed by two hex digits");
    }
  }
}
