package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.redis.RedisSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Checks and publishes modules the way {@code registry upload} does, in one call, for tests. */
final class TestUploader {
  private final ModuleChecker checker;
  private final ModuleUploader uploader;

  TestUploader(RedisSession session, Clock clock, Config config) {
    this(session, clock, new ModuleChecker(config));
  }

  TestUploader(RedisSession session, Clock clock, ModuleChecker checker) {
    this.checker = checker;
    this.uploader =
        new ModuleUploader(
            new ModulePublisher(session.redis(), session.keys(), clock, Duration.ofSeconds(5)),
            new ModuleStore(session.redis(), session.keys()));
  }

  ModuleUploader.Uploaded upload(String name, Path file) {
    return uploader.publish(checker.check(name, file));
  }

  ModuleUploader.Uploaded upload(String name, byte[] bytes, String source) {
    return uploader.publish(checker.check(name, bytes, source));
  }
}
