package io.millwright.quality.internal;

/**
 * The detectors' thresholds.
 *
 * @param windowMicros window length (source time)
 * @param staleFactor stale after this many expected intervals without a sample
 * @param staleMinMicros but never sooner than this
 * @param flatlineSamples equal values in a row that make a flatline
 * @param learnSamples samples watched before the flatline detector decides whether a channel moves
 * @param outOfRangeShare largest share of values outside the range that is still OK
 * @param badShare largest share of BAD samples that is still OK
 * @param uncertainShare largest share of UNCERTAIN samples that is still OK
 * @param jitterLimit largest coefficient of variation of the intervals that is still OK
 * @param jitterMinIntervals intervals a window needs before its jitter counts
 * @param referenceWindows complete windows a consistency rule learns its reference from
 * @param confirmWindows windows a consistency shift must last, with nothing corroborating, to be called sensor drift
 */
record QualitySettings(long windowMicros, double staleFactor, long staleMinMicros, int flatlineSamples, int learnSamples,
        double outOfRangeShare, double badShare, double uncertainShare, double jitterLimit, int jitterMinIntervals, int referenceWindows,
        int confirmWindows) {

    static final QualitySettings DEFAULTS = new QualitySettings(60_000_000L, 5, 5_000_000L, 30, 30, 0.01, 0.05, 0.2, 0.3, 10, 30, 3);

    QualitySettings {
        check("windowSeconds", windowMicros / 1e6, 1, 86_400);
        check("staleFactor", staleFactor, 1, 1_000);
        check("flatlineSamples", flatlineSamples, 3, 1_000_000);
        check("learnSamples", learnSamples, 3, 1_000_000);
        check("outOfRangeShare", outOfRangeShare, 0, 1);
        check("badShare", badShare, 0, 1);
        check("uncertainShare", uncertainShare, 0, 1);
        check("jitterLimit", jitterLimit, 0, 100);
        check("referenceWindows", referenceWindows, 3, 100_000);
        check("confirmWindows", confirmWindows, 1, 10_000);
    }

    private static void check(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("configuration io.millwright.quality: " + name + "=" + v + ": must be " + min + ".." + max);
        }
    }
}
