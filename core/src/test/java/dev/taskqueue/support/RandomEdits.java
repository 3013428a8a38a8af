package dev.taskqueue.support;

import java.util.Random;

/**
 * Texts made by editing a valid one at random, for comparing a reader of ours with Jackson on texts
 * near the valid ones: characters added, removed or replaced by ones from an alphabet that matters
 * to the reader.
 */
public final class RandomEdits {
  private RandomEdits() {}

  /** {@code text} with 1 to {@code most} edits, each a character of {@code alphabet}. */
  public static String edited(Random random, String text, String alphabet, int most) {
    StringBuilder edited = new StringBuilder(text);
    for (int edits = 1 + random.nextInt(most); edits > 0; edits--) {
      int at = random.nextInt(edited.length() + 1);
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      switch (random.nextInt(3)) {
        case 0 -> edited.insert(at, c);
        case 1 -> {
          if (at < edited.length()) {
            edited.deleteCharAt(at);
          }
        }
        default -> {
          if (at < edited.length()) {
            edited.setCharAt(at, c);
          }
        }
      }
    }
    return edited.toString();
  }
}
