package dev.taskqueue.submission;

import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import tools.jackson.core.ErrorReportConfiguration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Checks a payload: at most the configured number of UTF-8 bytes, and exactly one JSON value. The
 * check only reads; the text is stored as given, never re-serialized. {@link JsonScan} reads it
 * first, and Jackson only a payload the scan refuses, for an error in Jackson's words; they quote
 * at most the token Jackson stopped at, never the payload.
 */
final class Payload {
  static final String EXAMPLE = "{\"name\":\"Ada\"}";

  /** Arrays and objects open at once in a payload, at most. */
  static final int MAX_NESTING = 1000;

  private static final int MAX_QUOTED = 40;

  // Strings and numbers are bounded by the payload size already; only nesting needs a cap, because
  // the parser keeps one context per open array or object. Errors quote at most a short token.
  // The factory, not a mapper: the check only reads tokens, and a mapper's parser carries a
  // deserialization context made for each payload, most of what checking a small one cost.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .build())
          .errorReportConfiguration(
              ErrorReportConfiguration.builder()
                  .maxErrorTokenLength(MAX_QUOTED)
                  .maxRawContentLength(MAX_QUOTED)
                  .build())
          .build();

  private Payload() {}

  static void check(String payload, long maxBytes) {
    long size = utf8Length(payload);
    if (size > maxBytes) {
      throw new InvalidInputException(
          "payload is "
              + size
              + " bytes; the limit is "
              + maxBytes
              + " ("
              + Settings.MAX_PAYLOAD_BYTES.name()
              + ")");
    }
    checkJson(payload);
  }

  private static void checkJson(String payload) {
    if (JsonScan.oneValue(payload)) {
      return;
    }
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), payload)) {
      if (parser.nextToken() == null) {
        throw new InvalidInputException("payload is empty: pass a JSON value such as " + EXAMPLE);
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new InvalidInputException(
            "payload holds more than one JSON value: another starts"
                + at(parser.currentTokenLocation())
                + "; wrap them in an array or an object");
      }
    } catch (StreamConstraintsException e) {
      throw new InvalidInputException(
          "payload nests arrays and objects more than " + MAX_NESTING + " levels deep: flatten it",
          e);
    } catch (JacksonException e) {
      throw new InvalidInputException(
          "payload is not valid JSON: "
              + reason(e)
              + at(e.getLocation())
              + ": pass a JSON value such as "
              + EXAMPLE,
          e);
    }
  }

  /** Jackson's own words, without the source description it appends to some of them. */
  private static String reason(JacksonException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int source = message.indexOf(" (start marker at [Source:");
    if (source < 0) {
      source = message.indexOf("[Source:");
    }
    return (source < 0 ? message : message.substring(0, source)).strip();
  }

  private static String at(TokenStreamLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /**
   * The length Redis will store. An unpaired surrogate has no UTF-8 form (it would be stored as
   * '?'), so it is refused rather than silently changed.
   */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidInputException(
            "payload holds an unpaired UTF-16 surrogate at index "
                + i
                + ": it has no UTF-8 form; pass valid Unicode text");
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
