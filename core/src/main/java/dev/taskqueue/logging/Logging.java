package dev.taskqueue.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback for a process from its settings: level, and {@code pretty} lines for people or
 * {@code json} (logstash-logback-encoder) for collectors, both UTF-8. Long-running processes log to
 * standard output; CLIs log to standard error so their output stays clean for scripts. Passwords of
 * URLs are masked in every line ({@link MaskingEncoder}).
 */
public final class Logging {
  /**
   * Redisson's wire-level loggers: at TRACE they print each command with its arguments, and only a
   * plain AUTH has its password masked there (not HELLO ... AUTH, nor a password in any other
   * command), so they never go below DEBUG.
   */
  static final String REDIS_WIRE = "org.redisson.client.handler";

  /** The Redis client's log of errors on a connection, which each command's error repeats. */
  static final String REDIS_CHANNEL_ERRORS = REDIS_WIRE + ".ErrorsLoggingHandler";

  /**
   * The Redis client's log of an idle connection whose PING went unanswered, which it then
   * reconnects: an ERROR with a stack trace for each such connection, within a minute of an outage
   * that each process has already reported in a line of its own ({@code worker.heartbeat_failed},
   * {@code scheduler.redis_unavailable}, {@code reaper.redis_unavailable}).
   */
  static final String REDIS_PING = REDIS_WIRE + ".PingConnectionHandler";

  private static final String PRETTY =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %-14.14logger{0} %msg%replace( %kvp{NONE}){' $',''}"
          + "%taskFields%n%ex";

  /** Where log lines go. */
  public enum Target {
    STDOUT,
    STDERR
  }

  private Logging() {}

  public static void configure(String level, String format, Target target) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget(target == Target.STDOUT ? "System.out" : "System.err");
    MaskingEncoder masking = new MaskingEncoder(encoder(context, format));
    masking.setContext(context);
    masking.start();
    console.setEncoder(masking);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(console);
    Level threshold = Level.toLevel(level, Level.INFO);
    root.setLevel(threshold);
    // Libraries are quiet unless tracing: their INFO lines are noise to an operator.
    Level libraries = threshold.isGreaterOrEqual(Level.DEBUG) ? Level.WARN : threshold;
    context.getLogger("org.redisson").setLevel(libraries);
    context.getLogger("io.netty").setLevel(libraries);
    context
        .getLogger(REDIS_WIRE)
        .setLevel(libraries.isGreaterOrEqual(Level.DEBUG) ? libraries : Level.DEBUG);
    // The client logs every failed connection (a TLS handshake refused, say) and every unanswered
    // PING with a stack trace, where the command's own error or the process's line says the same
    // in one line: kept for debugging only.
    Level clientNoise = threshold.isGreaterOrEqual(Level.INFO) ? Level.OFF : threshold;
    context.getLogger(REDIS_CHANNEL_ERRORS).setLevel(clientNoise);
    context.getLogger(REDIS_PING).setLevel(clientNoise);
  }

  /** The started encoder that {@link MaskingEncoder} wraps. */
  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (format.equals("json")) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(context);
      json.start();
      return json;
    }
    Map<String, Supplier<DynamicConverter<?>>> converters = new HashMap<>();
    converters.put("taskFields", TaskFieldsConverter::new);
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, converters);
    PatternLayoutEncoder pretty = new PatternLayoutEncoder();
    pretty.setContext(context);
    pretty.setPattern(PRETTY);
    // Not the platform's charset, which on Java 17 follows the locale (ASCII under LANG=C).
    pretty.setCharset(StandardCharsets.UTF_8);
    pretty.start();
    return pretty;
  }
}
