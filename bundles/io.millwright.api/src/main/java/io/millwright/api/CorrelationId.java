package io.millwright.api;

/**
 * The correlation id of a result the gateway derived from one window of samples — a model's score above all — and of
 * what that result caused downstream (the alarm it raised, the alarm's later transitions, a notification): the asset,
 * the producing channel without its last part, and the source time in microseconds, e.g.
 * {@code pump-1/s.pump-bearing.pump-bearing-rul@1764567580000000}. A score's result, urgency and lineage samples (one
 * window end, one model) share it; the lineage names the window's journal range and the model's version and digest, so
 * the id leads from an alarm back to the exact window and model that caused it. Derived, not stored: anything that
 * sees the sample can compute it.
 */
public final class CorrelationId {

    private CorrelationId() {
    }

    /**
     * @param channel the channel of a sample ({@code <asset>/s.<set>.<model>.<part>} for a score)
     * @param sourceTimeMicros the sample's source time
     * @return its correlation id: for a score's parts the model's channel prefix, for any other channel the channel
     */
    public static String of(ChannelId channel, long sourceTimeMicros) {
        String tag = channel.tag();
        if (tag.startsWith("s.")) {
            int last = tag.lastIndexOf('.');
            if (last > 2) {
                tag = tag.substring(0, last);
            }
        }
        return channel.asset() + "/" + tag + "@" + sourceTimeMicros;
    }
}
