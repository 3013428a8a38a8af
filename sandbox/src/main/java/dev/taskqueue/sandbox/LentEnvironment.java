package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The environment variables WASI shows the current task's guest ({@code environ_sizes_get}, {@code
 * environ_get}): the ones its module was granted at upload, nothing of the worker's. Lent to one
 * task at a time, like the rest of {@link TaskWasi}; encoded only when the guest asks, since most
 * never do.
 */
final class LentEnvironment {
  private Map<String, String> variables = Map.of();

  void lend(Map<String, String> granted) {
    variables = granted;
  }

  void clear() {
    variables = Map.of();
  }

  /** {@code environ_sizes_get(count_ptr, buf_size_ptr)}: how many, and their bytes with NULs. */
  long[] sizes(Instance instance, long... args) {
    byte[][] entries = entries();
    int bytes = 0;
    for (byte[] entry : entries) {
      bytes += entry.length;
    }
    Memory memory = instance.memory();
    memory.writeI32((int) args[0], entries.length);
    memory.writeI32((int) args[1], bytes);
    return new long[] {0}; // ESUCCESS
  }

  /** {@code environ_get(environ_ptr, buf_ptr)}: a pointer per variable, then the strings. */
  long[] get(Instance instance, long... args) {
    Memory memory = instance.memory();
    int pointer = (int) args[0];
    int at = (int) args[1];
    for (byte[] entry : entries()) {
      memory.writeI32(pointer, at);
      memory.write(at, entry);
      pointer += 4;
      at += entry.length;
    }
    return new long[] {0}; // ESUCCESS
  }

  /** Each variable as C wants it: {@code NAME=VALUE} and a NUL. */
  private byte[][] entries() {
    byte[][] entries = new byte[variables.size()][];
    int i = 0;
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      entries[i++] =
          (variable.getKey() + "=" + variable.getValue() + "\0").getBytes(StandardCharsets.UTF_8);
    }
    return entries;
  }
}
