package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.QualityLevel;
import io.millwright.api.ValueType;
import io.millwright.quality.api.ConsistencyReport;
import io.millwright.quality.api.QualityReport;
import io.millwright.quality.api.QualityStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors of every watched channel, and the {@code <asset>/q.<tag>} samples they produce: one per channel per
 * window (its status: OK or the most severe issue) and one when a channel goes stale. Not thread-safe: one reader.
 */
final class QualityEngine {

    static final String PREFIX = "q.";
    private static final Logger LOG = LoggerFactory.getLogger(QualityEngine.class);
    /** Channels the gateway derives itself: features, scores, twin, alarms, KPIs and quality. */
    private static final List<String> DERIVED = List.of("f.", "s.", "twin.", "alarm.", "kpi.", PREFIX);

    static final String CONSISTENCY = ".consistency";
    static final String RESIDUAL = ".residual";

    /** Where learnt references are kept across restarts. */
    interface ReferenceStore {
        /** Keeps nothing. */
        ReferenceStore NONE = new ReferenceStore() {
            @Override
            public String load(String key) {
                return null;
            }

            @Override
            public void save(String key, String reference) {
                // nothing
            }
        };

        /**
         * @param key a rule on an asset
         * @return its stored reference, or null
         */
        String load(String key);

        /**
         * @param key a rule on an asset
         * @param reference the reference, encoded, or null to forget it
         */
        void save(String key, String reference);
    }

    private final QualitySettings settings;
    private final Function<ChannelId, ChannelQuality.Expectation> expectations;
    private final Supplier<List<ConsistencyCheck.Definition>> definitions;
    private final ReferenceStore references;
    private final Map<ChannelId, ChannelQuality> channels = new HashMap<>();
    private final List<ConsistencyCheck> checks = new ArrayList<>();
    private final Map<ChannelId, List<Map.Entry<ConsistencyCheck, Integer>>> routes = new HashMap<>();

    QualityEngine(QualitySettings settings, Function<ChannelId, ChannelQuality.Expectation> expectations) {
        this(settings, expectations, List::of, ReferenceStore.NONE);
    }

    /**
     * @param settings thresholds
     * @param expectations each channel's range and interval
     * @param definitions the consistency rules on the assets (asked again when the model changes)
     * @param references where learnt references are kept
     */
    QualityEngine(QualitySettings settings, Function<ChannelId, ChannelQuality.Expectation> expectations,
            Supplier<List<ConsistencyCheck.Definition>> definitions, ReferenceStore references) {
        this.settings = settings;
        this.expectations = expectations;
        this.definitions = definitions;
        this.references = references;
        rebuildChecks();
    }

    /** The rules as the model says now; a check whose rule and channels did not change keeps its state. */
    private void rebuildChecks() {
        Map<ConsistencyCheck.Definition, ConsistencyCheck> before = new HashMap<>();
        checks.forEach(c -> before.put(c.definition(), c));
        checks.clear();
        for (ConsistencyCheck.Definition d : definitions.get()) {
            ConsistencyCheck c = before.get(d);
            if (c == null) {
                ConsistencyCheck.Reference stored = null;
                String text = references.load(d.key());
                if (text != null) {
                    try {
                        stored = ConsistencyCheck.Reference.decode(text, d.terms().size(), d.corroborate().size());
                    } catch (RuntimeException e) {
                        LOG.warn("data quality: the stored reference of '{}' does not fit the rule ({}); learning it again", d.key(), e.getMessage());
                    }
                }
                c = new ConsistencyCheck(d, settings.windowMicros(), settings.referenceWindows(), settings.confirmWindows(), stored);
            }
            checks.add(c);
        }
        route();
    }

    /** Which check reads which channel, in which slot: from {@link #checks}. */
    private void route() {
        routes.clear();
        for (ConsistencyCheck c : checks) {
            c.channels().forEach((channel, slots) -> slots.forEach(slot -> routes.computeIfAbsent(channel, x -> new ArrayList<>())
                    .add(Map.entry(c, slot))));
        }
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
        rebuildChecks();
    }

    /**
     * @param samples samples in journal order
     * @return the quality samples of the windows they closed
     */
    List<Sample> accept(List<Sample> samples) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            List<Map.Entry<ConsistencyCheck, Integer>> route = routes.get(s.channel());
            if (route != null && s.quality().level() != QualityLevel.BAD && numeric(s.value())) {
                double v = s.value().asDouble();
                for (Map.Entry<ConsistencyCheck, Integer> e : route) {
                    e.getKey().accept(e.getValue(), s.sourceTimeMicros(), v);
                }
            }
            if (!watched(s.channel())) {
                continue;
            }
            ChannelQuality q = channels.computeIfAbsent(s.channel(), c -> new ChannelQuality(c, settings, expectations.apply(c)));
            QualityReport r = q.accept(s);
            if (r != null) {
                if (route != null) {
                    r = judge(s.channel(), q, r, route, out);
                }
                out.add(sample(r));
            }
        }
        return out;
    }

    private static boolean numeric(Value v) {
        ValueType t = v.type();
        return t == ValueType.DOUBLE || t == ValueType.LONG || t == ValueType.WAVEFORM;
    }

    /** The consistency rules on a measured channel whose window closed: their verdict, and DRIFT in its report if drifting. */
    private QualityReport judge(ChannelId channel, ChannelQuality q, QualityReport r, List<Map.Entry<ConsistencyCheck, Integer>> route,
            List<Sample> out) {
        QualityReport report = r;
        for (Map.Entry<ConsistencyCheck, Integer> e : route) {
            ConsistencyCheck check = e.getKey();
            if (e.getValue() != 0 || !check.definition().target().channel().equals(channel)) {
                continue;
            }
            boolean learning = check.reference() == null;
            ConsistencyReport c = check.close(ChannelQuality.micros(r.time()));
            if (c == null) {
                continue;
            }
            if (learning && check.reference() != null) {
                try {
                    references.save(check.definition().key(), check.reference().encode());
                } catch (RuntimeException ex) {
                    LOG.warn("data quality: the reference of '{}' is kept in memory only: {}", check.definition().key(), ex.getMessage());
                }
                LOG.info("data quality: learnt the reference of '{}' over {} windows (residual sigma {})", check.definition().key(),
                        check.reference().windows(), check.reference().sigma());
            }
            long t = ChannelQuality.micros(c.time());
            out.add(new Sample(new ChannelId(channel.asset(), PREFIX + channel.tag() + CONSISTENCY), 0, t, t, Value.of(c.verdict().name()),
                    Quality.GOOD));
            if (Double.isFinite(c.residual())) {
                out.add(new Sample(new ChannelId(channel.asset(), PREFIX + channel.tag() + RESIDUAL), 0, t, t, Value.of(c.residual()),
                        Quality.GOOD));
            }
            if (c.verdict() == ConsistencyReport.Verdict.SENSOR_DRIFT && !report.issues().contains(QualityStatus.DRIFT)) {
                List<QualityStatus> issues = new ArrayList<>(report.issues());
                issues.add(QualityStatus.DRIFT);
                issues.sort(Comparator.naturalOrder());
                report = new QualityReport(report.channel(), report.time(), issues.get(0), issues, report.samples(), report.badShare(),
                        report.uncertainShare(), report.outOfRangeShare(), report.duplicates(), report.timeRegressions(), report.jitter(),
                        report.staleSeconds(), report.lastSample());
                q.amend(report);
            }
        }
        return report;
    }

    /**
     * @param asset an asset
     * @param tag the measured tag of one of its rules
     * @return false if there is no such rule; else its reference is forgotten and learnt again
     */
    boolean relearn(String asset, String tag) {
        for (int i = 0; i < checks.size(); i++) {
            ConsistencyCheck.Definition d = checks.get(i).definition();
            if (d.asset().equals(asset) && d.rule().tag().equals(tag)) {
                references.save(d.key(), null);
                checks.set(i, new ConsistencyCheck(d, settings.windowMicros(), settings.referenceWindows(), settings.confirmWindows(), null));
                route();
                LOG.info("data quality: the reference of '{}' is forgotten and learnt again", d.key());
                return true;
            }
        }
        return false;
    }

    /** @return the last judgement of every consistency rule that has one, by asset and tag */
    List<ConsistencyReport> consistency() {
        List<ConsistencyReport> out = new ArrayList<>();
        for (ConsistencyCheck c : checks) {
            if (c.last() != null) {
                out.add(c.last());
            }
        }
        out.sort(Comparator.comparing(ConsistencyReport::asset).thenComparing(ConsistencyReport::tag));
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
