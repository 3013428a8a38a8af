package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.ModuleValidator;
import dev.taskqueue.sandbox.TaskModule;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code registry show}: versions, what the newest needs, and its open tasks. */
@ExtendWith(RedisExtension.class)
class ShowCommandTest {
  private final MutableClock clock = MutableClock.atFixedStart();
  @TempDir Path dir;
  private RedisSession session;
  private TestUploader uploader;
  private RegistryCli cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    uploader = new TestUploader(session, clock, Config.defaults());
    cli = RegistryCli.of(redis, dir);
  }

  @Test
  void listsEveryVersionAndWhatTheNewestNeeds() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    clock.advance(Duration.ofHours(1));
    uploader.upload("greeter", Modules.sampleFile(dir, "uppercase.wat"));
    String v1 = ModuleDigest.of(Modules.sample("greeter.wasm"));
    String v2 =
        session.redis().hget(session.keys().moduleVersion("greeter", 2), "digest").orElseThrow();

    String size1 = Integer.toString(Modules.size("greeter.wasm"));
    String size2 =
        session.redis().hget(session.keys().moduleVersion("greeter", 2), "size").orElseThrow();
    int width = Math.max("SIZE".length(), Math.max(size1.length(), size2.length()));

    RegistryCli.Run run = cli.run("show", "greeter");

    assertEquals(
        new RegistryCli.Run(
            0,
            "greeter: 2 versions\n"
                + "VERSION  DIGEST                                                                "
                + "   "
                + pad("SIZE", width)
                + "  UPLOADED              SOURCE         OPTIONS\n"
                + "v1       "
                + v1
                + "  "
                + pad(size1, width)
                + "  2026-01-01T00:00:00Z  greeter.wasm   -\n"
                + "v2       "
                + v2
                + "  "
                + pad(size2, width)
                + "  2026-01-01T01:00:00Z  uppercase.wat  -\n"
                + "newest (v2): initializer _initialize; memory 1 page (64 KiB) at start, no"
                + " maximum of its own\n"
                + "imports: none\n"
                + "open tasks (pending or in progress): none\n",
            ""),
        run);
  }

  @Test
  void countsOpenTasksPerQueue() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    String digest = ModuleDigest.of(Modules.sample("greeter.wasm"));
    TestTasks tasks = new TestTasks(session, clock);
    tasks.enqueue("default", "greeter", digest, 2);
    tasks.enqueue("emails", "greeter", digest, 1);
    tasks.enqueue("default", "other", digest, 5);

    RegistryCli.Run run = cli.run("show", "greeter");
    RegistryCli.Run json = cli.run("show", "greeter", "--json");

    List<String> lines = run.out().lines().toList();
    // Which WASI functions the sample imports is the toolchain's choice: read it from the module.
    assertEquals("imports: " + String.join(", ", greeter().imports()), lines.get(lines.size() - 2));
    assertEquals(
        "open tasks (pending or in progress): default 2, emails 1", lines.get(lines.size() - 1));
    JsonNode document = JsonMapper.builder().build().readTree(json.out());
    assertEquals("{\"default\":2,\"emails\":1}", document.get("open_tasks").toString());
  }

  @Test
  void printsJson() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));

    RegistryCli.Run run = cli.run("show", "--json", "greeter");

    JsonNode json = JsonMapper.builder().build().readTree(run.out());
    assertEquals("greeter", json.get("name").asString());
    JsonNode version = json.get("versions").get(0);
    assertEquals(1, version.get("version").asInt());
    assertEquals(ModuleDigest.of(Modules.sample("greeter.wasm")), version.get("digest").asString());
    assertEquals(Modules.size("greeter.wasm"), version.get("size").asInt());
    assertEquals("2026-01-01T00:00:00Z", version.get("uploaded_at").asString());
    assertEquals("greeter.wasm", version.get("source").asString());
    JsonNode newest = json.get("newest");
    assertEquals(1, newest.get("version").asInt());
    assertEquals("_initialize", newest.get("initializer").asString());
    TaskModule greeter = greeter();
    assertEquals(greeter.imports().size(), newest.get("imports").size());
    assertEquals(
        "{\"initial_pages\":" + greeter.initialPages() + ",\"maximum_pages\":null}",
        newest.get("memory").toString());
    assertEquals("{}", json.get("open_tasks").toString());
  }

  @Test
  void saysWhenTheStoredNewestVersionNoLongerPassesValidation() {
    // Stored past the checker, as a module accepted by an older, laxer validator would be.
    new ModulePublisher(session.redis(), session.keys(), clock, Duration.ofSeconds(5))
        .publish("legacy", "\0asm-old".getBytes(StandardCharsets.UTF_8), "legacy.wasm");

    RegistryCli.Run run = cli.run("show", "legacy");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .contains(
                "\nnewest (v1): no longer passes validation: legacy.wasm is not a valid"
                    + " WebAssembly module: "),
        run.out());
  }

  @Test
  void anUnknownNameIsNotFound() {
    assertEquals(
        new RegistryCli.Run(
            4,
            "",
            "registry show: no module named 'nope' is registered; see 'registry list'"
                + cli.lookedIn()
                + "\n"),
        cli.run("show", "nope"));
  }

  @Test
  void anInvalidNameIsInvalidInput() {
    assertEquals(2, cli.run("show", "a:b").exitCode());
  }

  /** What the built greeter needs, as the validator reads it from the file. */
  private static TaskModule greeter() {
    return ModuleValidator.validate(Modules.sample("greeter.wasm"), "greeter.wasm");
  }

  private static String pad(String cell, int width) {
    return cell + " ".repeat(width - cell.length());
  }
}
