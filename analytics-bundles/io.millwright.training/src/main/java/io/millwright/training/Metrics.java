package io.millwright.training;

/** Evaluation figures. */
final class Metrics {

    private Metrics() {
    }

    static double rmse(double[] truth, double[] predicted) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = predicted[i] - truth[i];
            s += d * d;
        }
        return Math.sqrt(s / truth.length);
    }

    /** The PHM08 score: Σ exp(−d/13) − 1 for early predictions (d &lt; 0), exp(d/10) − 1 for late ones; d = predicted − true. */
    static double phm08(double[] truth, double[] predicted) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = predicted[i] - truth[i];
            s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
        }
        return s;
    }

    /** @return {precision, recall, f1} of class {@code positive} */
    static double[] precisionRecallF1(double[] truth, double[] predicted, int positive) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean t = (int) truth[i] == positive;
            boolean p = (int) Math.round(predicted[i]) == positive;
            if (t && p) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }
}
