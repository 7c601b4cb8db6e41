package io.millwright.deploy.api;

import java.util.Objects;

/**
 * A model package a deployment puts into the gateway's model folder, from beside the repository's index. The scoring
 * engine checks its own signature (the model trust store) and scores it in shadow before it takes over.
 *
 * @param file the package's file name in the repository, e.g. {@code pump-bearing-rul-2.0.0.mwmodel}
 * @param sha256 its SHA-256 (hex), checked before it is installed; empty to rely on the package's signature alone
 */
public record ModelSpec(String file, String sha256) {
    /** Checks the name. */
    public ModelSpec {
        Objects.requireNonNull(file, "file");
        if (!file.matches("[A-Za-z0-9._-]+\\.mwmodel")) {
            throw new IllegalArgumentException("models.file: '" + file + "' — expected a package file name ending in .mwmodel");
        }
        sha256 = sha256 == null ? "" : sha256.strip().toLowerCase(java.util.Locale.ROOT);
        if (!sha256.isEmpty() && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("models.sha256: '" + sha256 + "' — expected 64 hex digits");
        }
    }
}
