package dev.taskqueue.config;

import java.util.regex.Pattern;

/**
 * The one rule for where a URL keeps its credentials and how they are hidden from people: in {@code
 * scheme://user:password@host...} the password is shown as {@code ***} and the user name stays, so
 * an operator can still tell which account was meant. A URL with a user name only is shown as it
 * is.
 *
 * <p>The user information runs from after {@code scheme://} to the <em>last</em> {@code @}, and the
 * user name to its first {@code :}: a password holding a raw {@code @}, {@code :} or {@code /} is
 * hidden whole, percent-escapes as written. {@link RedisUrl} reads credentials by the same rule, so
 * what is masked is exactly what would be sent as the password.
 */
public final class Credentials {
  /** What a password is shown as. */
  public static final String MASK = "***";

  /**
   * {@code scheme://user:password@} inside free text. The password runs to the last {@code @}
   * before a blank or a double quote (which ends a JSON string: masking must not swallow the next
   * field). A user name holds no {@code [}, so the form {@code redis://[user:password@]host} that
   * messages quote stays readable.
   */
  private static final Pattern IN_TEXT =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s\"/?#:\\[]*):[^\\s\"]+@");

  private Credentials() {}

  /**
   * {@code url}, one value known to be a URL (a setting, a flag), with its password masked; with or
   * without a scheme, since a value missing {@code redis://} may still hold a password.
   */
  public static String mask(String url) {
    int start = userInfoStart(url);
    int at = url.lastIndexOf('@');
    if (at < start) {
      return url;
    }
    int colon = url.indexOf(':', start);
    if (colon < 0 || colon + 1 >= at) {
      return url;
    }
    return url.substring(0, colon + 1) + MASK + url.substring(at);
  }

  /** {@code text} with the password of every {@code scheme://user:password@} in it masked. */
  public static String maskIn(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    return IN_TEXT.matcher(text).replaceAll("$1:" + MASK + "@");
  }

  /** The raw user information of {@code url}, without the {@code @}; null when there is none. */
  static String userInfo(String url) {
    int start = userInfoStart(url);
    int at = url.lastIndexOf('@');
    return at < start ? null : url.substring(start, at);
  }

  /** {@code url} without its user information and {@code @}. */
  static String withoutUserInfo(String url) {
    int start = userInfoStart(url);
    int at = url.lastIndexOf('@');
    return at < start ? url : url.substring(0, start) + url.substring(at + 1);
  }

  private static int userInfoStart(String url) {
    int scheme = url.indexOf("://");
    return scheme < 0 ? 0 : scheme + 3;
  }
}
