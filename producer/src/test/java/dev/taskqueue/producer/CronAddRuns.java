package dev.taskqueue.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the cron tests run {@code producer cron add}. */
final class CronAddRuns {
  static final String NIGHTLY = "0 0 2 * * *";

  private CronAddRuns() {}

  /** {@code cron add --name NAME --cron CRON} and {@code flags}. */
  static CliRun add(CliFixture cli, String name, String cron, String... flags) {
    List<String> args = new ArrayList<>(List.of("--name", name, "--cron", cron));
    args.addAll(List.of(flags));
    return cli.run("", args(args));
  }

  /** {@code cron add} with {@code flags}, and a name, task and payload unless they have one. */
  static String[] args(List<String> flags) {
    List<String> args = new ArrayList<>(List.of("cron", "add"));
    Map<String, String> defaults =
        new TreeMap<>(Map.of("--name", "nightly", "--task", "greeter", "--payload", "{}"));
    defaults.forEach(
        (flag, value) -> {
          if (!flags.contains(flag)) {
            args.addAll(List.of(flag, value));
          }
        });
    args.addAll(flags);
    return args.toArray(String[]::new);
  }
}
