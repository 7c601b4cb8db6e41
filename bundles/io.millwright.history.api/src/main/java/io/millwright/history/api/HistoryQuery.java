package io.millwright.history.api;

import io.millwright.api.ChannelId;
import java.time.Instant;
import java.util.Objects;

/**
 * A range of one channel's history.
 *
 * @param channel the channel
 * @param from the first instant, inclusive
 * @param to the last instant, exclusive; after {@code from}
 * @param points the most points to answer with, 1 to {@value #MAX_POINTS}
 * @param raw for a waveform channel: its recorded blocks (each block one point, at most {@code points}) instead of
 *     their RMS; ignored for other channels
 */
public record HistoryQuery(ChannelId channel, Instant from, Instant to, int points, boolean raw) {

    /** The most points one answer may hold. */
    public static final int MAX_POINTS = 10_000;

    /** Checks the fields; the message names the bad one. */
    public HistoryQuery {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to: " + to + " must be after from " + from);
        }
        if (from.getEpochSecond() < 0) {
            throw new IllegalArgumentException("from: " + from + " is before 1970");
        }
        if (points < 1 || points > MAX_POINTS) {
            throw new IllegalArgumentException("points: " + points + " must be 1 to " + MAX_POINTS);
        }
    }
}
