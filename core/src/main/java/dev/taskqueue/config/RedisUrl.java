package dev.taskqueue.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where Redis is, and how it is deployed:
 *
 * <ul>
 *   <li>one server: {@code redis://[user:password@]host[:port][/db]}, port 6379;
 *   <li>a cluster: {@code redis-cluster://[user:password@]host[:port][,host[:port]...]}, port 6379:
 *       any of its nodes, from which the client learns the rest; a cluster has database 0 only;
 *   <li>through Sentinel: {@code
 *       redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master}, port 26379: the
 *       sentinels to ask where the master named after {@code #} is (Lettuce's form).
 * </ul>
 *
 * Each has a TLS form, {@code rediss://}, {@code rediss-cluster://}, {@code rediss-sentinel://}.
 * The credentials are those of the Redis servers that hold the data.
 *
 * <p>{@link #toString()} never shows the password, and no message of {@link #parse} can: the
 * credentials are split off (by {@link Credentials}' rule) before the rest is read.
 */
public record RedisUrl(
    Topology topology,
    boolean tls,
    List<Node> nodes,
    int database,
    Optional<String> masterName,
    Optional<String> username,
    Optional<String> password) {

  static final String FORM =
      "redis://[user:password@]host[:port][/db] for one server,"
          + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
          + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master through"
          + " Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS";

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.-]+|\\[[0-9A-Fa-f:.]+\\]");

  /** How Redis is deployed, which decides how the client finds the server of each key. */
  public enum Topology {
    SINGLE("redis", 6379),
    CLUSTER("redis-cluster", 6379),
    SENTINEL("redis-sentinel", 26379);

    private final String scheme;
    private final int defaultPort;

    Topology(String scheme, int defaultPort) {
      this.scheme = scheme;
      this.defaultPort = defaultPort;
    }

    String scheme(boolean tls) {
      return tls ? "rediss" + scheme.substring("redis".length()) : scheme;
    }
  }

  /** A server, cluster node or sentinel the URL names. */
  public record Node(String host, int port) {
    public Node {
      Objects.requireNonNull(host);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  public RedisUrl {
    Objects.requireNonNull(topology);
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(masterName);
    Objects.requireNonNull(username);
    Objects.requireNonNull(password);
    if (nodes.isEmpty() || (topology == Topology.SINGLE && nodes.size() != 1)) {
      throw new IllegalArgumentException("bug: " + nodes.size() + " nodes for " + topology);
    }
    if (topology == Topology.CLUSTER && database != 0) {
      throw new IllegalArgumentException("bug: database " + database + " of a cluster");
    }
    if ((topology == Topology.SENTINEL) != masterName.isPresent()) {
      throw new IllegalArgumentException("bug: master name " + masterName + " for " + topology);
    }
  }

  /** One server: what {@code redis://} and {@code rediss://} name. */
  public RedisUrl(
      boolean tls,
      String host,
      int port,
      int database,
      Optional<String> username,
      Optional<String> password) {
    this(
        Topology.SINGLE,
        tls,
        List.of(new Node(host, port)),
        database,
        Optional.empty(),
        username,
        password);
  }

  public static RedisUrl parse(String raw) {
    String trimmed = raw.trim();
    String userInfo = Credentials.userInfo(trimmed);
    String rest = Credentials.withoutUserInfo(trimmed);
    int separator = rest.indexOf("://");
    String scheme = separator < 0 ? "" : rest.substring(0, separator);
    for (Topology topology : Topology.values()) {
      for (boolean tls : new boolean[] {false, true}) {
        if (scheme.equals(topology.scheme(tls))) {
          return topology == Topology.SINGLE
              ? server(rest, tls, userInfo)
              : nodes(topology, tls, rest.substring(separator + 3), userInfo);
        }
      }
    }
    throw new IllegalArgumentException(
        "the scheme must be redis, rediss, redis-cluster, rediss-cluster, redis-sentinel or"
            + " rediss-sentinel");
  }

  /** One server's URL, read as a URI as it always was. */
  private static RedisUrl server(String withoutUserInfo, boolean tls, String userInfo) {
    URI uri;
    try {
      uri = new URI(withoutUserInfo);
    } catch (URISyntaxException e) {
      // The reason only: the message quotes the input.
      throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
    }
    if (uri.getRawAuthority() != null && uri.getRawAuthority().contains(",")) {
      throw new IllegalArgumentException(
          "redis:// names one server: for several, use redis-cluster:// or redis-sentinel://");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "only redis-sentinel:// names a master after '#': for one server, remove '#"
              + uri.getRawFragment()
              + "'");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the host is missing");
    }
    int port = uri.getPort() == -1 ? Topology.SINGLE.defaultPort : uri.getPort();
    return new RedisUrl(
        tls,
        host,
        checkPort(port),
        database(uri.getPath()),
        userInfoPart(userInfo, 0),
        userInfoPart(userInfo, 1));
  }

  /** {@code host[:port][,host[:port]...][/db][#master]}: a cluster's nodes or the sentinels. */
  private static RedisUrl nodes(Topology topology, boolean tls, String body, String userInfo) {
    int hash = body.indexOf('#');
    Optional<String> masterName =
        hash < 0 ? Optional.empty() : Optional.of(body.substring(hash + 1));
    String beforeHash = hash < 0 ? body : body.substring(0, hash);
    int slash = beforeHash.indexOf('/');
    String hosts = slash < 0 ? beforeHash : beforeHash.substring(0, slash);
    int database = database(slash < 0 ? "" : beforeHash.substring(slash));
    List<Node> nodes = new ArrayList<>();
    for (String node : hosts.split(",", -1)) {
      nodes.add(node(node.trim(), topology.defaultPort));
    }
    if (topology == Topology.CLUSTER) {
      if (database != 0) {
        throw new IllegalArgumentException(
            "a cluster has database 0 only: remove '/" + database + "'");
      }
      if (masterName.isPresent()) {
        throw new IllegalArgumentException(
            "a cluster has no master name: remove '#"
                + masterName.get()
                + "' (redis-sentinel:// names one)");
      }
    } else if (masterName.isEmpty() || masterName.get().isEmpty()) {
      throw new IllegalArgumentException(
          "the master name is missing: write"
              + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master");
    } else if (!masterName.get().matches("\\S+")) {
      throw new IllegalArgumentException(
          "the master name '" + masterName.get() + "' has a blank in it");
    }
    return new RedisUrl(
        topology,
        tls,
        nodes,
        database,
        masterName,
        userInfoPart(userInfo, 0),
        userInfoPart(userInfo, 1));
  }

  /** {@code host[:port]}, an IPv6 address in brackets. */
  private static Node node(String text, int defaultPort) {
    int close = text.startsWith("[") ? text.indexOf(']') : -1;
    int colon = text.indexOf(':', Math.max(close, 0));
    String host = colon < 0 ? text : text.substring(0, colon);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the host is missing");
    }
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
    }
    String port = colon < 0 ? "" : text.substring(colon + 1);
    if (port.isEmpty()) {
      return new Node(host, defaultPort);
    }
    if (!port.matches("\\d{1,9}")) {
      throw new IllegalArgumentException("the port '" + port + "' of " + host + " is not a number");
    }
    return new Node(host, checkPort(Integer.parseInt(port)));
  }

  private static int checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1-65535");
    }
    return port;
  }

  /** The one server's address in the form Redisson expects, without credentials. */
  public String address() {
    if (topology != Topology.SINGLE) {
      throw new IllegalStateException("bug: a " + topology + " URL names several nodes");
    }
    return addresses().get(0);
  }

  /** Every node's address in the form Redisson expects, without credentials, in URL order. */
  public List<String> addresses() {
    return nodes.stream().map(node -> (tls ? "rediss://" : "redis://") + node).toList();
  }

  @Override
  public String toString() {
    String credentials =
        password.isPresent()
            ? username.orElse("") + ":" + Credentials.MASK + "@"
            : username.map(u -> u + "@").orElse("");
    return topology.scheme(tls)
        + "://"
        + credentials
        + nodes.stream().map(Node::toString).collect(Collectors.joining(","))
        + (topology == Topology.CLUSTER ? "" : "/" + database)
        + masterName.map(name -> "#" + name).orElse("");
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
