package dev.taskqueue.producer;

import dev.taskqueue.cli.Cli;

/** The {@code producer} executable. */
public final class ProducerMain {
  private ProducerMain() {}

  public static void main(String[] args) {
    System.exit(Cli.run(new ProducerCommand(), args));
  }
}
