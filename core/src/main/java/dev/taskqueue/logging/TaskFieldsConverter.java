package dev.taskqueue.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code %taskFields} in the pretty pattern: the MDC as {@code key=value} words after the message,
 * task fields first in a fixed order, so lines of one task read alike. Empty when the MDC is.
 */
public final class TaskFieldsConverter extends ClassicConverter {
  private static final List<String> ORDER =
      List.of(
          LogFields.TASK_ID,
          LogFields.TASK_NAME,
          LogFields.QUEUE,
          LogFields.ATTEMPT,
          LogFields.WORKER_ID);

  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return "";
    }
    StringBuilder line = new StringBuilder();
    Map<String, String> rest = new TreeMap<>(mdc);
    for (String key : ORDER) {
      String value = rest.remove(key);
      if (value != null) {
        line.append(' ').append(key).append('=').append(value);
      }
    }
    rest.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
    return line.toString();
  }
}
