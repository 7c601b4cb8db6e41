package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.ModelStatus.FeatureDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Feature drift and answers of one model version: the latest {@value #WINDOW} feature vectors it scored against its training
 * reference ({@code reference.<feature>} in {@code model.properties}: range, decile edges, the training rows' share per
 * bin). Per feature, the population stability index over the training's ten bins plus one below and one above the
 * training range (where the training had nothing, so that values beyond what was learnt weigh most), and the share of
 * live values outside the training range. Retraining is recommended when, over at least {@value #MIN_WINDOWS} windows, a feature has a PSI above
 * {@value #PSI_LIMIT} <em>and</em> more than 5 % of its values outside the training range: a distribution that moved
 * beyond what the model learnt — a plant running at a single speed inside the trained range narrows the distribution
 * (a high PSI) but stays within what was learnt. The same windows' answers give the score distribution (quantiles, urgency
 * shares). Thread-safe.
 */
final class FeatureMonitor {

    static final int WINDOW = 500;
    static final int MIN_WINDOWS = 100;
    static final double PSI_LIMIT = 0.25;
    static final double OUTSIDE_LIMIT = 0.05;
    private static final double FLOOR = 1e-4;

    private final List<String> names = new ArrayList<>();
    private final int[] index;
    private final double[][] edges;
    private final double[][] shares;
    private final double[] min;
    private final double[] max;
    private final byte[][] bins = new byte[WINDOW][];
    private final double[][] values = new double[WINDOW][];
    private final double[] results = new double[WINDOW];
    private final byte[] urgencies = new byte[WINDOW];
    private final int[][] counts;
    private final int[] outside;
    private final int[] valid;
    private final double[] sums;
    private int size;
    private int next;

    private FeatureMonitor(List<String> features, List<Integer> positions, List<double[]> edges, List<double[]> shares, List<double[]> ranges) {
        names.addAll(features);
        int f = features.size();
        this.index = positions.stream().mapToInt(Integer::intValue).toArray();
        this.edges = edges.toArray(new double[0][]);
        this.shares = shares.toArray(new double[0][]);
        this.min = ranges.stream().mapToDouble(r -> r[0]).toArray();
        this.max = ranges.stream().mapToDouble(r -> r[1]).toArray();
        this.counts = new int[f][12];
        this.outside = new int[f];
        this.valid = new int[f];
        this.sums = new double[f];
    }

    /**
     * @param p a package's properties
     * @param features the model's features, in vector order
     * @return the monitor of the features that have a reference (none for a package without one)
     * @throws IllegalArgumentException naming the feature whose reference does not parse
     */
    static FeatureMonitor of(Properties p, List<String> features) {
        List<String> names = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<double[]> edges = new ArrayList<>();
        List<double[]> shares = new ArrayList<>();
        List<double[]> ranges = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            String text = p.getProperty("reference." + features.get(i), "").trim();
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\|");
            String[] range = parts[0].trim().split("\\s+");
            String[] share = parts.length == 2 ? parts[1].trim().split("\\s+") : new String[0];
            if (range.length != 11 || share.length != 10) {
                throw new IllegalArgumentException("reference." + features.get(i) + ": expected '<min> <9 edges> <max> | <10 shares>', found '" + text + "'");
            }
            double[] e = new double[9];
            for (int k = 0; k < 9; k++) {
                e[k] = Double.parseDouble(range[k + 1]);
            }
            double[] s = new double[10];
            for (int k = 0; k < 10; k++) {
                s[k] = Double.parseDouble(share[k]);
            }
            names.add(features.get(i));
            positions.add(i);
            edges.add(e);
            shares.add(s);
            ranges.add(new double[] {Double.parseDouble(range[0]), Double.parseDouble(range[10])});
        }
        return new FeatureMonitor(names, positions, edges, shares, ranges);
    }

    /**
     * @param vector the values of a scored feature vector, in the model's feature order
     * @param result the model's answer
     * @param urgency its urgency
     */
    synchronized void record(double[] vector, double result, io.millwright.analytics.api.Urgency urgency) {
        results[next] = result;
        urgencies[next] = (byte) urgency.ordinal();
        if (size == WINDOW) {
            forget(next);
        } else {
            size++;
        }
        byte[] b = new byte[names.size()];
        double[] v = new double[names.size()];
        for (int f = 0; f < names.size(); f++) {
            double x = index[f] < vector.length ? vector[index[f]] : Double.NaN;
            v[f] = x;
            if (!Double.isFinite(x)) {
                b[f] = -1;
                continue;
            }
            int bin;
            if (x < min[f]) {
                bin = 0;
            } else if (x > max[f]) {
                bin = 11;
            } else {
                bin = 1;
                while (bin < 10 && x >= edges[f][bin - 1]) {
                    bin++;
                }
            }
            b[f] = (byte) bin;
            counts[f][bin]++;
            valid[f]++;
            sums[f] += x;
            if (bin == 0 || bin == 11) {
                outside[f]++;
            }
        }
        bins[next] = b;
        values[next] = v;
        next = (next + 1) % WINDOW;
    }

    private void forget(int slot) {
        byte[] b = bins[slot];
        double[] v = values[slot];
        for (int f = 0; f < b.length; f++) {
            if (b[f] < 0) {
                continue;
            }
            counts[f][b[f]]--;
            valid[f]--;
            sums[f] -= v[f];
            if (b[f] == 0 || b[f] == 11) {
                outside[f]--;
            }
        }
    }

    /** @return the answers' distribution over the windows kept */
    synchronized io.millwright.analytics.api.ModelStatus.ScoreDistribution scores() {
        if (size == 0) {
            return io.millwright.analytics.api.ModelStatus.ScoreDistribution.NONE;
        }
        double[] sorted = java.util.Arrays.copyOf(results, size);
        java.util.Arrays.sort(sorted);
        double sum = 0;
        int[] byUrgency = new int[io.millwright.analytics.api.Urgency.values().length];
        for (int i = 0; i < size; i++) {
            sum += results[i];
            byUrgency[urgencies[i]]++;
        }
        return new io.millwright.analytics.api.ModelStatus.ScoreDistribution(size, sum / size, quantile(sorted, 0.1), quantile(sorted, 0.5),
                quantile(sorted, 0.9), byUrgency[io.millwright.analytics.api.Urgency.NORMAL.ordinal()] / (double) size,
                byUrgency[io.millwright.analytics.api.Urgency.WARNING.ordinal()] / (double) size,
                byUrgency[io.millwright.analytics.api.Urgency.CRITICAL.ordinal()] / (double) size);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /** @return the windows the figures cover */
    synchronized int windows() {
        return size;
    }

    /** @return each referenced feature's drift over the latest windows (empty before the first) */
    synchronized List<FeatureDrift> drift() {
        List<FeatureDrift> out = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            if (valid[f] == 0) {
                continue;
            }
            double psi = 0;
            for (int bin = 0; bin < 12; bin++) {
                double a = Math.max(FLOOR, counts[f][bin] / (double) valid[f]);
                double e = Math.max(FLOOR, bin == 0 || bin == 11 ? 0 : shares[f][bin - 1]);
                psi += (a - e) * Math.log(a / e);
            }
            out.add(new FeatureDrift(names.get(f), psi, outside[f] / (double) valid[f], min[f], max[f], sums[f] / valid[f]));
        }
        return out;
    }

    /** @return empty, or why retraining is recommended */
    synchronized String retraining() {
        if (size < MIN_WINDOWS) {
            return "";
        }
        List<String> evidence = new ArrayList<>();
        for (FeatureDrift d : drift()) {
            if (d.psi() > PSI_LIMIT && d.outsideShare() > OUTSIDE_LIMIT) {
                evidence.add(String.format(Locale.ROOT, "%s PSI %.2f, %.0f %% outside the training range %.4g..%.4g (mean now %.4g)", d.feature(),
                        d.psi(), 100 * d.outsideShare(), d.trainingMin(), d.trainingMax(), d.liveMean()));
            }
        }
        return evidence.isEmpty() ? "" : "retraining recommended over the last " + size + " windows: " + String.join("; ", evidence);
    }
}
