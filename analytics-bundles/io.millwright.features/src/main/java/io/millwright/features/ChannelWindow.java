package io.millwright.features;

import io.millwright.api.Waveform;
import java.util.List;

/**
 * The samples of one channel inside one window, in time order: scalar values with their times, and any waveform
 * blocks.
 *
 * @param timesMicros times of the scalar values, epoch µs
 * @param values scalar values (booleans as 0/1)
 * @param waveforms waveform blocks in the window
 */
public record ChannelWindow(long[] timesMicros, double[] values, List<Waveform> waveforms) {

    /** Checks lengths. */
    public ChannelWindow {
        if (timesMicros.length != values.length) {
            throw new IllegalArgumentException(timesMicros.length + " times but " + values.length + " values");
        }
        waveforms = List.copyOf(waveforms);
    }

    /** @return true if there is nothing in the window */
    public boolean isEmpty() {
        return values.length == 0 && waveforms.isEmpty();
    }

    /**
     * @param flag a running flag's window (boolean, or a number &gt; 0 while running), may be null
     * @return true if it has values and every one reads running: the windows the streaming component scores and the
     *     training tool learns from
     * @since 1.1
     */
    public static boolean runningThroughout(ChannelWindow flag) {
        if (flag == null || flag.values.length == 0) {
            return false;
        }
        for (double v : flag.values) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }
}
