package io.millwright.journal.api;

import java.util.List;

/**
 * What one read from a cursor returned.
 *
 * @param entries committed entries in position order, possibly none
 * @param nextPosition the position to {@link JournalCursor#advance advance} to after handling them
 * @param droppedEntries entries between the cursor and the first returned entry that the disk
 *     budget policy dropped before this reader got them (0 normally)
 * @param droppedSamples samples in those entries
 */
public record JournalRead(List<JournalEntry> entries, long nextPosition, long droppedEntries, long droppedSamples) {
    /** Copies the list. */
    public JournalRead {
        entries = List.copyOf(entries);
    }

    /** @return the number of samples in the returned entries */
    public int sampleCount() {
        int n = 0;
        for (JournalEntry e : entries) {
            n += e.samples().size();
        }
        return n;
    }
}
