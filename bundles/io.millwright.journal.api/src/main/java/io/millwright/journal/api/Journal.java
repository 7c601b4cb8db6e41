package io.millwright.journal.api;

import io.millwright.api.SampleBatch;
import org.osgi.annotation.versioning.ProviderType;

/** The gateway's durable journal, provided as an OSGi service. */
@ProviderType
public interface Journal {

    /**
     * Queues validated samples for the next group commit and assigns each its per-channel
     * sequence number. Returns at once; never waits for the disk.
     *
     * @param batch samples that ingest has validated and stamped
     * @return the outcome; {@link AppendResult#accepted()} is false when the commit queue is full
     */
    AppendResult append(SampleBatch batch);

    /**
     * Opens (creating it on first use) the durable cursor with this name. A cursor has one live holder at a time:
     * the holder {@linkplain JournalCursor#close() closes} it when it stops reading (its position stays durable), and
     * a second open of a held cursor is refused, so two readers can never move one position.
     *
     * @param name the reader's name, 1-64 characters of {@code [A-Za-z0-9_.-]}, e.g. {@code uplink}
     * @param startAt where a new cursor starts; ignored if the cursor exists
     * @return the cursor
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if another live holder has the cursor open (the message names the cursor)
     */
    JournalCursor openCursor(String name, StartAt startAt);

    /**
     * Deletes a durable cursor: from then on the budget no longer counts entries behind it as lost. For readers that
     * are gone for good (an uninstalled feature set, a one-off check).
     *
     * @param name the cursor's name
     * @return true if the cursor existed
     * @throws IllegalStateException if a live holder has it open
     * @since 1.2
     */
    boolean deleteCursor(String name);

    /** @return current figures: size, rates, cursors and their lag, drops and gaps */
    JournalStatistics statistics();

    /** Where a newly created cursor starts. */
    enum StartAt {
        /** At the oldest entry still retained: the reader sees the whole backlog. */
        EARLIEST,
        /** After the newest committed entry: the reader sees only what comes next. */
        LATEST
    }
}
