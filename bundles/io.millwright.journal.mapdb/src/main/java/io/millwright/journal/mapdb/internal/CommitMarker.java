package io.millwright.journal.mapdb.internal;

import io.millwright.journal.mapdb.internal.EntryCodec.ByteSink;
import io.millwright.journal.mapdb.internal.EntryCodec.ByteSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * {@code journal.commit}: says, while MapDB writes a commit into the store file, what the journal was before it.
 *
 * <p>MapDB 3.1's transactional store writes its write-ahead log, then writes the store file in place, then deletes the
 * log, and never replays a log at open. A process that dies during the in-place write (kill -9, a crash, a power cut)
 * leaves a store file that is part old and part new, which may open and read back cleanly and still be broken inside:
 * found by a fresh clone's GatewayCrashIT, where after a kill -9 every later commit failed on a B-tree node of the
 * wrong kind ({@code AssertionError} in {@code BTreeMap.put2}) and the journal took nothing more.
 *
 * <p>So each commit first writes this marker (the high-water mark of the commit before, the first position the new
 * commit writes, and the last sequence before it of each channel it writes) and forces it to disk, and overwrites its
 * magic with zeros, forced too, once MapDB returns. A marker found at start-up means the last run ended inside a commit:
 * the store is salvaged frame by frame up to the commit before ({@link Recovery#salvage}), so nothing that was
 * committed is lost and nothing half written is taken.
 *
 * <pre>
 * 4 bytes  magic 'M' 'W' 'I' '2'
 * u32      body length
 * body     flag (0: no high-water mark before, 1: one follows), high-water frame, first new position,
 *          channel count, (channel index, last sequence)*  — var-longs
 * u32      CRC-32C of magic, length and body
 * </pre>
 */
final class CommitMarker implements AutoCloseable {

    static final String FILE = "journal.commit";
    private static final int MAGIC = 'M' << 24 | 'W' << 16 | 'I' << 8 | '2';

    /**
     * What the journal was before an interrupted commit.
     *
     * @param highWater the high-water mark of the commit before (null for a journal's first commit, or format 1)
     * @param firstNewPosition the first position the interrupted commit wrote
     * @param lastSequences for each channel the interrupted commit wrote, its last sequence before it (0: a new channel)
     */
    record Before(Records.HighWater highWater, long firstNewPosition, Map<Integer, Long> lastSequences) {

        byte[] encode() {
            ByteSink out = new ByteSink(64 + lastSequences.size() * 8);
            if (highWater == null) {
                out.putVarLong(0);
            } else {
                out.putVarLong(1);
                byte[] hw = highWater.encode();
                out.putVarLong(hw.length);
                for (byte b : hw) {
                    out.put(b);
                }
            }
            out.putVarLong(firstNewPosition);
            out.putVarLong(lastSequences.size());
            for (Map.Entry<Integer, Long> e : lastSequences.entrySet()) {
                out.putVarLong(e.getKey());
                out.putVarLong(e.getValue());
            }
            byte[] body = out.buffer();
            int size = out.size();
            byte[] frame = new byte[size + Frames.OVERHEAD];
            Frames.putInt(frame, 0, MAGIC);
            Frames.putInt(frame, 4, size);
            System.arraycopy(body, 0, frame, 8, size);
            Frames.putInt(frame, size + 8, crc(frame, size + 8));
            return frame;
        }

        /** @return the marker in these bytes, or null if they hold none (a cleared marker, an empty or torn file) */
        static Before decode(byte[] bytes) {
            if (bytes.length < Frames.OVERHEAD || Frames.getInt(bytes, 0) != MAGIC) {
                return null;
            }
            int size = Frames.getInt(bytes, 4);
            if (size < 0 || size > bytes.length - Frames.OVERHEAD || Frames.getInt(bytes, size + 8) != crc(bytes, size + 8)) {
                return null;
            }
            ByteSource in = new ByteSource(bytes, size + 8);
            in.skip(8);
            Records.HighWater hw = null;
            if (in.getVarLong() == 1) {
                int length = (int) in.getVarLong();
                byte[] frame = new byte[length];
                for (int i = 0; i < length; i++) {
                    frame[i] = (byte) in.get();
                }
                hw = Records.highWater(frame);
                if (hw == null) {
                    return null;
                }
            }
            long first = in.getVarLong();
            long n = in.getVarLong();
            Map<Integer, Long> last = new TreeMap<>();
            for (long i = 0; i < n; i++) {
                last.put((int) in.getVarLong(), in.getVarLong());
            }
            return new Before(hw, first, last);
        }
    }

    private static int crc(byte[] b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, length);
        return (int) crc.getValue();
    }

    /** A RandomAccessFile, not a FileChannel: an interrupt (a component stopping) must not close it under a commit. */
    private final RandomAccessFile file;

    private CommitMarker(RandomAccessFile file) {
        this.file = file;
    }

    static CommitMarker open(Path directory) throws IOException {
        return new CommitMarker(new RandomAccessFile(directory.resolve(FILE).toFile(), "rw"));
    }

    /** Writes the marker and forces it to disk: from here until {@link #clear} the store file may be half written. */
    void set(Before before) throws IOException {
        byte[] frame = before.encode();
        file.seek(0);
        file.write(frame);
        file.getFD().sync();
    }

    /** The commit is in the store file: the marker's magic is overwritten (the file keeps its blocks for the next one). */
    void clear() throws IOException {
        file.seek(0);
        file.write(new byte[4]);
        file.getFD().sync();
    }

    /**
     * @return what the journal in this directory was before a commit its last run did not finish, or null (it finished
     *     every commit it started, or the marker is missing or unreadable: a marker is forced to disk before its commit
     *     starts, so one that did not reach the disk whole belongs to a commit that never touched the store)
     */
    static Before read(Path directory) throws IOException {
        Path f = directory.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return Before.decode(Files.readAllBytes(f));
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
