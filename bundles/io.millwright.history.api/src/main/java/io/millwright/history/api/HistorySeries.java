package io.millwright.history.api;

import io.millwright.api.ChannelId;
import java.util.List;

/**
 * An answer.
 *
 * @param channel the channel
 * @param resolution the level the points come from
 * @param bucketMicros the width of one bucket; 0 when each point is one raw sample
 * @param points the points, oldest first
 * @param waveforms for a raw waveform query, the blocks (then {@code points} is empty)
 */
public record HistorySeries(ChannelId channel, Resolution resolution, long bucketMicros, List<HistoryPoint> points,
        List<WaveformBlock> waveforms) {
    /** Copies the lists. */
    public HistorySeries {
        points = List.copyOf(points);
        waveforms = List.copyOf(waveforms);
    }
}
