package dev.taskqueue.redis;

import dev.taskqueue.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities a {@code rediss://} connection trusts when {@code
 * TASK_QUEUE_REDIS_TLS_CA} names a PEM file of them (a private CA, a self-signed server): those and
 * no others. Without it, the JVM's own trust store decides.
 */
final class TlsTrust {
  private TlsTrust() {}

  /**
   * @throws InvalidInputException when the file cannot be read or holds no certificate, naming it
   */
  static TrustManagerFactory of(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new InvalidInputException(
            "TASK_QUEUE_REDIS_TLS_CA '"
                + pem
                + "' holds no certificate: give a PEM file with the CA certificate that signed"
                + " the Redis server's");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + n++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      return trust;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidInputException(
          "TASK_QUEUE_REDIS_TLS_CA '"
              + pem
              + "' cannot be read as PEM certificates ("
              + e.getMessage()
              + "): give a PEM file with the CA certificate that signed the Redis server's",
          e);
    }
  }
}
