package dev.taskqueue.module;

import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.task.HashJson;
import dev.taskqueue.task.TaskLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a module version was uploaded with, beside its bytes: the environment variables its tasks
 * are granted (nothing else reaches a guest) and its own limits, each of which only lowers the
 * worker's (the worker's maxima win). Stored in the version's hash as one canonical JSON field, so
 * that two uploads are the same version only when bytes and options are the same.
 *
 * @param env variable name to value, in name order
 * @param memoryPages linear memory cap in 64 KiB pages
 * @param timeout the longest an attempt may run, whatever the task asked for
 * @param maxOutputBytes the most of an attempt's output its log keeps
 * @param maxResultBytes the largest result an attempt may return
 */
public record ModuleOptions(
    Map<String, String> env,
    OptionalInt memoryPages,
    Optional<Duration> timeout,
    OptionalLong maxOutputBytes,
    OptionalLong maxResultBytes) {

  /** Nothing granted, no limits of its own. */
  public static final ModuleOptions NONE =
      new ModuleOptions(
          Map.of(),
          OptionalInt.empty(),
          Optional.empty(),
          OptionalLong.empty(),
          OptionalLong.empty());

  /** All the variables of one module together, names and values: they are read on every task. */
  public static final int MAX_ENV_BYTES = 32 * 1024;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public ModuleOptions {
    env = Collections.unmodifiableMap(new TreeMap<>(env));
    Objects.requireNonNull(memoryPages);
    Objects.requireNonNull(timeout);
    Objects.requireNonNull(maxOutputBytes);
    Objects.requireNonNull(maxResultBytes);
  }

  /**
   * Checks the granted variables: names as a shell would take them, values without NUL (a guest's
   * environment is a list of C strings), all together at most {@value #MAX_ENV_BYTES} bytes.
   *
   * @throws InvalidInputException naming the first variable that is not acceptable
   */
  public static Map<String, String> checkEnv(Map<String, String> env) {
    long bytes = 0;
    for (Map.Entry<String, String> variable : env.entrySet()) {
      String name = variable.getKey();
      if (!ENV_NAME.matcher(name).matches()) {
        throw new InvalidInputException(
            "environment variable name '"
                + name
                + "' is not valid: use letters, digits and _, not starting with a digit, at most"
                + " 128");
      }
      if (variable.getValue().indexOf('\0') >= 0) {
        throw new InvalidInputException(
            "environment variable " + name + " has a NUL character in its value");
      }
      bytes += name.length() + 2L + variable.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_ENV_BYTES) {
      throw new InvalidInputException(
          "the environment variables take "
              + bytes
              + " bytes, more than the "
              + MAX_ENV_BYTES
              + " a module may be granted");
    }
    return env;
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  /** Its memory, output and result limits, as a task's own are held. */
  public TaskLimits limits() {
    return new TaskLimits(memoryPages, maxOutputBytes, maxResultBytes);
  }

  /** The canonical JSON this is stored as: keys in a fixed order, absent options left out. */
  public String toJson() {
    if (isEmpty()) {
      return "";
    }
    ObjectNode node = HashJson.mapper().createObjectNode();
    if (!env.isEmpty()) {
      ObjectNode variables = node.putObject("env");
      env.forEach(variables::put);
    }
    timeout.ifPresent(t -> node.put("timeout_ms", t.toMillis()));
    limits().writeTo(node);
    return HashJson.mapper().writeValueAsString(node);
  }

  /** Reads what {@link #toJson} wrote; empty or absent is {@link #NONE}. */
  public static ModuleOptions fromJson(String json) {
    if (json == null || json.isEmpty()) {
      return NONE;
    }
    try {
      JsonNode node = HashJson.mapper().readTree(json);
      Map<String, String> env = new LinkedHashMap<>();
      JsonNode variables = node.path("env");
      variables.propertyNames().forEach(name -> env.put(name, variables.get(name).asString()));
      TaskLimits limits = TaskLimits.readFrom(node);
      return new ModuleOptions(
          env,
          limits.memoryPages(),
          node.has("timeout_ms")
              ? Optional.of(Duration.ofMillis(node.get("timeout_ms").asLong()))
              : Optional.empty(),
          limits.maxOutputBytes(),
          limits.maxResultBytes());
    } catch (JacksonException e) {
      throw new IllegalStateException("bug: a module version's options are not JSON: " + json, e);
    }
  }
}
