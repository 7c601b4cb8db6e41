package io.millwright.features;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An unsupervised model of normal behaviour: the mean and covariance of feature vectors taken while an asset was
 * healthy, and each new vector's Mahalanobis distance from them — how many standard deviations away it lies once the
 * features' correlations are accounted for (speed and current rise together on a healthy pump; vibration rising alone
 * does not). Features are standardised first; the covariance is shrunk towards the identity ({@code shrinkage}) so
 * that a feature that hardly varied in the healthy windows does not make every later window look infinitely far.
 * A missing feature (NaN) counts as its mean. The training tool fits it; the scoring engine reads its text form.
 * Immutable and thread-safe.
 */
public final class Mahalanobis {

    /** The text form's first line. */
    public static final String FORMAT = "millwright-mahalanobis 1";

    private final double[] mean;
    private final double[] scale;
    /** Inverse of the shrunk covariance of the standardised features, row-major. */
    private final double[][] precision;
    private final double shrinkage;

    private Mahalanobis(double[] mean, double[] scale, double[][] precision, double shrinkage) {
        this.mean = mean;
        this.scale = scale;
        this.precision = precision;
        this.shrinkage = shrinkage;
    }

    /**
     * @param rows healthy feature vectors, each of the same length (NaN: missing)
     * @param shrinkage 0 ≤ s &lt; 1: the share of the identity mixed into the correlation matrix
     * @return the fitted model
     * @throws IllegalArgumentException with fewer rows than features + 2, or rows of unequal length
     */
    public static Mahalanobis fit(List<double[]> rows, double shrinkage) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no healthy windows to fit");
        }
        int k = rows.get(0).length;
        if (rows.size() < k + 2) {
            throw new IllegalArgumentException(rows.size() + " healthy windows for " + k + " features: need at least " + (k + 2));
        }
        if (!(shrinkage >= 0 && shrinkage < 1)) {
            throw new IllegalArgumentException("shrinkage " + shrinkage + ": must be 0 <= s < 1");
        }
        double[] mean = new double[k];
        int[] count = new int[k];
        for (double[] r : rows) {
            if (r.length != k) {
                throw new IllegalArgumentException("a window has " + r.length + " features, the first had " + k);
            }
            for (int i = 0; i < k; i++) {
                if (Double.isFinite(r[i])) {
                    mean[i] += r[i];
                    count[i]++;
                }
            }
        }
        for (int i = 0; i < k; i++) {
            mean[i] = count[i] == 0 ? 0 : mean[i] / count[i];
        }
        double[] scale = new double[k];
        for (double[] r : rows) {
            for (int i = 0; i < k; i++) {
                double d = value(r, i, mean) - mean[i];
                scale[i] += d * d;
            }
        }
        for (int i = 0; i < k; i++) {
            double sd = Math.sqrt(scale[i] / (rows.size() - 1));
            // a feature that did not vary gets a floor relative to its level: 0.1 % of it (or 1e-9)
            scale[i] = Math.max(sd, Math.max(1e-9, 1e-3 * Math.abs(mean[i])));
        }
        double[][] c = new double[k][k];
        for (double[] r : rows) {
            double[] z = new double[k];
            for (int i = 0; i < k; i++) {
                z[i] = (value(r, i, mean) - mean[i]) / scale[i];
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    c[i][j] += z[i] * z[j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = c[i][j] / (rows.size() - 1) * (1 - shrinkage) + (i == j ? shrinkage : 0);
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        return new Mahalanobis(mean, scale, invert(c), shrinkage);
    }

    private static double value(double[] r, int i, double[] mean) {
        return Double.isFinite(r[i]) ? r[i] : mean[i];
    }

    /** Inverse of a symmetric positive-definite matrix by Cholesky decomposition. */
    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) {
                    s -= l[i][m] * l[j][m];
                }
                if (i == j) {
                    if (!(s > 1e-12)) {
                        throw new IllegalArgumentException("the healthy windows' covariance is singular at feature " + (i + 1)
                                + " (a feature that is a copy or a sum of others): use shrinkage > 0");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        // inverse of L, then (L^-1)^T L^-1
        double[][] li = new double[n][n];
        for (int i = 0; i < n; i++) {
            li[i][i] = 1 / l[i][i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int m = j; m < i; m++) {
                    s -= l[i][m] * li[m][j];
                }
                li[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int m = Math.max(i, j); m < n; m++) {
                    s += li[m][i] * li[m][j];
                }
                inv[i][j] = s;
            }
        }
        return inv;
    }

    /**
     * @param features a vector of as many features as the model was fitted on (NaN: missing, counted as its mean)
     * @return its Mahalanobis distance from the healthy windows (≥ 0)
     * @throws IllegalArgumentException for a vector of another length
     */
    public double distance(double[] features) {
        int k = mean.length;
        if (features.length != k) {
            throw new IllegalArgumentException("a vector of " + features.length + " features for a model of " + k);
        }
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            z[i] = (value(features, i, mean) - mean[i]) / scale[i];
        }
        double d2 = 0;
        for (int i = 0; i < k; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                row += precision[i][j] * z[j];
            }
            d2 += z[i] * row;
        }
        return Math.sqrt(Math.max(0, d2));
    }

    /** @return how many features it takes */
    public int features() {
        return mean.length;
    }

    /** @return the shrinkage it was fitted with */
    public double shrinkage() {
        return shrinkage;
    }

    /**
     * @return the text form: {@link #FORMAT}, then {@code features}, {@code shrinkage}, {@code mean}, {@code scale} and one
     *     {@code precision} line per row, numbers in full precision
     */
    public byte[] toText() {
        StringBuilder b = new StringBuilder(FORMAT).append('\n');
        b.append("features ").append(mean.length).append('\n');
        b.append("shrinkage ").append(shrinkage).append('\n');
        line(b, "mean", mean);
        line(b, "scale", scale);
        for (double[] row : precision) {
            line(b, "precision", row);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String key, double[] values) {
        b.append(key);
        for (double v : values) {
            b.append(' ').append(v);
        }
        b.append('\n');
    }

    /**
     * @param text the text form
     * @return the model
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static Mahalanobis parse(byte[] text) {
        List<String> lines = new ArrayList<>(Arrays.asList(new String(text, StandardCharsets.UTF_8).split("\n")));
        lines.removeIf(String::isBlank);
        if (lines.isEmpty() || !lines.get(0).strip().equals(FORMAT)) {
            throw new IllegalArgumentException("not a Mahalanobis model: the first line must be '" + FORMAT + "'");
        }
        int k = (int) number(lines, 1, "features")[0];
        if (k < 1 || k > 1000 || lines.size() != 5 + k) {
            throw new IllegalArgumentException("a model of " + k + " features has " + (5 + k) + " lines, found " + lines.size());
        }
        double shrinkage = number(lines, 2, "shrinkage")[0];
        double[] mean = vector(lines, 3, "mean", k);
        double[] scale = vector(lines, 4, "scale", k);
        double[][] precision = new double[k][];
        for (int i = 0; i < k; i++) {
            precision[i] = vector(lines, 5 + i, "precision", k);
        }
        for (int i = 0; i < k; i++) {
            if (!(scale[i] > 0)) {
                throw new IllegalArgumentException("line 5: scale of feature " + (i + 1) + " is " + scale[i] + ": must be > 0");
            }
            if (!(precision[i][i] > 0)) {
                throw new IllegalArgumentException("line " + (6 + i) + ": the precision matrix's diagonal must be > 0");
            }
        }
        return new Mahalanobis(mean, scale, precision, shrinkage);
    }

    private static double[] vector(List<String> lines, int index, String key, int k) {
        double[] v = number(lines, index, key);
        if (v.length != k) {
            throw new IllegalArgumentException("line " + (index + 1) + " (" + key + ") has " + v.length + " numbers, expected " + k);
        }
        return v;
    }

    private static double[] number(List<String> lines, int index, String key) {
        if (index >= lines.size()) {
            throw new IllegalArgumentException("line " + (index + 1) + " (" + key + ") is missing");
        }
        String[] f = lines.get(index).strip().split("\\s+");
        if (!f[0].equals(key) || f.length < 2) {
            throw new IllegalArgumentException("line " + (index + 1) + ": expected '" + key + " <numbers>', found '" + lines.get(index).strip() + "'");
        }
        double[] v = new double[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            try {
                v[i - 1] = Double.parseDouble(f[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (index + 1) + " (" + key + "): '" + f[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i - 1])) {
                throw new IllegalArgumentException("line " + (index + 1) + " (" + key + "): " + f[i] + " is not finite");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Mahalanobis(%d features, shrinkage %.3f)", mean.length, shrinkage);
    }
}
