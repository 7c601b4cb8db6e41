package io.millwright.deploy.api;

import java.util.Objects;

/**
 * A piece of a file sent to the gateway for a local repository — for sites whose gateway has no route to a repository
 * server: an index ({@code index.xml}), its signature ({@code index.xml.sig}), a jar or a model package, in order.
 * The gateway appends pieces in order, so a sender resumes at {@link ChunkReceipt#received()}; a finished file must
 * have the SHA-256 the pieces announced, and an index is still used only if its signature verifies.
 *
 * @param repository the local repository's name (a folder under {@code <data>/deploy/repositories/})
 * @param file the file's name in it
 * @param offset where this piece starts
 * @param total the file's size
 * @param sha256 the whole file's SHA-256 (hex)
 * @param data the piece
 */
public record ArtifactChunk(String repository, String file, long offset, long total, String sha256, byte[] data) {
    /** Checks the names and numbers. */
    public ArtifactChunk {
        Objects.requireNonNull(data, "data");
        if (repository == null || !repository.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("repository: '" + repository + "' — expected 1-64 letters, digits, '_' or '-'");
        }
        if (file == null || !file.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}") || file.endsWith(".part")) {
            throw new IllegalArgumentException("file: '" + file + "' — expected a plain file name (letters, digits, '.', '_', '-')");
        }
        if (total < 1 || offset < 0 || offset + data.length > total) {
            throw new IllegalArgumentException("offset: " + offset + " + " + data.length + " bytes does not fit a file of " + total + " bytes");
        }
        sha256 = sha256 == null ? "" : sha256.toLowerCase(java.util.Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: '" + sha256 + "' — expected the whole file's SHA-256, 64 hex digits");
        }
    }
}
