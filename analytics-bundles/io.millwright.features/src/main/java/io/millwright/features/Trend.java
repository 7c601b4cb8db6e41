package io.millwright.features;

/** Linear trends over a window, by least squares. */
public final class Trend {

    private static final double MICROS_PER_DAY = 86_400e6;

    private Trend() {
    }

    /**
     * Slope of the least-squares line through (time, value), per day — e.g. a bearing temperature's °C per day over
     * a long window. Times are taken relative to the first, so epoch-sized numbers lose no precision.
     *
     * @param timesMicros sample times, epoch µs, ascending
     * @param values values
     * @return slope in value units per day; 0 for fewer than two distinct times
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static double slopePerDay(long[] timesMicros, double[] values) {
        if (timesMicros.length != values.length) {
            throw new IllegalArgumentException(timesMicros.length + " times but " + values.length + " values");
        }
        int n = values.length;
        if (n < 2) {
            return 0;
        }
        long t0 = timesMicros[0];
        double meanT = 0;
        double meanV = 0;
        for (int i = 0; i < n; i++) {
            meanT += (timesMicros[i] - t0) / MICROS_PER_DAY;
            meanV += values[i];
        }
        meanT /= n;
        meanV /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dt = (timesMicros[i] - t0) / MICROS_PER_DAY - meanT;
            sxy += dt * (values[i] - meanV);
            sxx += dt * dt;
        }
        return sxx > 0 ? sxy / sxx : 0;
    }
}
