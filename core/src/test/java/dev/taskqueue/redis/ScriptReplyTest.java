package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The scripts' integer codes, mapped back to their replies. */
class ScriptReplyTest {
  @Test
  void mapsEveryCodeToItsReply() {
    for (ScriptReply reply : ScriptReply.values()) {
      assertEquals(reply, ScriptReply.of(LuaScript.END_ATTEMPT, reply.code()));
    }
  }

  @Test
  void aCodeNoScriptReturnsIsABugNamingTheScript() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> ScriptReply.of(LuaScript.CANCEL, 7));

    assertEquals("bug: " + LuaScript.CANCEL + " returned unknown code 7", error.getMessage());
  }
}
