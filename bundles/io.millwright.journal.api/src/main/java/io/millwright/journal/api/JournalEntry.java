package io.millwright.journal.api;

import io.millwright.api.Sample;
import java.util.List;

/**
 * One committed entry of the journal: a group of samples, in the order they were appended.
 *
 * @param position the entry's position; positions grow by one per entry
 * @param samples the samples, with their sequence numbers and ingest times
 * @param epoch the journal epoch the entry was written in: a sample is named by (epoch, channel, sequence) (since 1.3)
 */
public record JournalEntry(long position, List<Sample> samples, long epoch) {
    /** Copies the list. */
    public JournalEntry {
        samples = List.copyOf(samples);
    }

    /**
     * An entry of epoch 1.
     *
     * @param position the entry's position
     * @param samples the samples
     */
    public JournalEntry(long position, List<Sample> samples) {
        this(position, samples, 1);
    }
}
