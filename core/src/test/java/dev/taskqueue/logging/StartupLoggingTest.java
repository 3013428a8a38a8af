package dev.taskqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Logback does on its own, before a process configures it: found as a service, no XML. */
class StartupLoggingTest {
  @Test
  void logbackStartsWithWarningsOnStandardErrorWithoutLookingForAFile() throws Exception {
    LoggerContext context = new LoggerContext();

    new ContextInitializer(context).autoConfig();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.WARN, root.getLevel());
    Appender<ILoggingEvent> appender = root.getAppender("stderr");
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appender;
    assertEquals("System.err", console.getTarget());
    assertEquals(
        StartupLogging.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
    // Logback says which configurator ran, and no other was asked after it.
    List<String> statuses =
        context.getStatusManager().getCopyOfStatusList().stream().map(Status::getMessage).toList();
    assertTrue(
        statuses.stream().anyMatch(s -> s.contains(StartupLogging.class.getName())),
        String.join("\n", statuses));
    assertTrue(
        statuses.stream().noneMatch(s -> s.contains("DefaultJoranConfigurator")),
        String.join("\n", statuses));
    context.stop();
  }
}
