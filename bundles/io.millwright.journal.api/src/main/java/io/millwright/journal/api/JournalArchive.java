package io.millwright.journal.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A journal folder opened for reading only, by a tool outside the gateway (e.g. training from what a gateway
 * recorded): it leaves no cursor behind and changes nothing in the folder.
 *
 * @since 1.2
 */
@ProviderType
public interface JournalArchive extends AutoCloseable {

    /** @return the figures of the journal as it was opened */
    JournalStatistics statistics();

    /**
     * Reads committed entries.
     *
     * @param fromPosition where to start; before the oldest retained entry starts at the oldest
     * @param maxSamples stop after the entry that reaches this many samples (at least one entry if any)
     * @return the entries read and the position after them
     */
    JournalRead read(long fromPosition, int maxSamples);

    /** Releases the archive (and any scratch copy it made). */
    @Override
    void close();
}
