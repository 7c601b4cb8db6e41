package io.millwright.journal.api;

import io.millwright.api.ChannelId;
import java.time.Instant;

/**
 * Samples of one channel that the journal no longer holds, and why.
 *
 * @param channel the channel
 * @param fromSequence first missing sequence number
 * @param toSequence last missing sequence number (inclusive)
 * @param reason why: {@code disk-budget} (the budget dropped them before a reader had them), {@code disk-space}
 *     (dropped to keep the free-space reserve), {@code disk-full} (refused: the disk was full), {@code damaged}
 *     (unreadable after damage to the journal's files)
 * @param at when the samples were dropped
 */
public record Gap(ChannelId channel, long fromSequence, long toSequence, String reason, Instant at) {
    /** @return the number of samples missing */
    public long count() {
        return toSequence - fromSequence + 1;
    }
}
