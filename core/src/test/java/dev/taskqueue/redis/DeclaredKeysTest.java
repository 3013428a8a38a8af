package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.Heartbeats;
import dev.taskqueue.lease.LeaseRenewer;
import dev.taskqueue.queue.DeadLetters;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.queue.TaskCanceller;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.schedule.DuePromoter;
import dev.taskqueue.schedule.ScheduleFirer;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.TaskSubmitter;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 10: every key a script touches is one it was given in KEYS, as Redis Cluster
 * requires. Every transition runs while {@code MONITOR} records the commands each script makes;
 * Redis itself ({@code COMMAND GETKEYS}) says which arguments of each are keys.
 */
class DeclaredKeysTest {

  @Test
  void everyScriptTouchesOnlyTheKeysItDeclares() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral();
        Resp monitor = Resp.connect(server.port());
        Resp keysOf = Resp.connect(server.port())) {
      TestRedis redis = new TestRedis(server, "declared");
      monitor.send("MONITOR");
      runEveryTransition(redis);
      String end = redis.prefix() + ":end-of-test";
      keysOf.send("GET", end);
      List<List<String>> commands = monitor.monitoredUntil(end);

      Set<String> scriptsSeen = new TreeSet<>();
      List<String> undeclared = new ArrayList<>();
      Set<String> declared = new HashSet<>();
      String script = null;
      for (List<String> command : commands) {
        if (command.get(0).equals("lua") && script != null) {
          List<String> call = command.subList(1, command.size());
          for (String key : keysOf.keysOf(call)) {
            if (!declared.contains(key)) {
              undeclared.add(script + ": " + String.join(" ", call));
            }
          }
        } else if (command.get(1).equalsIgnoreCase("EVALSHA")) {
          int count = Integer.parseInt(command.get(3));
          declared = new HashSet<>(command.subList(4, 4 + count));
          // Scripts the test's own client library runs to seed data are not ours to check.
          script = name(command.get(2));
          if (script != null) {
            scriptsSeen.add(script);
          }
        }
      }

      assertEquals(
          Set.of(
              "add_schedule",
              "announce_module",
              "cancel",
              "claim",
              "claim_schedule_name",
              "end_attempt",
              "fire_schedule",
              "pause_schedule",
              "pause_queue",
              "remove_schedule",
              "enqueue",
              "stand_by",
              "heartbeat",
              "promote_due",
              "publish_module",
              "reap_expired",
              "remove_module",
              "remove_workers",
              "renew_leases",
              "replay_dead",
              "restore_task_name",
              "retire_task_name",
              "trim_ended"),
          scriptsSeen,
          "every script ran");
      assertTrue(undeclared.isEmpty(), "undeclared keys: " + undeclared);
    }
  }

  private static void runEveryTransition(TestRedis redis) {
    ModuleFixture modules = new ModuleFixture(redis);
    LeaseFixture f = new LeaseFixture(redis);
    modules.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    modules.publisher.publish("greeter", ModuleFixture.V2, "a.wasm");
    // A worker stands by; the first submit goes to pending, and its reply names the worker; the
    // worker claims it (and stands by no more), stands by again, is handed the next, stands down.
    Claimer standing =
        new Claimer(f.session.redis(), f.keys, f.clock, "w0", "h0", LeaseFixture.LEASE);
    standing.standBy("default", 2, Duration.ofSeconds(5));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    standing.claim("default", 1);
    standing.standBy("default", 2, Duration.ofSeconds(5));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    standing.standDown("default");
    List<NewTask> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NewTask task = f.tasks.greeter("{}");
      f.enqueuer.enqueue(task);
      queued.add(task);
    }
    f.client.getMap(f.keys.task("default", queued.get(1).id())).remove("name");
    f.client.getKeys().delete(f.keys.task("default", queued.get(2).id()));
    f.client.getMap(f.keys.task("default", queued.get(4).id())).put("max_retries", "0");
    // Claims 0, 1 (corrupt), 3, 4 (no retries) and 5; 2 is gone.
    List<Claimed> claimed = f.claim("default", "w1", 6);
    // One batch ends four attempts four ways.
    f.recorder.endAll(
        List.of(
            AttemptOutcome.completed(
                claimed.get(0).lease(), TaskResult.of(new byte[0]), Optional.empty()),
            AttemptOutcome.failed(claimed.get(1).lease(), "corrupt", Optional.empty()),
            AttemptOutcome.released(claimed.get(2).lease()),
            AttemptOutcome.failed(claimed.get(3).lease(), "boom", Optional.empty())));
    LeaseRenewer renewer =
        new LeaseRenewer(
            f.session.redis(), f.keys, f.clock, "w1", LeaseFixture.LEASE, LeaseFixture.LEASE);
    renewer.beat(Map.of("host", "h"), List.of(claimed.get(4).lease()));
    f.clock.advance(Duration.ofMinutes(10));
    f.reaper.reap("default", 10); // claimed 4: its lease expired
    new DuePromoter(f.session.redis(), f.keys, f.clock).promote("default", 10);
    new DeadLetters(f.session.redis(), f.keys, f.clock)
        .replay("default", claimed.get(3).lease().taskId());
    new EndedTasks(f.session.redis(), f.keys)
        .trim("default", Stage.COMPLETED, 0, f.clock.instant(), 10);
    new Heartbeats(f.session.redis(), f.keys, f.clock).removeDead(10);
    renewer.goodbye();
    // Announced to the queue that exists now; then submits that leave the version to the queue:
    // one it knows, one it does not (read from the registry, sent again pinned), and a batch.
    modules.publisher.publish("greeter", ModuleFixture.V2, "a.wasm");
    TaskSubmitter submitter =
        new TaskSubmitter(
            Config.builder().withoutEnvFile().withEnvironment(Map.of()).build(),
            modules.store,
            f.enqueuer,
            f.clock);
    submitter.submit(Submission.builder("greeter", "{}").build());
    submitter.submitAll(
        List.of(
            Submission.builder("greeter", "{}").withQueue("fresh").build(),
            Submission.builder("greeter", "{}")
                .withQueue("fresh")
                .withRunAt(f.clock.instant().plusSeconds(5))
                .build()));
    NewTask now = f.tasks.greeter("{}");
    f.enqueuer.enqueue(
        new NewTask(
            now.id(),
            now.queue(),
            now.name(),
            now.moduleDigest(),
            now.moduleVersion(),
            now.kind(),
            now.payload(),
            now.maxRetries(),
            now.retryBackoff(),
            now.timeout(),
            now.createdAt(),
            Optional.of(f.clock.instant().plusSeconds(60))));
    new TaskCanceller(f.session.redis(), f.keys, f.clock).cancel("default", now.id());
    ScheduleStore schedules =
        new ScheduleStore(
            f.session.redis(),
            f.keys,
            Config.builder().withoutEnvFile().withEnvironment(Map.of()).build(),
            f.clock);
    schedules.add(
        "minutely", Submission.builder("greeter", "{}").build(), "0 * * * * *", "UTC", CatchUp.ALL);
    f.clock.advance(Duration.ofMinutes(3));
    new ScheduleFirer(f.session.redis(), f.keys, f.clock).fireDue("default", 10);
    schedules.pause("minutely");
    schedules.resume("minutely");
    schedules.remove("minutely");
    QueuePauses pauses = new QueuePauses(f.session.redis(), f.keys, f.clock);
    pauses.pause("default");
    f.claim("default", "w2", 1); // claims nothing: paused
    pauses.resume("default");
    f.client.getSet(f.keys.queues()).add("emails");
    modules.remover.remove("greeter", true);
    f.enqueuer.enqueue(f.tasks.greeter("{}")); // refused: retired
    // A removal refused in one queue restores the others; staged directly, as ModuleRemover calls
    // it.
    f.session
        .redis()
        .scripts()
        .evalLong(
            LuaScript.RESTORE_TASK_NAME,
            List.of(f.keys.retired("emails")),
            List.of("greeter", 2, 0));
  }

  private static String name(String sha) {
    for (LuaScript script :
        List.of(
            LuaScript.ENQUEUE,
            LuaScript.CLAIM,
            LuaScript.STAND_BY,
            LuaScript.END_ATTEMPT,
            LuaScript.PUBLISH_MODULE,
            LuaScript.ANNOUNCE_MODULE,
            LuaScript.RETIRE_TASK_NAME,
            LuaScript.RESTORE_TASK_NAME,
            LuaScript.REMOVE_MODULE,
            LuaScript.REAP_EXPIRED,
            LuaScript.RENEW_LEASES,
            LuaScript.PROMOTE_DUE,
            LuaScript.HEARTBEAT,
            LuaScript.REMOVE_WORKERS,
            LuaScript.REPLAY_DEAD,
            LuaScript.TRIM_ENDED,
            LuaScript.CANCEL,
            LuaScript.CLAIM_SCHEDULE_NAME,
            LuaScript.ADD_SCHEDULE,
            LuaScript.FIRE_SCHEDULE,
            LuaScript.REMOVE_SCHEDULE,
            LuaScript.PAUSE_SCHEDULE,
            LuaScript.PAUSE_QUEUE)) {
      if (script.sha().equals(sha)) {
        return script.name();
      }
    }
    return null;
  }
}
