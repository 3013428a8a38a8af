package dev.taskqueue.lease;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How a process of task-queue names itself to the others: {@code <hostname>-<pid>}. */
public final class ProcessId {
  private ProcessId() {}

  /** This machine's name, looked up once: a lookup may ask DNS, and heartbeats name it often. */
  public static String hostName() {
    return Host.NAME;
  }

  /** {@code <hostname>-<pid>}: unique across machines and across processes on one machine. */
  public static String ofThisProcess() {
    return hostName() + "-" + ProcessHandle.current().pid();
  }

  private static final class Host {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return System.getenv().getOrDefault("HOSTNAME", "worker");
      }
    }
  }
}
