package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.ModuleValidator;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code registry upload}, run in-process against a real Redis. */
@ExtendWith(RedisExtension.class)
class UploadCommandTest {
  private static final String GREETER = ModuleDigest.shortForm(digest("greeter.wasm"));
  private static final int GREETER_SIZE = Modules.size("greeter.wasm");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;
  private TestRedis redis;
  private RedisSession session;
  private RegistryCli cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    session = TestSessions.open(redis);
    cli = RegistryCli.of(redis, dir);
  }

  @Test
  void namesTheModuleAfterTheFileAndSaysItIsNew() {
    RegistryCli.Run run = cli.run("upload", Modules.sampleFile(dir, "greeter.wasm").toString());

    assertEquals(
        new RegistryCli.Run(
            0, "greeter v1 sha256:" + GREETER + " " + GREETER_SIZE + " bytes (new version)\n", ""),
        run);
    assertEquals(
        "1",
        TestSessions.client(redis.url())
            .<String, String>getMap(session.keys().moduleNames())
            .get("greeter"));
  }

  /**
   * Issue 17: several files at once (the compose file's one-shot uploads the samples so); all are
   * checked first, so one refused stores none; --name goes with one file only.
   */
  @Test
  void severalFilesAreEachUploadedOrNoneWhenOneIsRefused() {
    String greeter = Modules.sampleFile(dir, "greeter.wasm").toString();
    String wordcount = Modules.sampleFile(dir, "wordcount.wasm").toString();
    Path broken = Modules.write(dir.resolve("broken.wasm"), new byte[] {0, 'a', 's', 'm', 9});
    Map<String, Object> before = RedisState.of(TestSessions.client(redis.url()), redis.prefix());

    RegistryCli.Run refused = cli.run("upload", greeter, broken.toString(), wordcount);
    RegistryCli.Run named = cli.run("upload", "--name", "both", greeter, wordcount);

    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("broken.wasm"), refused.err());
    assertEquals(before, RedisState.of(TestSessions.client(redis.url()), redis.prefix()));
    assertEquals(2, named.exitCode());
    assertEquals(
        "registry upload: --name names one module, but 2 files were given: give one FILE\n",
        named.err());

    RegistryCli.Run run = cli.run("upload", greeter, wordcount);

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, run.out().lines().count(), run.out());
    assertTrue(run.out().startsWith("greeter v1 sha256:" + GREETER), run.out());
    assertTrue(run.out().lines().toList().get(1).startsWith("wordcount v1 "), run.out());
  }

  /** Issue 16: environment and limits given at upload, stored with the version, shown by show. */
  @Test
  void optionsGivenAtUploadAreStoredWithTheVersionAndShownWithoutTheValues() {
    String greeter = Modules.sampleFile(dir, "greeter.wasm").toString();
    cli.run("upload", greeter);

    RegistryCli.Run granted =
        cli.run(
            "upload",
            "--env",
            "API_TOKEN=s3cret",
            "--env",
            "REGION=eu",
            "--memory-pages",
            "32",
            "--timeout",
            "5s",
            "--max-output",
            "64KiB",
            "--max-result",
            "1024",
            greeter);
    RegistryCli.Run show = cli.run("show", "greeter");
    RegistryCli.Run json = cli.run("show", "greeter", "--json");

    assertEquals(0, granted.exitCode(), granted.toString());
    assertTrue(granted.out().startsWith("greeter v2 "), granted.out());
    assertEquals(
        "{\"env\":{\"API_TOKEN\":\"s3cret\",\"REGION\":\"eu\"},\"timeout_ms\":5000,"
            + "\"memory_pages\":32,\"max_output_bytes\":65536,\"max_result_bytes\":1024}",
        TestSessions.client(redis.url())
            .<String, String>getMap(session.keys().moduleVersion("greeter", 2))
            .get("options"));
    assertTrue(
        show.out()
            .contains(
                "env API_TOKEN, REGION; memory 32 pages; timeout 5s; output 65536 bytes; result"
                    + " 1024 bytes\n"),
        show.out());
    assertTrue(show.out().contains(" greeter.wasm  -\n"), "v1 has none:\n" + show.out());
    assertTrue(!show.out().contains("s3cret") && !json.out().contains("s3cret"), "values hidden");
    JsonNode v2 = JSON.readTree(json.out()).get("versions").get(1).get("options");
    assertEquals("[\"API_TOKEN\",\"REGION\"]", v2.get("env").toString());
    assertEquals(32, v2.get("memory_pages").asInt());
  }

  @Test
  void badOptionsAreRefusedNamingTheFlagAndWriteNothing() {
    String greeter = Modules.sampleFile(dir, "greeter.wasm").toString();
    Map<String, Object> before = RedisState.of(TestSessions.client(redis.url()), redis.prefix());

    for (String[] flags :
        new String[][] {
          {"--env", "1BAD=x"},
          {"--env", "NOEQUALS"},
          {"--memory-pages", "0"},
          {"--memory-pages", "1"},
          {"--timeout", "forever"},
          {"--max-output", "lots"}
        }) {
      RegistryCli.Run run = cli.run("upload", flags[0], flags[1], greeter);
      assertEquals(2, run.exitCode(), run.toString());
      assertTrue(
          run.err()
              .contains(flags[0].equals("--env") ? flags[1].replaceFirst("=.*", "") : flags[0]),
          run.err());
    }
    assertEquals(
        "registry upload: --env 'NOEQUALS' has no '=': give NAME=VALUE, such as --env"
            + " GREETING=hello (an empty value is NAME=)\n",
        cli.run("upload", "--env", "NOEQUALS", greeter).err());
    assertEquals(before, RedisState.of(TestSessions.client(redis.url()), redis.prefix()));
  }

  @Test
  void aModuleStartingWithMoreMemoryThanWorkersAllowIsRefused() {
    RegistryCli capped = RegistryCli.of(redis, dir, "TASK_QUEUE_MAX_MEMORY_PAGES=1");

    RegistryCli.Run run = capped.run("upload", Modules.sampleFile(dir, "greeter.wasm").toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(
        run.err()
            .contains("memory pages, more than the 1 workers allow (TASK_QUEUE_MAX_MEMORY_PAGES"),
        run.err());
  }

  @Test
  void sameBytesAgainAreUnchangedAndNewBytesMakeTheNextVersion() {
    String greeter = Modules.sampleFile(dir, "greeter.wasm").toString();
    String wordcount = Modules.sampleFile(dir, "wordcount.wasm").toString();
    cli.run("upload", greeter);

    RegistryCli.Run again = cli.run("upload", greeter);
    RegistryCli.Run next = cli.run("upload", "--name", "greeter", wordcount);

    assertEquals(
        "greeter v1 sha256:"
            + GREETER
            + " "
            + GREETER_SIZE
            + " bytes (unchanged: v1 already has these bytes and options)\n",
        again.out());
    assertEquals(
        "greeter v2 sha256:"
            + ModuleDigest.shortForm(digest("wordcount.wasm"))
            + " "
            + Modules.size("wordcount.wasm")
            + " bytes (new version)\n",
        next.out());
  }

  @Test
  void anEarlierVersionsBytesAgainSayWhichVersionTheyBringBack() {
    String greeter = Modules.sampleFile(dir, "greeter.wasm").toString();
    cli.run("upload", greeter);
    cli.run("upload", "--name", "greeter", Modules.sampleFile(dir, "wordcount.wasm").toString());

    RegistryCli.Run back = cli.run("upload", greeter);
    RegistryCli.Run other = cli.run("upload", "--env", "MODE=loud", greeter);
    RegistryCli.Run json = cli.run("upload", "--json", greeter);

    assertEquals(
        "greeter v3 sha256:"
            + GREETER
            + " "
            + GREETER_SIZE
            + " bytes (new version: v1's bytes and options again)\n",
        back.out());
    assertEquals(
        "greeter v4 sha256:"
            + GREETER
            + " "
            + GREETER_SIZE
            + " bytes (new version: v3's bytes, with other options)\n",
        other.out());
    JsonNode document = JsonMapper.builder().build().readTree(json.out());
    assertEquals(5, document.get("version").asInt());
    assertEquals(3, document.get("same_bytes_as").asInt());
    assertTrue(document.get("same_options").asBoolean());
  }

  @Test
  void assemblesWatAndSaysSo() {
    RegistryCli.Run run = cli.run("upload", Modules.sampleFile(dir, "uppercase.wat").toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .matches(
                "uppercase v1 sha256:[0-9a-f]{12} \\d+ bytes \\(new version, assembled"
                    + " from uppercase.wat\\)\n"),
        run.out());
  }

  @Test
  void printsTheOutcomeAsJson() {
    RegistryCli.Run run =
        cli.run("upload", "--json", Modules.sampleFile(dir, "greeter.wasm").toString());

    JsonNode json = JsonMapper.builder().build().readTree(run.out());
    assertEquals("greeter", json.get("name").asString());
    assertEquals(1, json.get("version").asInt());
    assertEquals(digest("greeter.wasm"), json.get("digest").asString());
    assertEquals(GREETER_SIZE, json.get("size").asInt());
    assertEquals("greeter.wasm", json.get("source").asString());
    assertTrue(json.get("created").asBoolean());
    assertEquals("_initialize", json.get("initializer").asString());
    assertEquals(
        ModuleValidator.validate(Modules.sample("greeter.wasm"), "greeter.wasm").initialPages(),
        json.get("memory").get("initial_pages").asInt());
    assertTrue(json.get("memory").get("maximum_pages").isNull());
    assertTrue(json.get("imports").toString().contains("wasi_snapshot_preview1.fd_write"));
  }

  @Test
  void refusesAnInvalidModuleWithOneLineAndWritesNothing() {
    Map<String, Object> before = state();

    RegistryCli.Run run = cli.run("upload", Modules.testFile(dir, "no-execute.wat").toString());

    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry upload: no-execute.wat is not a task module: it does not export 'execute'"
                + " (a function (i32, i32) -> i64) (see docs/abi.md)\n"),
        run);
    assertEquals(before, state());
  }

  @Test
  void refusesAModuleTooLargeForAWorkerWithOneLineAndWritesNothing() {
    Map<String, Object> before = state();

    RegistryCli.Run run = cli.run("upload", Modules.testFile(dir, "many-tables.wat").toString());

    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry upload: many-tables.wat is too large for a worker: it has 60 tables, over"
                + " the limit of 16; it has 540,000,000 table elements, over the limit of 100,000"
                + " over all tables (see Limits in docs/abi.md)\n"),
        run);
    assertEquals(before, state());
  }

  @Test
  void takesTheSizeLimitFromTheEnvFile() {
    RegistryCli strict = RegistryCli.of(redis, dir, "TASK_QUEUE_MAX_MODULE_BYTES=1KiB");

    RegistryCli.Run run = strict.run("upload", Modules.sampleFile(dir, "greeter.wasm").toString());

    assertEquals(2, run.exitCode());
    assertEquals(
        "registry upload: greeter.wasm is "
            + GREETER_SIZE
            + " bytes, over the limit of 1024 bytes"
            + " (TASK_QUEUE_MAX_MODULE_BYTES, from "
            + dir.resolve("registry.env")
            + "): make the module smaller or raise the setting\n",
        run.err());
    assertEquals(Map.of(), state());
  }

  @Test
  void aFileNameThatIsNoModuleNameAsksForName() {
    Path file = Modules.write(dir.resolve("my greeter.wasm"), Modules.sample("greeter.wasm"));

    RegistryCli.Run run = cli.run("upload", file.toString());
    RegistryCli.Run named = cli.run("upload", "--name", "greeter", file.toString());

    assertEquals(
        "registry upload: task name 'my greeter' is invalid: use 1-64 letters, digits, '_', '.'"
            + " or '-', starting with a letter or digit (it comes from the file name; choose one"
            + " with --name NAME)\n",
        run.err());
    assertEquals(2, run.exitCode());
    assertEquals(0, named.exitCode(), named.err());
  }

  @Test
  void aMissingFileArgumentIsAUsageError() {
    RegistryCli.Run run = cli.run("upload");

    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry upload: Missing required parameter: 'FILE' (see 'registry upload --help')\n"),
        run);
  }

  @Test
  void saysWhenRedisIsNotRunning() {
    String url = "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0";
    RegistryCli down = RegistryCli.at(url, redis.prefix(), dir);

    RegistryCli.Run run = down.run("upload", Modules.sampleFile(dir, "greeter.wasm").toString());

    assertEquals(3, run.exitCode());
    assertEquals("", run.out());
    assertTrue(
        run.err().startsWith("registry upload: cannot connect to Redis at " + url), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  private Map<String, Object> state() {
    return RedisState.of(TestSessions.client(redis.url()), redis.prefix());
  }

  private static String digest(String sample) {
    return ModuleDigest.of(Modules.sample(sample));
  }
}
