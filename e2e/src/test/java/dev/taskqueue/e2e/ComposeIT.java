package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so docker-compose.yml is kept honest in two ways: {@code
 * docker-compose config} must accept it, and what it runs must match the executables and settings
 * this build really has.
 */
class ComposeIT {
  private static final Path COMPOSE = Executables.ROOT.resolve("docker-compose.yml");
  private static final Set<String> EXECUTABLES =
      Set.of("producer", "registry", "worker", "scheduler", "reaper");

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    Process config =
        new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
            .redirectErrorStream(true)
            .start();
    assertTrue(config.waitFor(60, TimeUnit.SECONDS));
    String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, config.exitValue(), output);
  }

  @Test
  void everyServiceRunsARealExecutableWithKnownSettings() throws IOException {
    Map<String, Map<String, Object>> services = services();
    Set<String> known = Settings.ALL.stream().map(Setting::name).collect(Collectors.toSet());
    int ours = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Map<String, Object> spec = service.getValue();
      if (!"task-queue:dev".equals(spec.get("image"))) {
        continue;
      }
      ours++;
      String executable = ((List<?>) spec.get("entrypoint")).get(0).toString();
      assertTrue(EXECUTABLES.contains(executable), service.getKey() + " runs " + executable);
      assertTrue(Files.isExecutable(Executables.ROOT.resolve("bin").resolve(executable)));
      assertTrue(
          dockerfile().contains("/src/" + executable + "/target/task-queue-" + executable + ".jar"),
          "the image holds the " + executable + " jar");
      Map<?, ?> environment = (Map<?, ?>) spec.get("environment");
      for (Object name : environment.keySet()) {
        assertTrue(known.contains(name.toString()), service.getKey() + ": unknown setting " + name);
        Setting<?> setting =
            Settings.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        setting.parse(environment.get(name).toString(), "docker-compose.yml");
      }
    }
    assertEquals(
        6, ours, "worker, scheduler, reaper, upload-samples, registry and producer services");
  }

  @Test
  void workersGetLongerToStopThanTheirTasksGetToFinish() throws IOException {
    Map<String, Object> worker = services().get("worker");
    Map<?, ?> environment = (Map<?, ?>) worker.get("environment");
    Duration grace =
        ValueTypes.parseDuration(environment.get(Settings.SHUTDOWN_GRACE.name()).toString());
    Duration stop = ValueTypes.parseDuration(worker.get("stop_grace_period").toString());
    assertTrue(stop.compareTo(grace.plusSeconds(5)) >= 0, stop + " vs " + grace);
  }

  /**
   * Issue 17: each long-running service serves its metrics on the port it exposes, and its health
   * check asks that port's {@code /readyz} with a command the image has.
   */
  @Test
  void longRunningServicesServeMetricsAndAreCheckedByReadyz() throws IOException {
    for (String name : List.of("worker", "scheduler", "reaper")) {
      Map<String, Object> service = services().get(name);
      Map<?, ?> environment = (Map<?, ?>) service.get("environment");
      String port = environment.get(Settings.METRICS_PORT.name()).toString();
      assertTrue(Integer.parseInt(port) > 0, name + " serves metrics");
      assertEquals(List.of(port), service.get("expose"), name + " exposes its metrics port");
      Map<?, ?> healthcheck = (Map<?, ?>) service.get("healthcheck");
      List<?> test = (List<?>) healthcheck.get("test");
      assertEquals("CMD", test.get(0), name);
      assertEquals("curl", test.get(1), name + ": the image installs curl for it");
      assertEquals("http://localhost:" + port + "/readyz", test.get(test.size() - 1), name);
    }
    String dockerfile = dockerfile();
    assertTrue(dockerfile.contains("openjdk-17-jre-headless curl"), "the runtime image has curl");
    assertTrue(dockerfile.contains("EXPOSE 9464"), "the image documents the metrics port");
  }

  /** The one-shot uploads sample modules the build makes and the image carries. */
  @Test
  void theOneShotUploadsSampleModulesTheImageCarries() throws IOException {
    Map<String, Object> upload = services().get("upload-samples");
    List<?> command = (List<?>) upload.get("command");
    assertEquals("upload", command.get(0));
    assertTrue(command.size() > 1, command.toString());
    String dockerfile = dockerfile();
    assertTrue(
        dockerfile.contains(
                "COPY --from=build /src/sample-tasks/target/wasm/ /opt/task-queue/sample-tasks/")
            && dockerfile.contains("WORKDIR /opt/task-queue"),
        "the image carries the built samples under its working folder");
    for (Object file : command.subList(1, command.size())) {
      String name = file.toString();
      assertTrue(name.startsWith("sample-tasks/"), name);
      Path built = E2e.sample(name.substring("sample-tasks/".length()));
      assertTrue(Files.isRegularFile(built), "the build makes " + built);
    }
    assertEquals("no", upload.get("restart"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  private static String dockerfile() throws IOException {
    return Files.readString(Executables.ROOT.resolve("Dockerfile"));
  }
}
