package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.ConsistencyRule;
import io.millwright.quality.api.ConsistencyReport;
import io.millwright.quality.api.ConsistencyReport.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * One physical-consistency rule on one asset, judged window by window.
 *
 * <p>Per window of source time it takes the mean of the measured tag, of each term (tag to its power, in the canonical
 * unit) and of each corroborating channel. The first {@code referenceWindows} complete windows are the reference: on them
 * a linear model (a constant plus the terms that varied in the reference; a term that did not is pinned to its reference
 * level, and a window counts as inside only within 0.5 % of that level) is fitted by least squares, and each
 * corroborating channel's level and spread are taken. From then on each
 * window's residual (measured − expected) feeds a two-sided CUSUM with allowance {@code tolerance / 2} and decision
 * interval {@code max(2 tolerance, 5 σ)} (σ: the reference residuals' spread), capped at 1.5 times the interval so that a
 * cleared shift is let go within a few windows. A window whose terms lie outside the reference's range is not judged.
 *
 * <p>Verdicts: a shift with a corroborating channel off its reference level (by more than 4 spreads and 25 %) is a
 * changed machine (until the shift clears); a shift for {@code confirmWindows} windows with every corroborating channel at
 * its level is a drifting sensor. A window outside the reference (a stop, a trip) resets the CUSUM: after a repair the
 * comparison starts afresh. Not thread-safe: the quality reader owns it.
 */
final class ConsistencyCheck {

    /** A channel of the rule on this asset, with its conversion to the canonical unit. */
    record Input(ChannelId channel, DoubleUnaryOperator toCanonical) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Input i && i.channel.equals(channel);
        }

        @Override
        public int hashCode() {
            return channel.hashCode();
        }
    }

    /**
     * The rule on one asset.
     *
     * @param asset the asset
     * @param rule the rule
     * @param target the measured tag's channel
     * @param terms each term's channel (same order as the rule's terms)
     * @param corroborate each corroborating channel
     */
    record Definition(String asset, ConsistencyRule rule, Input target, List<Input> terms, List<Input> corroborate) {
        /** @return the key its reference is stored under */
        String key() {
            return asset + " " + rule;
        }
    }

    /** What the reference period taught. Slots: terms, then corroborating channels. */
    record Reference(int windows, double intercept, double[] coefficients, double[] low, double[] high, double sigma, double[] level,
            double[] spread) {

        String encode() {
            StringBuilder b = new StringBuilder("1 ").append(windows).append(' ').append(intercept).append(' ').append(sigma);
            for (double[] a : new double[][] {coefficients, low, high, level, spread}) {
                b.append(" |");
                for (double v : a) {
                    b.append(' ').append(v);
                }
            }
            return b.toString();
        }

        static Reference decode(String text, int terms, int corroborating) {
            String[] parts = text.split("\\|");
            String[] head = parts[0].trim().split(" ");
            if (!head[0].equals("1") || parts.length != 6) {
                throw new IllegalArgumentException("not a reference of version 1: '" + text + "'");
            }
            double[][] arrays = new double[5][];
            int[] sizes = {terms, terms, terms, corroborating, corroborating};
            for (int i = 0; i < 5; i++) {
                String body = parts[i + 1].trim();
                String[] v = body.isEmpty() ? new String[0] : body.split(" ");
                if (v.length != sizes[i]) {
                    throw new IllegalArgumentException("reference '" + text + "': part " + (i + 1) + " has " + v.length + " numbers, expected " + sizes[i]);
                }
                arrays[i] = new double[v.length];
                for (int j = 0; j < v.length; j++) {
                    arrays[i][j] = Double.parseDouble(v[j]);
                }
            }
            return new Reference(Integer.parseInt(head[1]), Double.parseDouble(head[2]), arrays[0], arrays[1], arrays[2],
                    Double.parseDouble(head[3]), arrays[3], arrays[4]);
        }
    }

    /** A term varied in the reference (and gets a slope) if its range there exceeds this share of its level. */
    private static final double VARIED_SHARE = 0.02;
    /** A varied term still counts as inside up to this share of its reference span beyond it. */
    private static final double VARIED_MARGIN = 0.1;
    /**
     * A pinned term (no slope known) counts as inside only this share of its level beyond what the reference saw: the
     * change the model cannot explain stays far below a tolerance (0.5 % of speed² is 0.15 °C of the demo pump's bearing).
     */
    private static final double PINNED_MARGIN = 0.005;
    /** A corroborating channel has moved when it is this many spreads ... */
    private static final double MOVED_SPREADS = 4;
    /** ... and this share of its level away from its reference level. */
    private static final double MOVED_SHARE = 0.25;

    private final Definition definition;
    private final long windowMicros;
    private final int referenceWindows;
    private final int confirmWindows;
    private final int slots;
    private final TreeMap<Long, double[]> windows = new TreeMap<>();
    private final List<double[]> learning = new ArrayList<>();
    private Reference reference;
    private long judged = Long.MIN_VALUE;
    private double hi;
    private double lo;
    private int hiWindows;
    private int loWindows;
    private double hiSum;
    private double loSum;
    private int deviating;
    private boolean corroboratedChange;
    private final double[] lastCorroboration;
    private ConsistencyReport last;

    /**
     * @param definition the rule on its asset
     * @param windowMicros window length, source time
     * @param referenceWindows complete windows that make the reference
     * @param confirmWindows windows a shift must last, with nothing corroborating, to be called a drifting sensor
     * @param stored a reference stored before (null: learn one)
     */
    ConsistencyCheck(Definition definition, long windowMicros, int referenceWindows, int confirmWindows, Reference stored) {
        this.definition = definition;
        this.windowMicros = windowMicros;
        this.referenceWindows = referenceWindows;
        this.confirmWindows = confirmWindows;
        this.slots = 1 + definition.terms().size() + definition.corroborate().size();
        this.reference = stored;
        this.lastCorroboration = new double[definition.corroborate().size()];
        java.util.Arrays.fill(lastCorroboration, Double.NaN);
    }

    Definition definition() {
        return definition;
    }

    /** @return the reference, once learnt */
    Reference reference() {
        return reference;
    }

    /** @return every channel this check reads, with its slots (a channel can be in more than one) */
    Map<ChannelId, List<Integer>> channels() {
        Map<ChannelId, List<Integer>> out = new java.util.HashMap<>();
        out.computeIfAbsent(definition.target().channel(), c -> new ArrayList<>()).add(0);
        for (int i = 0; i < definition.terms().size(); i++) {
            out.computeIfAbsent(definition.terms().get(i).channel(), c -> new ArrayList<>()).add(1 + i);
        }
        for (int i = 0; i < definition.corroborate().size(); i++) {
            out.computeIfAbsent(definition.corroborate().get(i).channel(), c -> new ArrayList<>()).add(1 + definition.terms().size() + i);
        }
        return out;
    }

    /**
     * @param slot the slot (0: the measured tag, then the terms, then the corroborating channels)
     * @param sourceMicros the sample's source time
     * @param deviceValue its value as journaled
     */
    void accept(int slot, long sourceMicros, double deviceValue) {
        long window = Math.floorDiv(sourceMicros, windowMicros);
        if (window <= judged || Double.isNaN(deviceValue) || Double.isInfinite(deviceValue)) {
            return;
        }
        double v = input(slot).toCanonical().applyAsDouble(deviceValue);
        if (slot >= 1 && slot <= definition.terms().size()) {
            v = Math.pow(v, definition.rule().terms().get(slot - 1).power());
        }
        double[] sums = windows.computeIfAbsent(window, w -> new double[2 * slots]);
        sums[2 * slot] += v;
        sums[2 * slot + 1]++;
    }

    private Input input(int slot) {
        if (slot == 0) {
            return definition.target();
        }
        int t = definition.terms().size();
        return slot <= t ? definition.terms().get(slot - 1) : definition.corroborate().get(slot - 1 - t);
    }

    /**
     * Judges the window that ends at the given time (the measured tag's window just closed).
     *
     * @param windowEndMicros the window's end
     * @return the judgement, or null if the window lacked the measured tag or a term
     */
    ConsistencyReport close(long windowEndMicros) {
        long window = Math.floorDiv(windowEndMicros, windowMicros) - 1;
        double[] sums = windows.get(window);
        windows.headMap(window, true).clear();
        judged = Math.max(judged, window);
        if (sums == null) {
            return null;
        }
        int terms = definition.terms().size();
        int corroborating = definition.corroborate().size();
        double[] means = new double[slots];
        for (int i = 0; i < slots; i++) {
            means[i] = sums[2 * i + 1] == 0 ? Double.NaN : sums[2 * i] / sums[2 * i + 1];
        }
        for (int i = 0; i <= terms; i++) {
            if (Double.isNaN(means[i])) {
                return null;
            }
        }
        for (int j = 0; j < corroborating; j++) {
            if (!Double.isNaN(means[1 + terms + j])) {
                lastCorroboration[j] = means[1 + terms + j];
            }
        }
        java.time.Instant time = ChannelQuality.instant(windowEndMicros);
        if (reference == null) {
            learning.add(means);
            if (learning.size() >= referenceWindows) {
                reference = fit(learning, terms, corroborating);
                learning.clear();
            }
            last = report(time, Verdict.LEARNING, means[0], Double.NaN, 0, List.of());
            return last;
        }
        for (int i = 0; i < terms; i++) {
            if (means[1 + i] < reference.low()[i] || means[1 + i] > reference.high()[i]) {
                // the comparison starts afresh when the machine is back where the reference saw it (after a stop, a repair)
                hi = 0;
                lo = 0;
                hiWindows = 0;
                loWindows = 0;
                hiSum = 0;
                loSum = 0;
                deviating = 0;
                corroboratedChange = false;
                last = report(time, Verdict.OUTSIDE_REFERENCE, means[0], Double.NaN, 0, List.of());
                return last;
            }
        }
        double expected = reference.intercept();
        for (int i = 0; i < terms; i++) {
            expected += reference.coefficients()[i] * means[1 + i];
        }
        double residual = means[0] - expected;
        double tolerance = definition.rule().tolerance();
        double k = tolerance / 2;
        double h = Math.max(2 * tolerance, 5 * reference.sigma());
        hi = Math.min(1.5 * h, Math.max(0, hi + residual - k));
        lo = Math.min(1.5 * h, Math.max(0, lo - residual - k));
        hiWindows = hi > 0 ? hiWindows + 1 : 0;
        loWindows = lo > 0 ? loWindows + 1 : 0;
        hiSum = hi > 0 ? hiSum + residual : 0;
        loSum = lo > 0 ? loSum + residual : 0;
        boolean shifted = hi > h || lo > h;
        List<String> moved = new ArrayList<>();
        boolean corroborated = false;
        for (int j = 0; j < corroborating; j++) {
            double level = reference.level()[j];
            double x = lastCorroboration[j];
            if (Double.isNaN(level) || Double.isNaN(x)) {
                continue;
            }
            corroborated = true;
            if (Math.abs(x - level) > Math.max(MOVED_SPREADS * reference.spread()[j], MOVED_SHARE * Math.abs(level))) {
                moved.add(definition.rule().corroborate().get(j));
            }
        }
        Verdict verdict;
        double shift = 0;
        if (!shifted) {
            deviating = 0;
            corroboratedChange = false;
            verdict = Verdict.CONSISTENT;
        } else {
            deviating++;
            // the mean residual since the CUSUM last stood at zero: the size of the shift
            shift = hi > h ? hiSum / hiWindows : loSum / loWindows;
            // once a corroborating channel moved with the shift, the shift is the machine's until it clears
            corroboratedChange |= !moved.isEmpty();
            if (corroboratedChange) {
                verdict = Verdict.MACHINE_CHANGE;
            } else if (corroborated && deviating >= confirmWindows) {
                verdict = Verdict.SENSOR_DRIFT;
            } else {
                verdict = Verdict.DEVIATING;
            }
        }
        last = report(time, verdict, means[0], expected, shift, moved);
        return last;
    }

    private ConsistencyReport report(java.time.Instant time, Verdict verdict, double measured, double expected, double shift,
            List<String> moved) {
        return new ConsistencyReport(definition.asset(), definition.rule().tag(), definition.rule().toString(), time, verdict, measured,
                expected, measured - expected, shift, reference == null ? Double.NaN : reference.sigma(),
                reference == null ? learning.size() : reference.windows(), moved);
    }

    /** @return the last judgement, or null */
    ConsistencyReport last() {
        return last;
    }

    /** Least squares on the terms that varied in the reference; the others pinned to their level. */
    static Reference fit(List<double[]> rows, int terms, int corroborating) {
        int n = rows.size();
        double[] low = new double[terms];
        double[] high = new double[terms];
        double[] mean = new double[terms];
        List<Integer> varied = new ArrayList<>();
        for (int i = 0; i < terms; i++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double[] r : rows) {
                mn = Math.min(mn, r[1 + i]);
                mx = Math.max(mx, r[1 + i]);
                sum += r[1 + i];
            }
            mean[i] = sum / n;
            // a term that hardly varied in the reference tells nothing of the slope: pinned, and judged only near its level
            boolean varies = mx - mn > VARIED_SHARE * Math.abs(mean[i]) && n > 2;
            double margin = varies ? VARIED_MARGIN * (mx - mn) : PINNED_MARGIN * Math.abs(mean[i]);
            low[i] = mn - margin;
            high[i] = mx + margin;
            if (varies) {
                varied.add(i);
            }
        }
        int p = varied.size() + 1;
        double[][] a = new double[p][p + 1];
        for (double[] r : rows) {
            double[] x = new double[p];
            x[0] = 1;
            for (int j = 0; j < varied.size(); j++) {
                x[j + 1] = r[1 + varied.get(j)] - mean[varied.get(j)];
            }
            for (int u = 0; u < p; u++) {
                for (int v = 0; v < p; v++) {
                    a[u][v] += x[u] * x[v];
                }
                a[u][p] += x[u] * r[0];
            }
        }
        double[] beta = solve(a);
        double[] coefficients = new double[terms];
        double intercept = beta[0];
        for (int j = 0; j < varied.size(); j++) {
            coefficients[varied.get(j)] = beta[j + 1];
            intercept -= beta[j + 1] * mean[varied.get(j)];
        }
        double squares = 0;
        for (double[] r : rows) {
            double e = intercept;
            for (int i = 0; i < terms; i++) {
                e += coefficients[i] * r[1 + i];
            }
            squares += (r[0] - e) * (r[0] - e);
        }
        double sigma = Math.sqrt(squares / Math.max(1, n - p));
        double[] level = new double[corroborating];
        double[] spread = new double[corroborating];
        for (int j = 0; j < corroborating; j++) {
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (double[] r : rows) {
                double x = r[1 + terms + j];
                if (!Double.isNaN(x)) {
                    sum += x;
                    sq += x * x;
                    count++;
                }
            }
            level[j] = count == 0 ? Double.NaN : sum / count;
            spread[j] = count < 2 ? 0 : Math.sqrt(Math.max(0, (sq - sum * sum / count) / (count - 1)));
        }
        return new Reference(n, intercept, coefficients, low, high, sigma, level, spread);
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix; a singular column gets 0. */
    private static double[] solve(double[][] a) {
        int p = a.length;
        for (int c = 0; c < p; c++) {
            int pivot = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[c][c]) < 1e-12) {
                continue;
            }
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= p; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[p];
        for (int i = 0; i < p; i++) {
            x[i] = Math.abs(a[i][i]) < 1e-12 ? 0 : a[i][p] / a[i][i];
        }
        return x;
    }
}
