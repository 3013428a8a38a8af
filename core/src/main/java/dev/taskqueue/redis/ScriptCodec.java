package dev.taskqueue.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.redisson.client.codec.BaseCodec;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;

/**
 * How script arguments and replies cross the wire: {@code byte[]} arguments (module bytes) go as
 * they are, everything else as its UTF-8 text; replies are read as UTF-8 text.
 */
final class ScriptCodec extends BaseCodec {
  static final ScriptCodec INSTANCE = new ScriptCodec();

  private final Encoder encoder =
      in -> {
        if (in instanceof byte[] bytes) {
          return Unpooled.wrappedBuffer(bytes);
        }
        String text = in.toString();
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(ByteBufUtil.utf8MaxBytes(text));
        ByteBufUtil.writeUtf8(out, text);
        return out;
      };

  private final Decoder<Object> decoder =
      (buf, state) -> {
        String text = buf.toString(StandardCharsets.UTF_8);
        buf.readerIndex(buf.writerIndex());
        return text;
      };

  @Override
  public Decoder<Object> getValueDecoder() {
    return decoder;
  }

  @Override
  public Encoder getValueEncoder() {
    return encoder;
  }
}
