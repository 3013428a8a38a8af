package dev.taskqueue.cli;

import dev.taskqueue.lease.Presence;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.redis.RedisSession;
import org.slf4j.Logger;

/**
 * How a daemon (the scheduler, the reaper) runs its one loop: on a thread of its own until the
 * process is told to stop (SIGTERM, Ctrl-C). Then it stops the loop and waits for its sweep to end,
 * withdraws the process's presence, closes its Redis session, logs {@code <name>.stopped} and exits
 * with 0: a stop asked for is a clean end, not a signal's 143.
 */
public final class DaemonLoop {
  private DaemonLoop() {}

  /**
   * Runs {@code loop} on a thread named {@code name} until the process is told to stop, and returns
   * only if the loop ends of itself.
   *
   * @param stop asks the loop to end; the loop's thread is then waited for
   * @param log the daemon's logger, for its stopped line
   * @param started logs the daemon's started line: once the stop is in place, before the loop runs
   */
  public static void run(
      String name,
      Runnable loop,
      Runnable stop,
      Presence presence,
      RedisSession session,
      Logger log,
      Runnable started)
      throws InterruptedException {
    Thread thread = new Thread(loop, name);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  join(thread);
                  presence.close();
                  session.close();
                  log.atInfo()
                      .addKeyValue(LogFields.EVENT, name + ".stopped")
                      .log("{} stopped", name);
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    started.run();
    thread.start();
    thread.join();
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
