package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** {@link PackedArgument}: what Redis's own {@code cmsgpack.unpack} reads of it. */
@ExtendWith(RedisExtension.class)
class PackedArgumentTest {
  /** The values unpacked: texts as they are, numbers as {@code n<digits>}. */
  private static final String UNPACK =
      "local out = {} for i, v in ipairs(cmsgpack.unpack(ARGV[1])) do"
          + " out[i] = type(v) == 'number' and ('n' .. string.format('%d', v)) or v end"
          + " return out";

  private RedissonClient client;

  @BeforeEach
  void connect(TestRedis redis) {
    client = TestSessions.client(redis.url());
  }

  private List<String> unpackedByRedis(byte[] packed) {
    List<?> reply =
        client
            .getScript(ByteArrayCodec.INSTANCE)
            .eval(RScript.Mode.READ_ONLY, UNPACK, RScript.ReturnType.LIST, List.of(), packed);
    return reply.stream().map(v -> new String((byte[]) v, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void textsOfEveryLengthFormAndNumbersOfEverySizeReadBackAsWritten() {
    List<String> texts =
        List.of(
            "",
            "x".repeat(31),
            "x".repeat(32),
            "x".repeat(255),
            "x".repeat(256),
            "x".repeat(65_535),
            "x".repeat(65_536),
            "{\"name\":\"Ada ✓ 漢字 🎉\"}");
    long[] numbers = {0, 127, 128, 65_536, 4_294_967_295L, 4_294_967_296L};
    PackedArgument packed = new PackedArgument(texts.size() + numbers.length, 0);
    List<String> expected = new ArrayList<>(texts);
    texts.forEach(packed::text);
    for (long n : numbers) {
      packed.number(n);
      expected.add("n" + n);
    }

    assertEquals(expected, unpackedByRedis(packed.bytes()));
  }

  @Test
  void anArrayOfOverSixtyFiveThousandValuesReadsBackWhole() {
    int size = 70_000;
    PackedArgument packed = new PackedArgument(size, size);
    for (int i = 0; i < size; i++) {
      packed.number(i % 100);
    }

    List<String> unpacked = unpackedByRedis(packed.bytes());

    assertEquals(size, unpacked.size());
    assertEquals("n99", unpacked.get(size - 1));
  }

  @Test
  void aMissingOrNegativeValueIsABug() {
    assertThrows(IllegalStateException.class, () -> new PackedArgument(2, 0).text("a").bytes());
    assertThrows(IllegalArgumentException.class, () -> new PackedArgument(1, 0).number(-1));
  }
}
