package dev.taskqueue.redis;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.redisson.client.codec.BaseCodec;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;

/**
 * How script arguments and replies cross the wire: {@code byte[]} arguments (module bytes) go as
 * they are, everything else as its UTF-8 text; replies are read as UTF-8 text ({@link #TEXT}) or as
 * bytes ({@link #BYTES}, for a reply packed whole: {@link PackedReply}).
 */
final class ScriptCodec extends BaseCodec {
  static final ScriptCodec TEXT =
      new ScriptCodec(
          (buf, state) -> {
            String text = buf.toString(StandardCharsets.UTF_8);
            buf.readerIndex(buf.writerIndex());
            return text;
          });

  static final ScriptCodec BYTES =
      new ScriptCodec(
          (buf, state) -> {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
          });

  private final Encoder encoder =
      in -> {
        if (in instanceof byte[] bytes) {
          return Unpooled.wrappedBuffer(bytes);
        }
        // A heap array, not a pooled buffer: the client copies each argument into the command it
        // writes at once, and taking a pooled buffer per argument cost more than the copy.
        return Unpooled.wrappedBuffer(in.toString().getBytes(StandardCharsets.UTF_8));
      };

  private final Decoder<Object> decoder;

  private ScriptCodec(Decoder<Object> decoder) {
    this.decoder = decoder;
  }

  @Override
  public Decoder<Object> getValueDecoder() {
    return decoder;
  }

  @Override
  public Encoder getValueEncoder() {
    return encoder;
  }
}
