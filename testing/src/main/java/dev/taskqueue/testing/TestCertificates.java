package dev.taskqueue.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
 * made by {@code openssl} in a folder of the test's: what a TLS-only redis-server needs, and what a
 * client must be told to trust.
 *
 * @param ca the authority's certificate (PEM): what TASK_QUEUE_REDIS_TLS_CA names
 * @param certificate the server's certificate (PEM)
 * @param key the server's private key (PEM)
 */
public record TestCertificates(Path ca, Path certificate, Path key) {

  /** Makes both in {@code dir}, valid for two days. */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=task-queue test CA");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "redis.key",
        "-out",
        "redis.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "redis.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "redis.crt",
        "-days",
        "2",
        "-extfile",
        "san.cnf");
    return new TestCertificates(
        dir.resolve("ca.crt"), dir.resolve("redis.crt"), dir.resolve("redis.key"));
  }

  /**
   * The redis-server arguments that serve TLS on {@code tlsPort} with this certificate, clients
   * showing none.
   */
  public List<String> serverArgs(int tlsPort) {
    return List.of(
        "--tls-port",
        Integer.toString(tlsPort),
        "--tls-cert-file",
        certificate.toString(),
        "--tls-key-file",
        key.toString(),
        "--tls-ca-cert-file",
        ca.toString(),
        "--tls-auth-clients",
        "no");
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
  }
}
