package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** {@link PackedReply}: what Redis's own {@code cmsgpack.pack} writes, read back. */
@ExtendWith(RedisExtension.class)
class PackedReplyTest {
  private RedissonClient client;

  @BeforeEach
  void connect(TestRedis redis) {
    client = TestSessions.client(redis.url());
  }

  private Object packedByRedis(String lua) {
    byte[] bytes =
        client
            .getScript(ByteArrayCodec.INSTANCE)
            .eval(
                RScript.Mode.READ_ONLY,
                "return cmsgpack.pack(" + lua + ")",
                RScript.ReturnType.VALUE);
    return PackedReply.read(bytes);
  }

  @Test
  void readsIntegersOfEveryWidthAndSign() {
    List<Long> values =
        List.of(
            0L,
            1L,
            127L,
            128L,
            255L,
            256L,
            65_535L,
            65_536L,
            4_294_967_295L,
            4_294_967_296L,
            1_800_000_000_000L,
            -1L,
            -32L,
            -33L,
            -128L,
            -129L,
            -32_768L,
            -32_769L,
            -2_147_483_648L,
            -2_147_483_649L,
            -1_800_000_000_000L);
    String lua = "{" + String.join(", ", values.stream().map(String::valueOf).toList()) + "}";

    assertEquals(values, packedByRedis(lua));
  }

  @Test
  void readsStringsOfEveryLengthAsUtf8Text() {
    assertEquals(
        List.of(
            "",
            "x".repeat(31),
            "x".repeat(32),
            "y".repeat(255),
            "z".repeat(256),
            "w".repeat(70_000)),
        packedByRedis(
            "{'', string.rep('x', 31), string.rep('x', 32), string.rep('y', 255),"
                + " string.rep('z', 256), string.rep('w', 70000)}"));
    assertEquals(
        "grüße, 世界, \"quoted\" \\ and a \u0000 byte",
        packedByRedis(
            "'gr\\195\\188\\195\\159e, \\228\\184\\150\\231\\149\\140,"
                + " \"quoted\" \\\\ and a \\0 byte'"));
  }

  @Test
  void readsNilBooleansFloatsAndNestedArrays() {
    assertEquals(
        Arrays.asList(false, true, 1.5, List.of(), List.of(List.of("a", 1L), List.of())),
        packedByRedis("{false, true, 1.5, {}, {{'a', 1}, {}}}"));
    assertEquals(null, packedByRedis("nil"));
    List<?> counted =
        (List<?>)
            packedByRedis(
                "(function() local t = {} for i = 1, 70000 do t[i] = i end return t end)()");
    assertEquals(70_000, counted.size());
    assertEquals(70_000L, counted.get(69_999));
  }

  @Test
  void readsBinaryAsBytes() {
    assertArrayEquals(
        new byte[] {1, 2, (byte) 0xff},
        (byte[]) PackedReply.read(new byte[] {(byte) 0xc4, 3, 1, 2, (byte) 0xff}));
  }

  @Test
  void aReplyThatIsNotOneWholeValueIsABugThatSaysWhat() {
    assertEquals(
        "bug: a packed script reply ends inside a value",
        assertThrows(
                IllegalStateException.class, () -> PackedReply.read(new byte[] {(byte) 0xcd, 1}))
            .getMessage());
    assertEquals(
        "bug: a packed script reply has 1 bytes after its value",
        assertThrows(IllegalStateException.class, () -> PackedReply.read(new byte[] {1, 2}))
            .getMessage());
    assertEquals(
        "bug: a packed script reply says 4294967295 values or bytes follow, with 0 bytes left",
        assertThrows(
                IllegalStateException.class,
                () -> PackedReply.read(new byte[] {(byte) 0xdd, -1, -1, -1, -1}))
            .getMessage());
    assertEquals(
        "bug: a packed script reply holds type 0x81 at byte 1, which no script sends",
        assertThrows(
                IllegalStateException.class, () -> PackedReply.read(new byte[] {(byte) 0x81, 1, 2}))
            .getMessage());
  }

  @Test
  void aLuaTableThatIsNotASequencePacksAsAMapWhichIsABug() {
    assertThrows(IllegalStateException.class, () -> packedByRedis("{1, nil, 3}"));
  }
}
