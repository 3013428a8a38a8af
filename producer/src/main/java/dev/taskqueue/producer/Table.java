package dev.taskqueue.producer;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text aligned in columns by padding, as the CLI prints lists for people. The last column
 * is not padded, so no line ends in blanks.
 */
final class Table {
  private static final String GAP = "  ";

  private final int columns;
  private final List<String[]> rows = new ArrayList<>();

  /** A table whose first row is {@code header}. */
  Table(String... header) {
    this.columns = header.length;
    rows.add(header.clone());
  }

  /** A table of {@code columns} columns and no header. */
  Table(int columns) {
    this.columns = columns;
  }

  Table row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "bug: a row of " + cells.length + " cells in a table of " + columns);
    }
    rows.add(cells.clone());
    return this;
  }

  /** Every row on its own line, each line starting with {@code indent}. */
  String render(String indent) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < columns; c++) {
        line.append(row[c]);
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - row[c].length())).append(GAP);
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /**
   * The first line of {@code text}, for one cell of a row: at most {@code max} characters, ending
   * in "..." when something was left out.
   */
  static String oneLine(String text, int max) {
    String all = text.strip();
    String line = all.lines().findFirst().orElse("");
    if (line.length() == all.length() && line.length() <= max) {
      return line;
    }
    int cut = Math.min(line.length(), max - 3);
    if (cut > 0 && Character.isHighSurrogate(line.charAt(cut - 1))) {
      cut--;
    }
    return line.substring(0, cut).stripTrailing() + "...";
  }
}
