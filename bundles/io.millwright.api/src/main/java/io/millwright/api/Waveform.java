package io.millwright.api;

import java.util.Arrays;

/**
 * A block of equidistant samples, e.g. one second of vibration acceleration at 4096 Hz. The
 * sample's source timestamp is the time of the first point.
 *
 * <p>Immutable: the array is copied in and out.
 */
public final class Waveform implements Value {

    private final double[] points;
    private final double sampleRateHz;

    /**
     * @param points the samples, copied
     * @param sampleRateHz the sample rate, finite and positive
     * @throws IllegalArgumentException if the sample rate is not finite and positive or there are no points
     */
    public Waveform(double[] points, double sampleRateHz) {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("invalid waveform sample rate " + sampleRateHz + " Hz: must be finite and > 0");
        }
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("a waveform needs at least one point");
        }
        this.points = points.clone();
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public ValueType type() {
        return ValueType.WAVEFORM;
    }

    /** @return the sample rate in Hz */
    public double sampleRateHz() {
        return sampleRateHz;
    }

    /** @return the number of points */
    public int length() {
        return points.length;
    }

    /**
     * @param index a point index
     * @return the point at that index
     */
    public double point(int index) {
        return points[index];
    }

    /** @return a copy of the points */
    public double[] toArray() {
        return points.clone();
    }

    /** @return the duration covered, in seconds */
    public double durationSeconds() {
        return points.length / sampleRateHz;
    }

    /** @return the root mean square of the points */
    @Override
    public double asDouble() {
        double sum = 0;
        for (double p : points) {
            sum += p * p;
        }
        return Math.sqrt(sum / points.length);
    }

    /** @return true if every point is finite */
    public boolean isFinite() {
        for (double p : points) {
            if (!Double.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Waveform w && w.sampleRateHz == sampleRateHz && Arrays.equals(w.points, points);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(sampleRateHz) + Arrays.hashCode(points);
    }

    @Override
    public String toString() {
        return "Waveform[" + points.length + " points @ " + sampleRateHz + " Hz]";
    }
}
