package io.millwright.deploy.api;

/**
 * What the gateway holds of a file sent in pieces.
 *
 * @param repository the local repository
 * @param file the file
 * @param received bytes received in order (the next piece starts here)
 * @param total the file's size
 * @param complete whether the file is whole, its SHA-256 checked, and in the repository
 */
public record ChunkReceipt(String repository, String file, long received, long total, boolean complete) {
}
