package io.millwright.features;

/**
 * Time-domain statistics of one window of a signal, computed in two passes over the values (mean first, then
 * central moments) so that results do not depend on how the window was assembled: the streaming features and the
 * training tool call this same code on the same values and get identical numbers.
 *
 * @param count number of values
 * @param mean arithmetic mean
 * @param std population standard deviation
 * @param min least value
 * @param max greatest value
 * @param rms root mean square
 * @param peak greatest absolute value
 * @param peakToPeak max − min
 * @param crestFactor peak / rms (0 when rms is 0)
 * @param kurtosis fourth standardized moment (3 for a Gaussian; 0 when std is 0)
 * @param skewness third standardized moment (0 when std is 0)
 */
public record SignalStatistics(int count, double mean, double std, double min, double max, double rms, double peak, double peakToPeak,
        double crestFactor, double kurtosis, double skewness) {

    /**
     * @param values the window's values, in time order
     * @return their statistics
     * @throws IllegalArgumentException for an empty window or a non-finite value (naming its index)
     */
    public static SignalStatistics of(double[] values) {
        return of(values, 0, values.length);
    }

    /**
     * @param values values
     * @param from first index
     * @param to end index (exclusive)
     * @return the statistics of {@code values[from, to)}
     */
    public static SignalStatistics of(double[] values, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            throw new IllegalArgumentException("empty window");
        }
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("value " + (i - from) + " of the window is " + v);
            }
            sum += v;
            sumSq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (int i = from; i < to; i++) {
            double d = values[i] - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double std = Math.sqrt(m2);
        double rms = Math.sqrt(sumSq / n);
        double peak = Math.max(Math.abs(min), Math.abs(max));
        double kurtosis = m2 > 0 ? m4 / (m2 * m2) : 0;
        double skewness = m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
        return new SignalStatistics(n, mean, std, min, max, rms, peak, max - min, rms > 0 ? peak / rms : 0, kurtosis, skewness);
    }
}
