package io.millwright.journal.api;

import io.millwright.api.Sample;
import java.util.List;

/**
 * One committed entry of the journal: a group of samples, in the order they were appended.
 *
 * @param position the entry's position; positions grow by one per entry
 * @param samples the samples, with their sequence numbers and ingest times
 */
public record JournalEntry(long position, List<Sample> samples) {
    /** Copies the list. */
    public JournalEntry {
        samples = List.copyOf(samples);
    }
}
