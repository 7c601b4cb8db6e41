package io.millwright.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts durations into a {@link LatencyHistogram}: thread-safe, no allocation and no lock per record (a binary search
 * over a dozen bounds and two adders), so that it can sit on a data path.
 */
public final class LatencyRecorder {

    /** 0.5 ms to 10 s: commits, polls and scores on a gateway. */
    public static final List<Double> DEFAULT_BOUNDS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            5.0, 10.0);

    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    /** With {@link #DEFAULT_BOUNDS}. */
    public LatencyRecorder() {
        this(DEFAULT_BOUNDS);
    }

    /** @param upperBoundsSeconds ascending upper bounds in seconds */
    public LatencyRecorder(List<Double> upperBoundsSeconds) {
        bounds = upperBoundsSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bounds must ascend: " + upperBoundsSeconds);
            }
        }
        counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** @param nanos a duration in nanoseconds (negative ones count as 0) */
    public void recordNanos(long nanos) {
        double s = Math.max(0, nanos) / 1e9;
        int lo = 0;
        int hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s <= bounds[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        counts[lo].increment();
        sum.add(s);
    }

    /** @return what was counted so far */
    public LatencyHistogram snapshot() {
        List<Double> b = new ArrayList<>(bounds.length);
        for (double x : bounds) {
            b.add(x);
        }
        List<Long> c = new ArrayList<>(counts.length);
        for (LongAdder a : counts) {
            c.add(a.sum());
        }
        return new LatencyHistogram(b, c, sum.sum());
    }
}
