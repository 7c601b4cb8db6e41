package io.millwright.api;

import java.util.List;

/**
 * Durations counted in fixed buckets, as a service reports them in its statistics (the journal's commits, a device's
 * polls, a model's scores) and the metrics endpoint exposes them as a Prometheus histogram.
 *
 * @param upperBoundsSeconds the buckets' upper bounds in seconds, ascending (a last bucket above them is implied)
 * @param counts how many durations fell in each bucket (not cumulative): one more than there are bounds, the last for
 *     durations above the last bound
 * @param sumSeconds the sum of all durations
 */
public record LatencyHistogram(List<Double> upperBoundsSeconds, List<Long> counts, double sumSeconds) {

    /** Nothing counted. */
    public static final LatencyHistogram EMPTY = new LatencyHistogram(List.of(), List.of(0L), 0);

    /** Copies the lists; requires one count more than bounds. */
    public LatencyHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        counts = List.copyOf(counts);
        if (counts.size() != upperBoundsSeconds.size() + 1) {
            throw new IllegalArgumentException("counts: " + counts.size() + " for " + upperBoundsSeconds.size() + " bounds: needs one more");
        }
    }

    /** @return how many durations were counted */
    public long count() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
