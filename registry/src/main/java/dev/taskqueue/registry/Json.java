package dev.taskqueue.registry;

import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.sandbox.TaskModule;
import dev.taskqueue.task.HashJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} output: one JSON document per command, on one line. Fields are snake_case and
 * times ISO-8601 UTC with milliseconds, built as maps so the shape is written out here, in one
 * place, and written by the process's one mapper ({@link HashJson}).
 */
final class Json {
  private Json() {}

  static void print(PrintWriter out, Object document) {
    out.println(HashJson.mapper().writeValueAsString(document));
  }

  /**
   * A version's fields as stored: name, version, digest, size, uploaded_at, source, and its options
   * when it has any (the granted variables by name only: their values may be secrets).
   */
  static Map<String, Object> version(ModuleVersion version) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", version.name());
    json.put("version", version.version());
    json.put("digest", version.digest());
    json.put("size", version.size());
    json.put("uploaded_at", version.uploadedAt().toString());
    json.put("source", version.source());
    if (!version.options().isEmpty()) {
      json.put("options", options(version.options()));
    }
    return json;
  }

  private static Map<String, Object> options(ModuleOptions options) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("env", List.copyOf(options.env().keySet()));
    json.put(
        "memory_pages",
        options.memoryPages().isPresent() ? options.memoryPages().getAsInt() : null);
    json.put("timeout_ms", options.timeout().map(Duration::toMillis).orElse(null));
    json.put(
        "max_output_bytes",
        options.maxOutputBytes().isPresent() ? options.maxOutputBytes().getAsLong() : null);
    json.put(
        "max_result_bytes",
        options.maxResultBytes().isPresent() ? options.maxResultBytes().getAsLong() : null);
    return json;
  }

  /** What a module needs to run: initializer, imports, memory pages (maximum null if none). */
  static Map<String, Object> needs(TaskModule module) {
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("initial_pages", module.initialPages());
    memory.put("maximum_pages", module.maximumPages().orElse(null));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("initializer", module.initializer());
    json.put("imports", module.imports());
    json.put("memory", memory);
    return json;
  }
}
