package dev.taskqueue.lease;

import dev.taskqueue.task.ShapeField;
import dev.taskqueue.task.TaskFields;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A claimed task's hash as {@code claim.lua}'s reply gives it, read in place rather than copied
 * into a map of its own: its values, in the order of the reply's field names (false where the hash
 * lacks one), and its shape's fields from the shape the reply sends once for all the tasks that
 * share it. A task written before shapes has no shape, and its shape's fields among its values. The
 * {@code shape} field itself reads as missing: its fields are already here.
 */
final class ClaimedHash extends AbstractMap<String, String> {
  /** What the tasks of one reply share: its field names and its shapes, read once for them all. */
  static final class Reply {
    private final List<?> fieldNames;
    private final Map<String, Integer> positions;
    private final int shapeAt;
    private final List<?> shapeTexts;
    private final List<Optional<Map<String, String>>> shapes;

    /** The reply's field names, and the shape texts its tasks' {@code shape} values count into. */
    Reply(List<?> fieldNames, List<?> shapeTexts) {
      this.fieldNames = fieldNames;
      this.positions = new HashMap<>(2 * fieldNames.size());
      for (int i = 0; i < fieldNames.size(); i++) {
        positions.put((String) fieldNames.get(i), i);
      }
      this.shapeAt = positions.getOrDefault(TaskFields.SHAPE, -1);
      this.shapeTexts = shapeTexts;
      this.shapes = new ArrayList<>(shapeTexts.size());
      shapeTexts.forEach(text -> shapes.add(ShapeField.fieldsOf((String) text)));
    }

    /**
     * The hash of the task with these {@code values}. One whose shape is not one ({@link
     * ShapeField#fieldsOf}) gets the shape's text back as its {@code shape} field, for {@link
     * dev.taskqueue.task.TaskHash} to say what is wrong with it.
     */
    Map<String, String> hash(List<?> values) {
      if (shapeAt < 0 || shapeAt >= values.size() || !(values.get(shapeAt) instanceof Long index)) {
        return new ClaimedHash(this, values, null);
      }
      int j = index.intValue() - 1;
      if (shapes.get(j).isPresent()) {
        return new ClaimedHash(this, values, shapes.get(j).get());
      }
      Map<String, String> corrupt = new HashMap<>(new ClaimedHash(this, values, null));
      corrupt.put(TaskFields.SHAPE, (String) shapeTexts.get(j));
      return corrupt;
    }
  }

  private final Reply reply;
  private final List<?> values;
  private final Map<String, String> shape;

  /** The task with {@code values} in {@code reply}; {@code shape} null for one written before. */
  private ClaimedHash(Reply reply, List<?> values, Map<String, String> shape) {
    this.reply = reply;
    this.values = values;
    this.shape = shape;
  }

  @Override
  public String get(Object field) {
    if (shape != null && ShapeField.holds(field)) {
      return shape.get(field);
    }
    Integer position = reply.positions.get(field);
    return position == null ? null : at(position);
  }

  @Override
  public boolean containsKey(Object field) {
    return get(field) != null;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Entries();
      }

      @Override
      public int size() {
        int size = shape == null ? 0 : shape.size();
        for (int i = 0; i < reply.fieldNames.size(); i++) {
          if (present(i)) {
            size++;
          }
        }
        return size;
      }
    };
  }

  /** The value at {@code position}, or null: false (missing), a shape's place, or past the end. */
  private String at(int position) {
    return position < values.size() && values.get(position) instanceof String value ? value : null;
  }

  private boolean present(int position) {
    return at(position) != null
        && (shape == null || !ShapeField.holds(reply.fieldNames.get(position)));
  }

  /** The values that are there, in the reply's order, then the shape's fields. */
  private final class Entries implements Iterator<Entry<String, String>> {
    private final Iterator<Entry<String, String>> shaped =
        shape == null ? List.<Entry<String, String>>of().iterator() : shape.entrySet().iterator();
    private int next = advance(0);

    private int advance(int from) {
      int i = from;
      while (i < reply.fieldNames.size() && !present(i)) {
        i++;
      }
      return i;
    }

    @Override
    public boolean hasNext() {
      return next < reply.fieldNames.size() || shaped.hasNext();
    }

    @Override
    public Entry<String, String> next() {
      if (next < reply.fieldNames.size()) {
        Entry<String, String> entry =
            new SimpleImmutableEntry<>((String) reply.fieldNames.get(next), at(next));
        next = advance(next + 1);
        return entry;
      }
      if (!shaped.hasNext()) {
        throw new NoSuchElementException();
      }
      return shaped.next();
    }
  }
}
