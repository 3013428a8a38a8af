package dev.taskqueue.module;

import java.time.Instant;
import java.util.Map;

/**
 * One uploaded version of a module.
 *
 * @param version 1 for the first upload of a name, then one more for each upload that changed it;
 *     numbers are never reused, not even after the name was removed and uploaded again
 * @param digest {@code sha256:<hex>} of the module bytes
 * @param source the file name it was uploaded from
 * @param options the environment it grants and its own limits
 */
public record ModuleVersion(
    String name,
    int version,
    String digest,
    long size,
    Instant uploadedAt,
    String source,
    ModuleOptions options) {

  /** A version uploaded with no options. */
  public ModuleVersion(
      String name, int version, String digest, long size, Instant uploadedAt, String source) {
    this(name, version, digest, size, uploadedAt, source, ModuleOptions.NONE);
  }

  static ModuleVersion fromHash(Map<String, String> hash) {
    return new ModuleVersion(
        hash.get("name"),
        Integer.parseInt(hash.get("version")),
        hash.get("digest"),
        Long.parseLong(hash.get("size")),
        Instant.ofEpochMilli(Long.parseLong(hash.get("uploaded_at"))),
        hash.get("source"),
        ModuleOptions.fromJson(hash.get("options")));
  }
}
