package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry rm}: removes every version, but not under open tasks unless forced. */
@ExtendWith(RedisExtension.class)
class RemoveCommandTest {
  private static final String GREETER = ModuleDigest.of(Modules.sample("greeter.wasm"));
  private static final String WORDCOUNT = ModuleDigest.of(Modules.sample("wordcount.wasm"));

  private final MutableClock clock = MutableClock.atFixedStart();
  @TempDir Path dir;
  private RedisSession session;
  private Keys keys;
  private String prefix;
  private String redisUrl;
  private RegistryCli cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    keys = session.keys();
    prefix = redis.prefix();
    redisUrl = redis.url();
    TestUploader uploader = new TestUploader(session, clock, Config.defaults());
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    uploader.upload("greeter", Modules.sampleFile(dir, "wordcount.wasm"));
    uploader.upload("wordcount", Modules.sampleFile(dir, "wordcount.wasm"));
    cli = RegistryCli.of(redis, dir);
  }

  @Test
  void removesEveryVersionAndTheBytesNoOtherNameUses() {
    RegistryCli.Run run = cli.run("rm", "greeter");

    assertEquals(
        new RegistryCli.Run(
            0,
            "removed greeter: 2 versions, newest v2 sha256:"
                + ModuleDigest.shortForm(WORDCOUNT)
                + "\n",
            ""),
        run);
    assertEquals(
        Set.of(
            keys.moduleNames(),
            keys.moduleSeq(),
            keys.moduleVersion("wordcount", 1),
            keys.moduleBlob(WORDCOUNT),
            keys.moduleRefs(WORDCOUNT)),
        state().keySet(),
        "the version counter stays, so greeter's next upload is v3");
  }

  @Test
  void refusesWhileTasksAreOpenAndRemovesNothing() {
    TestTasks tasks = new TestTasks(session, clock);
    tasks.enqueue("default", "greeter", WORDCOUNT, 2);
    tasks.enqueue("emails", "greeter", GREETER, 1);
    Map<String, Object> before = state();

    RegistryCli.Run run = cli.run("rm", "greeter");

    assertEquals(
        new RegistryCli.Run(
            5,
            "",
            "registry rm: module 'greeter' still has open tasks (pending or in progress):"
                + " default 2, emails 1; wait for them to finish, or rerun with --force to remove"
                + " it anyway, and those tasks will then fail when a worker reaches them\n"),
        run);
    assertEquals(before, state());
  }

  @Test
  void refusesWhileACronScheduleSubmitsItsTasksAndForceSaysItWillFireNone() {
    new ScheduleStore(session.redis(), keys, Config.defaults(), clock)
        .add(
            "every-minute",
            Submission.builder("greeter", "{}").build(),
            "* * * * *",
            "UTC",
            CatchUp.SKIP);
    Map<String, Object> before = state();

    RegistryCli.Run refused = cli.run("rm", "greeter");

    assertEquals(
        new RegistryCli.Run(
            5,
            "",
            "registry rm: module 'greeter' is used by cron schedule every-minute: remove it first"
                + " ('producer cron rm every-minute'), or rerun with --force to remove the module"
                + " anyway, and it will then fire no task until a module named 'greeter' is"
                + " uploaded again\n"),
        refused);
    assertEquals(before, state());

    RegistryCli.Run forced = cli.run("rm", "--force", "greeter");

    assertEquals(
        new RegistryCli.Run(
            0,
            "removed greeter: 2 versions, newest v2 sha256:"
                + ModuleDigest.shortForm(WORDCOUNT)
                + "; its cron schedule every-minute will fire no task until greeter is uploaded"
                + " again\n",
            ""),
        forced);
  }

  @Test
  void forceRemovesItAnywayAndSaysWhichTasksWillFail() {
    new TestTasks(session, clock).enqueue("default", "greeter", WORDCOUNT, 2);

    RegistryCli.Run run = cli.run("rm", "--force", "greeter");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        "removed greeter: 2 versions, newest v2 sha256:"
            + ModuleDigest.shortForm(WORDCOUNT)
            + "; its open tasks will fail when a worker reaches them: default 2\n",
        run.out());
    assertTrue(state().keySet().stream().noneMatch(k -> k.contains(":module:greeter:")));
  }

  @Test
  void anUnknownNameIsNotFoundAndChangesNothing() {
    Map<String, Object> before = state();

    for (String rm : new String[] {"rm", "remove", "delete"}) {
      RegistryCli.Run run = cli.run(rm, "nope");

      assertEquals(
          new RegistryCli.Run(
              4,
              "",
              "registry rm: no module named 'nope' is registered; see 'registry list'"
                  + cli.lookedIn()
                  + "\n"),
          run,
          rm);
    }
    assertEquals(before, state());
  }

  private Map<String, Object> state() {
    return RedisState.of(TestSessions.client(redisUrl), prefix);
  }
}
