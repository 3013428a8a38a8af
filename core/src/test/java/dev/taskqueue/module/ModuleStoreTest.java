package dev.taskqueue.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** publish_module.lua and remove_module.lua, through {@link ModuleStore}. */
@ExtendWith(RedisExtension.class)
class ModuleStoreTest {
  private static final byte[] V1 = "\0asm-one".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = "\0asm-two".getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = MutableClock.atFixedStart();
  private RedisSession session;
  private Keys keys;
  private ModuleStore store;
  private String prefix;

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    keys = session.keys();
    prefix = redis.prefix();
    store = new ModuleStore(session.redis(), session.scripts(), keys, clock);
  }

  @Test
  void publishingANewNameMakesVersionOneWithItsBytesAndRefs() {
    ModuleStore.Published published = store.publish("greeter", V1, "greeter.wasm");

    String digest = ModuleDigest.of(V1);
    assertTrue(published.created());
    assertEquals(
        new ModuleVersion("greeter", 1, digest, V1.length, clock.instant(), "greeter.wasm"),
        published.version());
    Map<String, Object> state = state();
    assertEquals(
        Set.of(
            keys.moduleNames(),
            keys.moduleVersion("greeter", 1),
            keys.moduleBlob(digest),
            keys.moduleRefs(digest)),
        state.keySet());
    assertEquals(Map.of("greeter", "1"), state.get(keys.moduleNames()));
    assertEquals(Set.of("greeter"), state.get(keys.moduleRefs(digest)));
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
                Integer.toString(V1.length),
                "uploaded_at",
                Long.toString(clock.millis()),
                "source",
                "greeter.wasm")),
        state.get(keys.moduleVersion("greeter", 1)));
    assertArrayEquals(V1, store.bytes(digest).orElseThrow());
  }

  @Test
  void publishingTheSameBytesAgainChangesNothing() {
    store.publish("greeter", V1, "greeter.wasm");
    Map<String, Object> before = state();
    clock.advance(Duration.ofMinutes(1));

    ModuleStore.Published again = store.publish("greeter", V1, "copy.wasm");

    assertFalse(again.created());
    assertEquals(1, again.version().version());
    assertEquals(before, state());
  }

  @Test
  void newBytesMakeTheNextVersionAndTheOldOneStays() {
    store.publish("greeter", V1, "greeter.wasm");
    clock.advance(Duration.ofSeconds(1));

    ModuleStore.Published v2 = store.publish("greeter", V2, "greeter.wasm");

    assertEquals(2, v2.version().version());
    assertEquals(ModuleDigest.of(V2), store.latest("greeter").orElseThrow().digest());
    assertEquals(
        List.of(1, 2), store.versions("greeter").stream().map(ModuleVersion::version).toList());
    assertTrue(store.bytes(ModuleDigest.of(V1)).isPresent(), "pinned tasks still run version 1");
  }

  @Test
  void identicalBytesUnderTwoNamesAreStoredOnce() {
    store.publish("greeter", V1, "a.wasm");
    store.publish("hello", V1, "b.wasm");

    String digest = ModuleDigest.of(V1);
    assertEquals(Set.of("greeter", "hello"), state().get(keys.moduleRefs(digest)));
    assertEquals(
        List.of("greeter", "hello"), store.list().stream().map(ModuleVersion::name).toList());
  }

  @Test
  void removingDeletesEveryVersionAndUnsharedBytesButKeepsSharedOnes() {
    store.publish("greeter", V1, "a.wasm");
    store.publish("greeter", V2, "a.wasm");
    store.publish("hello", V1, "b.wasm");

    assertEquals(2, store.remove("greeter"));

    Map<String, Object> state = state();
    assertEquals(
        Set.of(
            keys.moduleNames(),
            keys.moduleVersion("hello", 1),
            keys.moduleBlob(ModuleDigest.of(V1)),
            keys.moduleRefs(ModuleDigest.of(V1))),
        state.keySet());
    assertEquals(Set.of("hello"), state.get(keys.moduleRefs(ModuleDigest.of(V1))));
    assertTrue(store.latest("greeter").isEmpty());
    assertTrue(store.bytes(ModuleDigest.of(V2)).isEmpty());
  }

  @Test
  void removingAnUnknownNameSaysSoAndChangesNothing() {
    store.publish("greeter", V1, "a.wasm");
    Map<String, Object> before = state();

    NotFoundException error = assertThrows(NotFoundException.class, () -> store.remove("nope"));

    assertEquals("no module named 'nope' is registered; see 'registry list'", error.getMessage());
    assertEquals(before, state());
  }

  @Test
  void requireNamesTheUnknownTaskAndHowToRegisterIt() {
    NotFoundException error = assertThrows(NotFoundException.class, () -> store.require("nope"));

    assertEquals(
        "unknown task 'nope': no module is registered under that name; upload one with"
            + " 'registry upload --name nope FILE.wasm' or see 'registry list'",
        error.getMessage());
  }

  private Map<String, Object> state() {
    return RedisState.of(session.redis(), prefix);
  }
}
