package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.quality.api.QualityReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The detectors of every watched channel, and the {@code <asset>/q.<tag>} samples they produce: one per channel per
 * window (its status: OK or the most severe issue) and one when a channel goes stale. Not thread-safe: one reader.
 */
final class QualityEngine {

    static final String PREFIX = "q.";
    /** Channels the gateway derives itself: features, scores, twin, alarms, KPIs and quality. */
    private static final List<String> DERIVED = List.of("f.", "s.", "twin.", "alarm.", "kpi.", PREFIX);

    private final QualitySettings settings;
    private final Function<ChannelId, ChannelQuality.Expectation> expectations;
    private final Map<ChannelId, ChannelQuality> channels = new HashMap<>();

    QualityEngine(QualitySettings settings, Function<ChannelId, ChannelQuality.Expectation> expectations) {
        this.settings = settings;
        this.expectations = expectations;
    }

    /** @return whether the channel is a measurement (not derived by the gateway) */
    static boolean watched(ChannelId c) {
        for (String p : DERIVED) {
            if (c.tag().startsWith(p)) {
                return false;
            }
        }
        return true;
    }

    static ChannelId qualityChannel(ChannelId c) {
        return new ChannelId(c.asset(), PREFIX + c.tag());
    }

    /** The asset model changed: ranges and intervals are looked up again. */
    void refreshExpectations() {
        channels.forEach((c, q) -> q.expect(expectations.apply(c)));
    }

    /**
     * @param samples samples in journal order
     * @return the quality samples of the windows they closed
     */
    List<Sample> accept(List<Sample> samples) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!watched(s.channel())) {
                continue;
            }
            ChannelQuality q = channels.computeIfAbsent(s.channel(), c -> new ChannelQuality(c, settings, expectations.apply(c)));
            QualityReport r = q.accept(s);
            if (r != null) {
                out.add(sample(r));
            }
        }
        return out;
    }

    /**
     * @param nowMicros the wall clock
     * @return a STALE sample for each channel that has just gone stale
     */
    List<Sample> checkStale(long nowMicros) {
        List<Sample> out = new ArrayList<>();
        for (ChannelQuality q : channels.values()) {
            QualityReport r = q.checkStale(nowMicros);
            if (r != null) {
                out.add(sample(r));
            }
        }
        return out;
    }

    /**
     * @param channel a channel
     * @return its last report, or null
     */
    QualityReport report(ChannelId channel) {
        ChannelQuality q = channels.get(channel);
        return q == null ? null : q.last();
    }

    /** @return the last report of every channel that has one, by channel */
    List<QualityReport> reports() {
        List<QualityReport> out = new ArrayList<>();
        for (ChannelQuality q : channels.values()) {
            if (q.last() != null) {
                out.add(q.last());
            }
        }
        out.sort(Comparator.comparing((QualityReport r) -> r.channel().asset()).thenComparing(r -> r.channel().tag()));
        return out;
    }

    private static Sample sample(QualityReport r) {
        long t = ChannelQuality.micros(r.time());
        return new Sample(qualityChannel(r.channel()), 0, t, t, Value.of(r.status().name()), Quality.GOOD);
    }
}
