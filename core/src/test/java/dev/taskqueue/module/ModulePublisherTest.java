package dev.taskqueue.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** publish_module.lua through {@link ModulePublisher}, read back through {@link ModuleStore}. */
@ExtendWith(RedisExtension.class)
class ModulePublisherTest {
  private ModuleFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new ModuleFixture(redis);
  }

  @Test
  void publishingANewNameMakesVersionOneWithItsBytesAndRefs() {
    ModulePublisher.Published published =
        f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");

    String digest = ModuleDigest.of(ModuleFixture.V1);
    assertTrue(published.created());
    assertEquals(
        new ModuleVersion(
            "greeter", 1, digest, ModuleFixture.V1.length, f.clock.instant(), "greeter.wasm"),
        published.version());
    Map<String, Object> state = f.state();
    assertEquals(
        Set.of(
            f.keys.moduleNames(),
            f.keys.moduleSeq(),
            f.keys.moduleVersion("greeter", 1),
            f.keys.moduleBlob(digest),
            f.keys.moduleRefs(digest)),
        state.keySet());
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.moduleNames()));
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.moduleSeq()));
    assertEquals(Set.of("greeter"), state.get(f.keys.moduleRefs(digest)));
    Map<String, String> version = new TreeMap<>(f.hash(f.keys.moduleVersion("greeter", 1)));
    assertEquals(24, version.remove("upload_id").length(), "a random request id per upload");
    assertEquals(
        new TreeMap<>(
            Map.of(
                "name",
                "greeter",
                "version",
                "1",
                "digest",
                digest,
                "size",
                Integer.toString(ModuleFixture.V1.length),
                "uploaded_at",
                Long.toString(f.clock.millis()),
                "source",
                "greeter.wasm")),
        version);
    assertArrayEquals(ModuleFixture.V1, f.store.bytes(digest).orElseThrow());
  }

  @Test
  void publishingTheSameBytesAgainChangesNothing() {
    f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");
    Map<String, Object> before = f.state();
    f.clock.advance(Duration.ofMinutes(1));

    ModulePublisher.Published again = f.publisher.publish("greeter", ModuleFixture.V1, "copy.wasm");

    assertFalse(again.created());
    assertEquals(1, again.version().version());
    assertEquals(before, f.state());
  }

  @Test
  void theSameBytesWithOtherOptionsMakeANewVersionWhichKeepsThem() {
    ModuleOptions options =
        new ModuleOptions(
            Map.of("REGION", "eu", "API_URL", "https://example.com/v1"),
            OptionalInt.of(16),
            Optional.of(Duration.ofSeconds(5)),
            OptionalLong.of(4096),
            OptionalLong.empty());
    f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");

    ModulePublisher.Published granted =
        f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm", options);
    ModulePublisher.Published again =
        f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm", options);

    assertTrue(granted.created());
    assertEquals(2, granted.version().version());
    assertEquals(options, granted.version().options());
    assertEquals(
        "{\"env\":{\"API_URL\":\"https://example.com/v1\",\"REGION\":\"eu\"},"
            + "\"timeout_ms\":5000,\"memory_pages\":16,\"max_output_bytes\":4096}",
        f.hash(f.keys.moduleVersion("greeter", 2)).get("options"));
    assertFalse(again.created(), "the same bytes and options: unchanged");
    assertEquals(options, f.store.version("greeter", 2).orElseThrow().options());
    assertEquals(ModuleOptions.NONE, f.store.version("greeter", 1).orElseThrow().options());
    ModulePublisher.Published withdrawn =
        f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");
    assertEquals(3, withdrawn.version().version(), "options taken away: a new version again");
  }

  @Test
  void newBytesMakeTheNextVersionAndTheOldOneStays() {
    f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");
    f.clock.advance(Duration.ofSeconds(1));

    ModulePublisher.Published v2 = f.publisher.publish("greeter", ModuleFixture.V2, "greeter.wasm");

    assertEquals(2, v2.version().version());
    assertEquals(
        ModuleDigest.of(ModuleFixture.V2), f.store.latest("greeter").orElseThrow().digest());
    assertEquals(
        List.of(1, 2), f.store.versions("greeter").stream().map(ModuleVersion::version).toList());
    assertTrue(
        f.store.bytes(ModuleDigest.of(ModuleFixture.V1)).isPresent(),
        "pinned tasks still run version 1");
  }

  @Test
  void identicalBytesUnderTwoNamesAreStoredOnce() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    f.publisher.publish("hello", ModuleFixture.V1, "b.wasm");

    String digest = ModuleDigest.of(ModuleFixture.V1);
    assertEquals(Set.of("greeter", "hello"), f.state().get(f.keys.moduleRefs(digest)));
    assertEquals(
        List.of("greeter", "hello"), f.store.list().stream().map(ModuleVersion::name).toList());
  }

  /** Issue 12, item 2: an upload resent after a lost reply reports the version it made. */
  @Test
  void theSameUploadRequestAgainReportsTheVersionItMade() {
    List<Object> args = publishArgs(ModuleFixture.V1, 0, 1, "request-1");

    List<?> first = publish(ModuleFixture.V1, 0, 1, args);
    Map<String, Object> after = f.state();
    List<?> again = publish(ModuleFixture.V1, 0, 1, args);

    assertEquals(List.of(1L, 1L), first);
    assertEquals(List.of(1L, 1L), again, "created by this request, not 'unchanged'");
    assertEquals(after, f.state());
  }

  @Test
  void aVersionUploadedMeanwhileMakesTheScriptStaleAndPublishReadsAgain() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    Map<String, Object> before = f.state();

    List<?> stale =
        publish(ModuleFixture.V2, 0, 1, publishArgs(ModuleFixture.V2, 0, 1, "request-2"));

    assertEquals(List.of(-5L, 0L), stale, "it read no version, but v1 is there now");
    assertEquals(before, f.state());
    assertEquals(2, f.publisher.publish("greeter", ModuleFixture.V2, "b.wasm").version().version());
  }

  @Test
  void aNameUploadedAgainAfterItsRemovalContinuesItsVersionNumbers() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    f.publisher.publish("greeter", ModuleFixture.V2, "a.wasm");
    f.remover.remove("greeter", false);

    ModulePublisher.Published again = f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");

    assertEquals(3, again.version().version());
    assertEquals(
        List.of(3), f.store.versions("greeter").stream().map(ModuleVersion::version).toList());
  }

  @Test
  void requireNamesTheUnknownTaskAndHowToRegisterIt() {
    NotFoundException error = assertThrows(NotFoundException.class, () -> f.store.require("nope"));

    assertEquals(
        "unknown task 'nope': no module is registered under that name; upload one with"
            + " 'registry upload --name nope FILE.wasm' or see 'registry list'",
        error.getMessage());
  }

  private List<Object> publishArgs(byte[] bytes, int latest, int next, String request) {
    return List.of(
        "greeter",
        ModuleDigest.of(bytes),
        bytes,
        bytes.length,
        f.clock.millis(),
        "a.wasm",
        latest,
        next,
        request,
        "");
  }

  private List<?> publish(byte[] bytes, int latest, int next, List<Object> args) {
    String digest = ModuleDigest.of(bytes);
    return f.session
        .redis()
        .scripts()
        .evalList(
            LuaScript.PUBLISH_MODULE,
            List.of(
                f.keys.moduleNames(),
                f.keys.moduleSeq(),
                f.keys.moduleBlob(digest),
                f.keys.moduleRefs(digest),
                f.keys.moduleVersion("greeter", latest),
                f.keys.moduleVersion("greeter", next)),
            args);
  }
}
