package io.millwright.journal.mapdb.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of real (not sparse) blocks that the journal keeps beside its store and deletes when it stops on a full
 * disk: the space it gives back lets the last commit write what was accepted and the count and gaps of what was
 * refused, so that a stop on a full disk loses nothing without a record and never lets a sequence number be used
 * twice. Made again when the free space allows.
 */
final class SpareSpace {

    private static final Logger LOG = LoggerFactory.getLogger(SpareSpace.class);
    static final String FILE = "journal.spare";

    private final Path file;
    private final long bytes;

    SpareSpace(Path directory, long bytes) {
        this.file = directory.resolve(FILE);
        this.bytes = bytes;
    }

    /**
     * Writes the spare file if it is missing or short and the disk has room for it beyond {@code keepFree}.
     *
     * @param usable free bytes on the filesystem now
     * @param keepFree bytes that must stay free besides the spare
     */
    void ensure(long usable, long keepFree) {
        try {
            long have = Files.exists(file) ? Files.size(file) : 0;
            if (have >= bytes || usable - (bytes - have) < keepFree) {
                return;
            }
            byte[] zeros = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (long written = have; written < bytes; written += zeros.length) {
                    out.write(zeros, 0, (int) Math.min(zeros.length, bytes - written));
                }
            }
        } catch (IOException e) {
            LOG.warn("journal: cannot write the spare space file {} ({}); a stop on a full disk may lose queued samples", file, e.toString());
            release();
        }
    }

    /** @return the bytes given back to the filesystem */
    long release() {
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            Files.deleteIfExists(file);
            return size;
        } catch (IOException e) {
            LOG.warn("journal: cannot delete the spare space file {}: {}", file, e.toString());
            return 0;
        }
    }
}
