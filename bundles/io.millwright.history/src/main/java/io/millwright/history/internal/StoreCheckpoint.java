package io.millwright.history.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a MapDB file that is derived from the journal survive a process that dies inside a commit.
 *
 * <p>MapDB 3.1's transactional store writes its write-ahead log, then writes the store file in place, then deletes the
 * log, and never replays a log at open; outside a commit it does not write the store file at all. A process killed
 * during the in-place write leaves a file that is part old and part new, which opens and then fails deep inside a
 * B-tree (found by a fresh clone's {@code HistoryTest}: an {@code ArrayIndexOutOfBoundsException} in
 * {@code BTreeMapJava$NodeSerializer} on the first read after a {@code kill -9}, in one run out of six).
 *
 * <p>So beside the store file {@code F} this keeps {@code F.checkpoint}, a copy of {@code F} as it was after a commit,
 * and {@code F.state}, which says whether a commit or a checkpoint is under way and the tag (the journal position) that
 * the checkpoint holds. A state of <em>committing</em> found at open means the file may be torn: the checkpoint is
 * copied back over it and reading resumes from the checkpoint's position (reading again what the journal still
 * retains after it). A state of <em>checkpointing</em> means the checkpoint may be
 * torn (the file is whole): a new one is made. Copies write only the 64 KiB blocks that differ, so a checkpoint writes
 * about what the commits since the last one changed, not the whole file.
 *
 * <pre>
 * F.state, 20 bytes: magic 'M' 'W' 'C' '1', u32 state (0 idle, 1 committing, 2 checkpointing), i64 tag, u32 CRC-32C
 * </pre>
 * A state that does not read back (absent, torn by a crash while it was written) is taken as: the file is whole (every
 * write of the state happens while the file is), the checkpoint is not.
 */
final class StoreCheckpoint implements AutoCloseable {

    static final String CHECKPOINT = ".checkpoint";
    /** what a checkpoint leaves free on its disk, or it is not taken */
    static final long LEAVE_FREE = 16L << 20;
    static final String STATE = ".state";
    private static final Logger LOG = LoggerFactory.getLogger(StoreCheckpoint.class);
    private static final int MAGIC = 'M' << 24 | 'W' << 16 | 'C' << 8 | '1';
    private static final int IDLE = 0;
    private static final int COMMITTING = 1;
    private static final int CHECKPOINTING = 2;
    private static final int BLOCK = 64 * 1024;

    /** What {@link #prepare} found and did. */
    enum Opening {
        /** the last run ended between commits, with a checkpoint */
        CLEAN,
        /** no checkpoint to trust (a new store, an older version's, one interrupted): one is made after open */
        NO_CHECKPOINT,
        /** the last run ended inside a commit: the checkpoint was copied back over the file */
        RESTORED,
        /** the last run ended inside the store's first commit, before any checkpoint: the file was removed */
        REMOVED
    }

    private final Path file;
    private final Path checkpoint;
    private final RandomAccessFile state;
    private final Opening opening;
    private long tag;
    private boolean checkpointValid;

    private StoreCheckpoint(Path file, RandomAccessFile state, Opening opening, long tag, boolean checkpointValid) {
        this.file = file;
        this.checkpoint = file.resolveSibling(file.getFileName() + CHECKPOINT);
        this.state = state;
        this.opening = opening;
        this.tag = tag;
        this.checkpointValid = checkpointValid;
    }

    /**
     * Before MapDB opens the file: removes the write-ahead-log files of an unfinished commit (MapDB never replays them)
     * and, if the last run ended inside a commit, copies the checkpoint back over the file.
     *
     * @param file the store file
     * @throws IOException if the state cannot be read or written, or the checkpoint not copied back
     */
    static StoreCheckpoint prepare(Path file) throws IOException {
        Path checkpoint = file.resolveSibling(file.getFileName() + CHECKPOINT);
        Path statePath = file.resolveSibling(file.getFileName() + STATE);
        removeWriteAheadLogs(file);
        RandomAccessFile state = new RandomAccessFile(statePath.toFile(), "rw");
        try {
            long[] read = read(state);
            int found = read == null ? CHECKPOINTING : (int) read[0];
            long tag = read == null ? -1 : read[1];
            boolean haveCheckpoint = Files.isRegularFile(checkpoint) && found != CHECKPOINTING;
            Opening opening;
            if (found == COMMITTING && Files.exists(file)) {
                if (haveCheckpoint) {
                    long written = copyChanged(checkpoint, file);
                    LOG.warn("{}: the last run ended inside a commit, which can leave the file part old and part new: copied its checkpoint"
                            + " (journal position {}) back over it ({} KiB rewritten); what was read after that position is read again",
                            file, tag, written >> 10);
                    opening = Opening.RESTORED;
                } else {
                    Files.delete(file);
                    LOG.warn("{}: the last run ended inside the store's first commit: the file was removed and the store starts afresh", file);
                    opening = Opening.REMOVED;
                    tag = -1;
                }
                haveCheckpoint = opening == Opening.RESTORED;
            } else {
                opening = haveCheckpoint ? Opening.CLEAN : Opening.NO_CHECKPOINT;
            }
            StoreCheckpoint guard = new StoreCheckpoint(file, state, opening, haveCheckpoint ? tag : -1, haveCheckpoint);
            guard.write(IDLE, guard.tag);
            return guard;
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    Opening opening() {
        return opening;
    }

    /** @return whether a checkpoint that can be copied back exists */
    boolean hasCheckpoint() {
        return checkpointValid;
    }

    /** @return the tag (journal position) of the checkpoint, or -1 if there is none */
    long tag() {
        return checkpointValid ? tag : -1;
    }

    /**
     * Runs a MapDB commit with the state saying so; a process that dies during it finds the checkpoint copied back at
     * the next open.
     *
     * @throws IOException if the state cannot be written (the commit is not run)
     */
    void commit(Runnable mapDbCommit) throws IOException {
        write(COMMITTING, tag);
        mapDbCommit.run();
        write(IDLE, tag);
    }

    /**
     * Copies the file, as its last commit left it, to the checkpoint. Call between commits, on the thread that commits.
     *
     * @param newTag the journal position the file's last commit saved
     * @return bytes written
     * @throws IOException if the copy fails: there is then no checkpoint until one succeeds
     */
    long checkpoint(long newTag) throws IOException {
        long grows = Math.max(0, Files.size(file) - (Files.exists(checkpoint) ? Files.size(checkpoint) : 0));
        long usable = Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
        if (usable - grows < LEAVE_FREE) {
            // on a disk that is (nearly) full the copy would take the last bytes the journal and the web side need
            throw new IOException("a checkpoint needs " + grows + " bytes more on a disk with " + usable + " free, which would leave less than "
                    + (LEAVE_FREE >> 20) + " MiB to the rest of the gateway: not taken" + (checkpointValid ? " (the last one is kept)" : ""));
        }
        write(CHECKPOINTING, tag);
        checkpointValid = false;
        long written;
        try {
            written = copyChanged(file, checkpoint);
        } catch (IOException e) {
            // half copied, it cannot be trusted (the state says so): give its space back
            try {
                Files.deleteIfExists(checkpoint);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        tag = newTag;
        write(IDLE, newTag);
        checkpointValid = true;
        return written;
    }

    @Override
    public void close() throws IOException {
        state.close();
    }

    private void write(int what, long newTag) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putInt(MAGIC).putInt(what).putLong(newTag);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        state.seek(0);
        state.write(b.array());
        state.getFD().sync();
    }

    /** @return {state, tag}, or null if the state does not read back */
    private static long[] read(RandomAccessFile state) throws IOException {
        if (state.length() < 20) {
            return null;
        }
        byte[] bytes = new byte[20];
        state.seek(0);
        state.readFully(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        int what = b.getInt();
        long tag = b.getLong();
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 16);
        if (magic != MAGIC || b.getInt() != (int) crc.getValue() || what < IDLE || what > CHECKPOINTING) {
            return null;
        }
        return new long[] {what, tag};
    }

    /**
     * Makes {@code to} equal to {@code from}, writing only the blocks that differ, and forces it to disk.
     *
     * @return bytes written
     */
    static long copyChanged(Path from, Path to) throws IOException {
        long written = 0;
        try (RandomAccessFile src = new RandomAccessFile(from.toFile(), "r"); RandomAccessFile dst = new RandomAccessFile(to.toFile(), "rw")) {
            long length = src.length();
            long old = dst.length();
            byte[] a = new byte[BLOCK];
            byte[] b = new byte[BLOCK];
            for (long at = 0; at < length; at += BLOCK) {
                int n = (int) Math.min(BLOCK, length - at);
                src.seek(at);
                src.readFully(a, 0, n);
                boolean same = false;
                if (at + n <= old) {
                    dst.seek(at);
                    dst.readFully(b, 0, n);
                    same = Arrays.equals(a, 0, n, b, 0, n);
                }
                if (!same) {
                    dst.seek(at);
                    dst.write(a, 0, n);
                    written += n;
                }
            }
            if (old != length) {
                dst.setLength(length);
            }
            dst.getFD().sync();
        }
        return written;
    }

    /** MapDB's write-ahead-log files of a commit that did not finish: never replayed, they only hold disk space. */
    private static void removeWriteAheadLogs(Path file) throws IOException {
        String prefix = file.getFileName() + ".wal.";
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            for (Path p : logs) {
                Files.delete(p);
            }
            if (!logs.isEmpty()) {
                LOG.info("{}: removed {} write-ahead-log file(s) of an unfinished commit", file, logs.size());
            }
        }
    }
}
