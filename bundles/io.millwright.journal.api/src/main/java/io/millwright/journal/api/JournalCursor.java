package io.millwright.journal.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A reader's durable place in the journal. The cursor moves only when the reader says so, after
 * it has handled what it read, so a reader that crashes re-reads from its last advance.
 */
@ProviderType
public interface JournalCursor extends AutoCloseable {

    /** @return the cursor's name */
    String name();

    /** @return the position of the next entry this reader has not handled */
    long position();

    /**
     * Reads committed entries from the cursor's position without moving it.
     *
     * @param maxSamples stop after the entry that reaches this many samples (at least one entry is returned if any)
     * @return the entries read
     */
    JournalRead read(int maxSamples);

    /**
     * Reads committed entries from a position at or after the cursor's, without moving it: for readers
     * that keep several reads in flight (e.g. the uplink) and advance the cursor only when they are
     * acknowledged.
     *
     * @param fromPosition where to start; a position before the oldest retained entry reports the
     *     entries in between as dropped
     * @param maxSamples stop after the entry that reaches this many samples
     * @return the entries read; {@link JournalRead#droppedSamples()} is only known when reading from
     *     the cursor's own position, otherwise 0
     * @since 1.1
     */
    JournalRead readFrom(long fromPosition, int maxSamples);

    /**
     * Moves the cursor; the new position is made durable with the next group commit.
     *
     * @param nextPosition the position after the last handled entry, as returned by {@link JournalRead#nextPosition()}
     * @throws IllegalArgumentException if the position lies beyond the committed end
     */
    void advance(long nextPosition);

    /**
     * Gives the cursor back: its position stays durable and the next {@link Journal#openCursor} of this name
     * succeeds. Reading or advancing a closed cursor throws {@link IllegalStateException}. Idempotent.
     *
     * @since 1.2
     */
    @Override
    void close();
}
