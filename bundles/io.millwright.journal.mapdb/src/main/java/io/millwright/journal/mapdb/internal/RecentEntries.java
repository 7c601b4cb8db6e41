package io.millwright.journal.mapdb.internal;

import io.millwright.journal.api.JournalEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The newest committed entries, as the commit thread made them (the samples it encoded, already immutable): a reader at
 * the tail of the journal — the uplink, the twin, the KPIs, history, features, data quality, the live view, all of them
 * most of the time — takes them from here instead of reading MapDB and decoding every sample again, which is what bounds
 * a reader's cost (a bare cursor read cost ~7 % of ingest at saturation on 2 cores; docs/benchmarks.md).
 *
 * <p>Bounded by memory ({@code maxBytes}, estimated from each entry's encoded size and sample count: a vibration block
 * weighs what its points weigh) and by age ({@code maxAgeNanos}), so that a busy journal keeps a fraction of a second
 * and a quiet one half a minute. Entries go in only after their commit succeeded; one writer (the commit
 * thread), any number of readers, no locks on the read path.
 */
final class RecentEntries {

    /**
     * An entry of a commit and what it weighs in memory.
     *
     * @param entry the entry
     * @param bytes estimated heap bytes
     */
    record Made(JournalEntry entry, long bytes) {
        /**
         * @param entry the entry
         * @param encodedBytes its encoded size
         * @return the entry with its estimated heap size: the encoded bytes (values, points) plus ~64 bytes of objects per sample
         */
        static Made of(JournalEntry entry, int encodedBytes) {
            return new Made(entry, encodedBytes + 64L * entry.samples().size());
        }
    }

    private record Held(JournalEntry entry, long bytes, long addedNanos) {
    }

    private final ConcurrentSkipListMap<Long, Held> entries = new ConcurrentSkipListMap<>();
    private final long maxBytes;
    private final long maxAgeNanos;
    private long bytes; // commit thread only

    RecentEntries(long maxBytes, long maxAgeNanos) {
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** @return the committed entry at this position if it is still held, else null (read it from the store) */
    JournalEntry get(long position) {
        Held h = entries.get(position);
        return h == null ? null : h.entry();
    }

    /**
     * Holds the entries of a commit that succeeded, and lets go of the oldest beyond the bounds and below the journal's
     * first position. Commit thread only.
     *
     * @param made the commit's entries, positions ascending
     * @param firstPosition the journal's oldest retained position after the commit
     * @param nowNanos the time
     */
    void committed(List<Made> made, long firstPosition, long nowNanos) {
        for (Made m : made) {
            entries.put(m.entry().position(), new Held(m.entry(), m.bytes(), nowNanos));
            bytes += m.bytes();
        }
        while (!entries.isEmpty()) {
            Map.Entry<Long, Held> oldest = entries.firstEntry();
            if (bytes > maxBytes || oldest.getKey() < firstPosition || nowNanos - oldest.getValue().addedNanos() > maxAgeNanos) {
                entries.pollFirstEntry();
                bytes -= oldest.getValue().bytes();
            } else {
                break;
            }
        }
    }

    /** Forgets everything (the store was reopened after a failed commit: positions are read from the file again). */
    void clear() {
        entries.clear();
        bytes = 0;
    }
}
