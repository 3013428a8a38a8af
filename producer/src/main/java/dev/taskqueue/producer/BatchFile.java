package dev.taskqueue.producer;

import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.RetryBackoff;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads {@code producer submit --batch FILE.jsonl} ({@code -} for stdin): one JSON object per line,
 * with the fields of {@code producer submit}'s flags ({@code task}, {@code payload}, {@code queue},
 * {@code max-retries}, {@code timeout}, {@code retry-backoff}, {@code at}, {@code in}, {@code
 * memory-pages}, {@code max-output}, {@code max-result}), each read as its flag is. The payload is
 * any JSON value, stored as the line spells it. Blank lines are skipped; a line that is not so is
 * refused, naming its number.
 */
final class BatchFile {
  static final String EXAMPLE = "{\"task\":\"greeter\",\"payload\":{\"name\":\"Ada\"}}";
  private static final String FIELDS =
      "task, payload, queue, max-retries, timeout, retry-backoff, at, in, memory-pages,"
          + " max-output, max-result";

  /** One task of the file, and the line it is on (from 1). */
  record Entry(int line, Submission submission) {}

  private BatchFile() {}

  /** Reads every line of {@code name}, or of stdin for {@code -}. */
  static List<Entry> read(String name, InputStream stdin) {
    String what = name.equals("-") ? "batch on standard input" : "batch file '" + name + "'";
    try (InputStream in = name.equals("-") ? stdin : Files.newInputStream(Path.of(name))) {
      List<Entry> entries = read(in);
      if (entries.isEmpty()) {
        throw new InvalidInputException(
            what + " holds no tasks: give one per line, such as " + EXAMPLE);
      }
      return entries;
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(
          what + " does not exist: check the path, or pass - for stdin", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private static List<Entry> read(InputStream in) throws IOException {
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)));
    List<Entry> entries = new ArrayList<>();
    int number = 0;
    while (true) {
      String line;
      try {
        line = lines.readLine();
      } catch (CharacterCodingException e) {
        throw new InvalidInputException("line " + (number + 1) + ": not UTF-8 text", e);
      }
      if (line == null) {
        return entries;
      }
      number++;
      if (!line.isBlank()) {
        entries.add(new Entry(number, parse(line, number)));
      }
    }
  }

  /** One line's task. */
  static Submission parse(String line, int number) {
    Fields f = new Fields();
    try (JsonParser p = Json.parser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(number, "not a JSON object: give one per line, such as " + EXAMPLE);
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        f.read(field, p, line, number);
      }
      if (p.nextToken() != null) {
        throw bad(number, "more than one JSON value: give one object per line");
      }
    } catch (JacksonException e) {
      throw bad(number, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    return f.submission(number);
  }

  /** The fields of one line as read, before they make a submission. */
  private static final class Fields {
    String task;
    String payload;
    String queue;
    Integer maxRetries;
    Duration timeout;
    RetryBackoff retryBackoff;
    Instant at;
    Duration in;
    Integer memoryPages;
    Long maxOutput;
    Long maxResult;

    void read(String field, JsonParser p, String line, int number) {
      switch (field) {
        case "task" -> task = text(p, field, number);
        case "payload" -> {
          int start = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          p.finishToken(); // a string is read lazily: to its end, so the location is past it
          payload = line.substring(start, (int) p.currentLocation().getCharOffset());
        }
        case "queue" -> queue = text(p, field, number);
        case "max-retries" -> {
          if (!p.isExpectedNumberIntToken()) {
            throw bad(number, "max-retries must be a whole number, such as 3");
          }
          maxRetries = p.getIntValue();
        }
        case "timeout" -> timeout = convert(new DurationConverter(), p, field, number);
        case "retry-backoff" ->
            retryBackoff = convert(new RetryBackoffConverter(), p, field, number);
        case "at" -> at = convert(new RunAtConverter(), p, field, number);
        case "in" -> in = convert(new DurationConverter(), p, field, number);
        case "memory-pages" -> {
          if (!p.isExpectedNumberIntToken()) {
            throw bad(number, "memory-pages must be a whole number, such as 16");
          }
          memoryPages = p.getIntValue();
        }
        case "max-output" -> maxOutput = size(p, field, number);
        case "max-result" -> maxResult = size(p, field, number);
        default -> throw bad(number, "unknown field '" + field + "': the fields are " + FIELDS);
      }
    }

    Submission submission(int number) {
      if (task == null || payload == null) {
        throw bad(
            number,
            "no "
                + (task == null ? "task" : "payload")
                + ": every line needs a task and a payload, such as "
                + EXAMPLE);
      }
      Submission.Builder builder =
          SubmissionOptions.builder(
              task,
              payload,
              queue,
              maxRetries,
              timeout,
              retryBackoff,
              memoryPages,
              maxOutput,
              maxResult);
      try {
        RunAt.apply(at, in, builder, "");
      } catch (InvalidInputException e) {
        throw bad(number, e.getMessage(), e);
      }
      return builder.build();
    }
  }

  /** A size: a number of bytes, or text such as "64KiB". */
  private static Long size(JsonParser p, String field, int number) {
    if (p.isExpectedNumberIntToken()) {
      return p.getLongValue();
    }
    return convert(new SizeConverter(), p, field, number);
  }

  private static String text(JsonParser p, String field, int number) {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw bad(number, field + " must be a string");
    }
    return p.getString();
  }

  private static <T> T convert(
      ITypeConverter<T> converter, JsonParser p, String field, int number) {
    String value = text(p, field, number);
    try {
      return converter.convert(value);
    } catch (TypeConversionException e) {
      throw bad(number, field + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("bug: converter of " + field + " threw " + e, e);
    }
  }

  private static InvalidInputException bad(int number, String what) {
    return new InvalidInputException("line " + number + ": " + what);
  }

  private static InvalidInputException bad(int number, String what, Throwable cause) {
    return new InvalidInputException("line " + number + ": " + what, cause);
  }
}
