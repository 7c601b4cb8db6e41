package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.ValueType;
import io.millwright.quality.api.QualityReport;
import io.millwright.quality.api.QualityStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The data-quality detectors of one channel over windows of its source time.
 *
 * <p>Per window: samples, BAD and UNCERTAIN share, out-of-range share (against the asset model's engineering range),
 * duplicates (a source time equal to the one before) and time regressions (earlier than the one before), and the
 * sampling-rate jitter (coefficient of variation of the intervals). Across windows: a flatline (the same value for
 * {@code flatlineSamples} samples in a row, on a channel that moved from sample to sample while it was learnt) and
 * staleness (no sample for {@code staleFactor} expected intervals, checked against the wall clock).
 */
final class ChannelQuality {

    /** What the asset model says a channel should look like: range in the device's unit, expected interval (0: learnt). */
    record Expectation(double min, double max, long expectedIntervalMicros) {
        static final Expectation NONE = new Expectation(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0);
    }

    private final ChannelId channel;
    private final QualitySettings settings;
    private Expectation expectation;

    // the current window
    private long windowEnd = Long.MIN_VALUE;
    private int samples;
    private int bad;
    private int uncertain;
    private int outOfRange;
    private int numeric;
    private int duplicates;
    private int regressions;
    private int intervals;
    private double intervalSum;
    private double intervalSquares;

    // across windows
    private long lastSourceMicros = Long.MIN_VALUE;
    private double lastValue = Double.NaN;
    private long sameRun;
    private long learnt;
    private long learntChanges;
    private boolean moving;
    private double learntIntervalMicros;
    private boolean stale;
    private QualityReport last;

    ChannelQuality(ChannelId channel, QualitySettings settings, Expectation expectation) {
        this.channel = channel;
        this.settings = settings;
        this.expectation = expectation;
    }

    void expect(Expectation e) {
        this.expectation = e;
    }

    /**
     * @param s a sample of this channel, in journal order
     * @return the report of the window this sample closed, or null
     */
    QualityReport accept(Sample s) {
        long t = s.sourceTimeMicros();
        QualityReport closed = null;
        if (windowEnd == Long.MIN_VALUE) {
            windowEnd = Math.floorDiv(t, settings.windowMicros()) * settings.windowMicros() + settings.windowMicros();
        } else if (t >= windowEnd) {
            closed = close(windowEnd);
            windowEnd = Math.floorDiv(t, settings.windowMicros()) * settings.windowMicros() + settings.windowMicros();
        }
        samples++;
        QualityLevel level = s.quality().level();
        if (level == QualityLevel.BAD) {
            bad++;
        } else if (level == QualityLevel.UNCERTAIN) {
            uncertain++;
        }
        if (lastSourceMicros != Long.MIN_VALUE) {
            long d = t - lastSourceMicros;
            if (d == 0) {
                duplicates++;
            } else if (d < 0) {
                regressions++;
            } else {
                intervals++;
                intervalSum += d;
                intervalSquares += (double) d * d;
                learntIntervalMicros = learntIntervalMicros == 0 ? d : learntIntervalMicros * 0.95 + d * 0.05;
            }
        }
        if (t > lastSourceMicros || lastSourceMicros == Long.MIN_VALUE) {
            lastSourceMicros = t;
        }
        stale = false;
        ValueType type = s.value().type();
        // BAD samples too: ingest keeps a value outside the device's declared bounds, with BAD quality
        if (type == ValueType.DOUBLE || type == ValueType.LONG) {
            double v = s.value().asDouble();
            numeric++;
            if (v < expectation.min() || v > expectation.max() || Double.isNaN(v)) {
                outOfRange++;
            }
            if (v == lastValue) {
                sameRun++;
            } else {
                sameRun = 1;
            }
            if (learnt < settings.learnSamples()) {
                learnt++;
                if (v != lastValue && !Double.isNaN(lastValue)) {
                    learntChanges++;
                }
                if (learnt == settings.learnSamples()) {
                    // a signal that changed from one sample to the next nearly every time is a measurement that moves
                    moving = learntChanges >= 0.8 * (settings.learnSamples() - 1);
                }
            }
            lastValue = v;
        }
        return closed;
    }

    /**
     * @param nowMicros the wall clock
     * @return a report if the channel has just become stale, else null
     */
    QualityReport checkStale(long nowMicros) {
        if (stale || lastSourceMicros == Long.MIN_VALUE) {
            return null;
        }
        long interval = expectation.expectedIntervalMicros() > 0 ? expectation.expectedIntervalMicros() : (long) learntIntervalMicros;
        if (interval <= 0) {
            return null;
        }
        long limit = Math.max(settings.staleMinMicros(), (long) (settings.staleFactor() * interval));
        if (nowMicros - lastSourceMicros <= limit) {
            return null;
        }
        stale = true;
        last = new QualityReport(channel, instant(nowMicros), QualityStatus.STALE, List.of(QualityStatus.STALE), 0, 0, 0, 0, 0, 0, 0,
                (nowMicros - lastSourceMicros) / 1e6, instant(lastSourceMicros));
        return last;
    }

    private QualityReport close(long end) {
        List<QualityStatus> issues = new ArrayList<>();
        double badShare = samples == 0 ? 0 : (double) bad / samples;
        double uncertainShare = samples == 0 ? 0 : (double) uncertain / samples;
        double rangeShare = numeric == 0 ? 0 : (double) outOfRange / numeric;
        double mean = intervals == 0 ? 0 : intervalSum / intervals;
        double jitter = intervals < settings.jitterMinIntervals() || mean == 0 ? 0
                : Math.sqrt(Math.max(0, intervalSquares / intervals - mean * mean)) / mean;
        if (rangeShare > settings.outOfRangeShare()) {
            issues.add(QualityStatus.OUT_OF_RANGE);
        }
        if (moving && sameRun >= settings.flatlineSamples()) {
            issues.add(QualityStatus.FLATLINE);
        }
        if (regressions > 0) {
            issues.add(QualityStatus.TIME_REGRESSION);
        }
        if (duplicates > 0) {
            issues.add(QualityStatus.DUPLICATES);
        }
        if (badShare > settings.badShare()) {
            issues.add(QualityStatus.BAD);
        }
        if (uncertainShare > settings.uncertainShare()) {
            issues.add(QualityStatus.UNCERTAIN);
        }
        if (jitter > settings.jitterLimit()) {
            issues.add(QualityStatus.JITTER);
        }
        QualityStatus worst = issues.isEmpty() ? QualityStatus.OK : issues.get(0);
        last = new QualityReport(channel, instant(end), worst, issues, samples, badShare, uncertainShare, rangeShare, duplicates,
                regressions, jitter, 0, instant(lastSourceMicros));
        samples = 0;
        bad = 0;
        uncertain = 0;
        outOfRange = 0;
        numeric = 0;
        duplicates = 0;
        regressions = 0;
        intervals = 0;
        intervalSum = 0;
        intervalSquares = 0;
        return last;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** @param report the last report with what other checks found added (drift) */
    void amend(QualityReport report) {
        last = report;
    }

    /** @return the last report (a window closed or staleness found), or null */
    QualityReport last() {
        return last;
    }
}
