package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry list}: one row per module name, its newest version. */
@ExtendWith(RedisExtension.class)
class ListCommandTest {
  private final MutableClock clock = MutableClock.atFixedStart();
  @TempDir Path dir;
  private TestUploader uploader;
  private RegistryCli cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    RedisSession session = TestSessions.open(redis);
    uploader = new TestUploader(session, clock, Config.defaults());
    cli = RegistryCli.of(redis, dir);
  }

  @Test
  void saysHowToStartWhenEmpty() {
    assertEquals(
        new RegistryCli.Run(
            0, "no modules registered; upload one with 'registry upload FILE.wasm'\n", ""),
        cli.run("list"));
    assertEquals(new RegistryCli.Run(0, "{\"modules\":[]}\n", ""), cli.run("list", "--json"));
  }

  @Test
  void showsTheNewestVersionOfEachNameInAnAlignedTable() {
    uploader.upload("wordcount", Modules.sampleFile(dir, "wordcount.wasm"));
    clock.advance(Duration.ofSeconds(90));
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    clock.advance(Duration.ofMillis(1500));
    uploader.upload("greeter", Modules.sampleFile(dir, "checksum.wasm"));

    RegistryCli.Run run = cli.run("list");

    String checksum = Integer.toString(Modules.size("checksum.wasm"));
    String wordcount = Integer.toString(Modules.size("wordcount.wasm"));
    int width = Math.max("SIZE".length(), Math.max(checksum.length(), wordcount.length()));
    assertEquals(
        new RegistryCli.Run(
            0,
            "NAME       VERSION  DIGEST               "
                + pad("SIZE", width)
                + "  UPLOADED              SOURCE\n"
                + "greeter    v2       sha256:"
                + shortDigest("checksum.wasm")
                + "  "
                + pad(checksum, width)
                + "  2026-01-01T00:01:31Z  checksum.wasm\n"
                + "wordcount  v1       sha256:"
                + shortDigest("wordcount.wasm")
                + "  "
                + pad(wordcount, width)
                + "  2026-01-01T00:00:00Z  wordcount.wasm\n",
            ""),
        run);
  }

  @Test
  void printsJson() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));

    RegistryCli.Run run = cli.run("list", "--json");

    assertEquals(
        new RegistryCli.Run(
            0,
            "{\"modules\":[{\"name\":\"greeter\",\"version\":1,\"digest\":\""
                + ModuleDigest.of(Modules.sample("greeter.wasm"))
                + "\",\"size\":"
                + Modules.size("greeter.wasm")
                + ",\"uploaded_at\":\"2026-01-01T00:00:00Z\","
                + "\"source\":\"greeter.wasm\"}]}\n",
            ""),
        run);
  }

  private static String pad(String cell, int width) {
    return cell + " ".repeat(width - cell.length());
  }

  private static String shortDigest(String sample) {
    return ModuleDigest.shortForm(ModuleDigest.of(Modules.sample(sample)));
  }
}
