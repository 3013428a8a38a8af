package dev.taskqueue.cli;

import java.util.List;

/**
 * A command that only groups subcommands, of which {@link Cli#run} builds just the one a command
 * line names. Picocli builds the model of every subcommand an annotation lists (each one's options,
 * read by reflection, and its class's set-up) before it parses anything: for the producer's
 * fifteen, about a fifth of a short command's run. A group lists them here instead, and they are
 * all built only when the first argument names none of them: help, the version, a mistyped name, or
 * {@code generate-completion}, whose script covers every command.
 */
public interface CommandGroup {
  /** The subcommands' classes, in the order help lists them: picocli commands it can construct. */
  List<Class<?>> subcommands();
}
