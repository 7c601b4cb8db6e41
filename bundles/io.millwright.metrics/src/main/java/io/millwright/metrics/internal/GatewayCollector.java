package io.millwright.metrics.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.Alarms;
import io.millwright.analytics.api.ModelInventory;
import io.millwright.analytics.api.ModelStatus;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.journal.api.CursorStatistics;
import io.millwright.journal.api.JournalState;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.UplinkStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's figures at scrape time, read from the services' own statistics (nothing is counted twice): the
 * journal, ingest, devices, uplinks, alarms and models. Names follow Prometheus' conventions ({@code millwright_…},
 * base units, {@code _total} for counters).
 */
final class GatewayCollector implements MultiCollector {

    /** What the collector reads; each may be absent (null or empty) and is then left out. */
    interface Sources {
        JournalStatistics journal();

        IngestStatistics ingest();

        List<Device> devices();

        List<UplinkStatus> uplinks();

        Alarms alarms();

        List<ModelInventory> models();

        /** @return the data-quality reader's last report of each channel (empty without the reader) */
        default List<io.millwright.quality.api.QualityReport> quality() {
            return List.of();
        }

        /** @return the last physical-consistency judgement of each rule on each asset (empty without the reader) */
        default List<io.millwright.quality.api.ConsistencyReport> consistency() {
            return List.of();
        }
    }

    private final Sources sources;

    GatewayCollector(Sources sources) {
        this.sources = sources;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        journal(out, sources.journal());
        ingest(out, sources.ingest());
        devices(out, sources.devices());
        uplinks(out, sources.uplinks());
        alarms(out, sources.alarms());
        models(out, sources.models());
        quality(out, sources.quality());
        consistency(out, sources.consistency());
        return new MetricSnapshots(out);
    }

    private static void journal(List<MetricSnapshot> out, JournalStatistics s) {
        if (s == null) {
            return;
        }
        out.add(counter("millwright_journal_committed_samples", "samples committed to the journal since it opened", s.committedSamples()));
        out.add(counter("millwright_journal_commits", "group commits since the journal opened", s.commits()));
        out.add(counter("millwright_journal_dropped_samples", "samples the journal could not keep (reported as gaps)", s.droppedSamples()));
        out.add(counter("millwright_journal_refused_batches", "batches refused (journal full or failing)", s.refusedBatches()));
        out.add(gauge("millwright_journal_append_rate_samples_per_second", "samples committed per second, recent", s.commitRateSamplesPerSecond()));
        out.add(gauge("millwright_journal_last_commit_seconds", "duration of the last group commit", s.lastCommitMillis() / 1000.0));
        out.add(gauge("millwright_journal_queue_samples", "samples accepted and not yet committed", s.pendingSamples()));
        out.add(gauge("millwright_journal_file_bytes", "size of the journal's files", s.fileBytes()));
        out.add(gauge("millwright_journal_budget_bytes", "the journal's disk budget", s.budgetBytes()));
        out.add(gauge("millwright_journal_disk_usable_bytes", "free space the journal may still use on its filesystem", s.usableBytes()));
        out.add(gauge("millwright_journal_retained_samples", "samples the journal holds", s.retainedSamples()));
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("millwright_journal_state").help("1 for the journal's state (OK, DISK_FULL, FAILING)");
        for (JournalState js : JournalState.values()) {
            state.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("state", js.name())).value(js == s.state() ? 1 : 0).build());
        }
        out.add(state.build());
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name("millwright_journal_cursor_lag_samples").help("samples a durable reader has not read yet");
        for (CursorStatistics c : s.cursors()) {
            lag.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("cursor", c.name())).value(c.lagSamples()).build());
        }
        out.add(lag.build());
        out.add(HistogramSnapshot.builder().name("millwright_journal_commit_seconds").help("how long the journal's group commits took")
                .dataPoint(histogram(s.commitLatency(), Labels.EMPTY)).build());
    }

    /** A classic Prometheus histogram from a service's latency figures (the buckets' counts, an implied +Inf bucket last). */
    static HistogramDataPointSnapshot histogram(io.millwright.api.LatencyHistogram h, Labels labels) {
        double[] bounds = new double[h.upperBoundsSeconds().size() + 1];
        long[] counts = new long[bounds.length];
        for (int i = 0; i < bounds.length - 1; i++) {
            bounds[i] = h.upperBoundsSeconds().get(i);
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = h.counts().get(i);
        }
        return HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets.of(bounds, counts)).sum(h.sumSeconds()).build();
    }

    private static void ingest(List<MetricSnapshot> out, IngestStatistics s) {
        if (s == null) {
            return;
        }
        Map<String, IngestStatistics.Counts> by = new TreeMap<>(s.bySource());
        out.add(perSource("millwright_ingest_accepted_samples", "samples ingest accepted, per source (device)", by, IngestStatistics.Counts::accepted));
        out.add(perSource("millwright_ingest_rejected_samples", "samples ingest rejected (malformed, out of range, too far in the future)", by,
                IngestStatistics.Counts::rejected));
        out.add(perSource("millwright_ingest_bad_samples", "samples of quality BAD", by, IngestStatistics.Counts::bad));
        out.add(perSource("millwright_ingest_uncertain_samples", "samples of quality UNCERTAIN", by, IngestStatistics.Counts::uncertain));
    }

    private static CounterSnapshot perSource(String name, String help, Map<String, IngestStatistics.Counts> by,
            java.util.function.ToLongFunction<IngestStatistics.Counts> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        by.forEach((source, c) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("source", source)).value(value.applyAsLong(c)).build()));
        return b.build();
    }

    private static void devices(List<MetricSnapshot> out, List<Device> devices) {
        CounterSnapshot.Builder polls = CounterSnapshot.builder().name("millwright_device_polls").help("polls (or notifications) per device");
        CounterSnapshot.Builder samples = CounterSnapshot.builder().name("millwright_device_samples").help("samples a device delivered");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("millwright_device_errors").help("failed polls, lost connections and protocol errors");
        CounterSnapshot.Builder overruns = CounterSnapshot.builder().name("millwright_device_overruns").help("polls that did not fit their interval");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("millwright_device_state").help("1 for each device's state");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("millwright_device_poll_seconds")
                .help("how long a device's poll cycle took (request to samples handed to ingest)");
        for (Device d : devices == null ? List.<Device>of() : devices) {
            DeviceCounters c = d.counters();
            Labels l = Labels.of("device", d.id(), "driver", d.driver());
            latency.dataPoint(histogram(c.pollLatency(), l));
            polls.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(c.polls()).build());
            samples.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(c.samples()).build());
            errors.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(c.errors()).build());
            overruns.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(c.overruns()).build());
            DeviceState now = d.status().state();
            for (DeviceState s : DeviceState.values()) {
                state.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("device", d.id(), "state", s.name())).value(s == now ? 1 : 0).build());
            }
        }
        out.add(polls.build());
        out.add(samples.build());
        out.add(errors.build());
        out.add(overruns.build());
        out.add(state.build());
        out.add(latency.build());
    }

    private static void uplinks(List<MetricSnapshot> out, List<UplinkStatus> uplinks) {
        if (uplinks == null || uplinks.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder connected = GaugeSnapshot.builder().name("millwright_uplink_connected").help("1 when the uplink is connected");
        GaugeSnapshot.Builder backlog = GaugeSnapshot.builder().name("millwright_uplink_backlog_samples").help("samples committed and not yet acknowledged by the broker");
        GaugeSnapshot.Builder backlogBytes = GaugeSnapshot.builder().name("millwright_uplink_backlog_bytes").help("journal bytes not yet acknowledged");
        GaugeSnapshot.Builder age = GaugeSnapshot.builder().name("millwright_uplink_oldest_unsent_age_seconds").help("age of the oldest unsent sample");
        GaugeSnapshot.Builder rate = GaugeSnapshot.builder().name("millwright_uplink_publish_rate_samples_per_second").help("samples acknowledged per second, recent");
        GaugeSnapshot.Builder inFlight = GaugeSnapshot.builder().name("millwright_uplink_in_flight_messages").help("messages sent and not yet acknowledged");
        CounterSnapshot.Builder acked = CounterSnapshot.builder().name("millwright_uplink_acknowledged_messages").help("messages the broker acknowledged");
        CounterSnapshot.Builder reconnects = CounterSnapshot.builder().name("millwright_uplink_reconnects").help("connections made again after a loss");
        for (UplinkStatus u : uplinks) {
            Labels l = Labels.of("uplink", u.name());
            connected.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.connected() ? 1 : 0).build());
            backlog.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.backlogSamples()).build());
            backlogBytes.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.backlogBytes()).build());
            age.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.oldestUnsentAgeMillis() / 1000.0).build());
            rate.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.publishRateSamplesPerSecond()).build());
            inFlight.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(u.messagesInFlight()).build());
            acked.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(u.messagesAcknowledged()).build());
            reconnects.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(u.reconnects()).build());
        }
        out.add(connected.build());
        out.add(backlog.build());
        out.add(backlogBytes.build());
        out.add(age.build());
        out.add(rate.build());
        out.add(inFlight.build());
        out.add(acked.build());
        out.add(reconnects.build());
    }

    private static void alarms(List<MetricSnapshot> out, Alarms alarms) {
        if (alarms == null) {
            return;
        }
        long[] active = new long[5];
        long[] unacknowledged = new long[5];
        long shelved = 0;
        for (Alarm a : alarms.alarms()) {
            int p = Math.max(1, Math.min(4, a.priority()));
            if (a.active()) {
                active[p]++;
            }
            if (!a.acknowledged() && a.state() != io.millwright.alarm.api.AlarmState.NORMAL) {
                unacknowledged[p]++;
            }
            if (a.state() == io.millwright.alarm.api.AlarmState.SHELVED) {
                shelved++;
            }
        }
        GaugeSnapshot.Builder act = GaugeSnapshot.builder().name("millwright_alarms_active").help("active alarms by priority (1 highest)");
        GaugeSnapshot.Builder unack = GaugeSnapshot.builder().name("millwright_alarms_unacknowledged").help("alarms awaiting acknowledgement by priority");
        for (int p = 1; p <= 4; p++) {
            act.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("priority", Integer.toString(p))).value(active[p]).build());
            unack.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("priority", Integer.toString(p))).value(unacknowledged[p]).build());
        }
        out.add(act.build());
        out.add(unack.build());
        out.add(gauge("millwright_alarms_shelved", "alarms shelved now", shelved));
        out.add(counter("millwright_alarm_events", "alarm log entries since the log began (the flood rate is its rate)", alarms.lastSequence()));
    }

    private static void models(List<MetricSnapshot> out, List<ModelInventory> inventories) {
        if (inventories == null || inventories.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder info = GaugeSnapshot.builder().name("millwright_model_info").help("1 for the version of each model in service (and its candidate in shadow)");
        GaugeSnapshot.Builder shadow = GaugeSnapshot.builder().name("millwright_model_shadow_windows_left").help("windows a candidate still scores in shadow before it takes over");
        CounterSnapshot.Builder scores = CounterSnapshot.builder().name("millwright_model_scores").help("windows a model scored (its rate is the scores per second)");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("millwright_model_scoring_seconds")
                .help("how long scoring a window took (a candidate's shadow score included)");
        GaugeSnapshot.Builder psi = GaugeSnapshot.builder().name("millwright_model_feature_psi")
                .help("population stability index of a model's live feature values against its training reference (latest windows)");
        GaugeSnapshot.Builder outside = GaugeSnapshot.builder().name("millwright_model_feature_outside_share")
                .help("share of a model's latest live feature values outside its training range");
        GaugeSnapshot.Builder answers = GaugeSnapshot.builder().name("millwright_model_result_quantile")
                .help("a model's answers over its latest windows: 10th, 50th and 90th percentile");
        GaugeSnapshot.Builder urgencies = GaugeSnapshot.builder().name("millwright_model_urgency_share")
                .help("share of a model's latest answers by urgency");
        GaugeSnapshot.Builder retrain = GaugeSnapshot.builder().name("millwright_model_retraining_recommended")
                .help("1 while retraining is recommended: features drifted beyond the training reference (PSI above 0.25 with over 5 % outside "
                        + "the range), or the realised accuracy fell (CRITICAL recall below 50 % after 2 or more failures)");
        GaugeSnapshot.Builder judged = GaugeSnapshot.builder().name("millwright_model_realised_failures")
                .help("failures against which a model's answers were judged (since the gateway started)");
        GaugeSnapshot.Builder realised = GaugeSnapshot.builder().name("millwright_model_realised_accuracy")
                .help("a model's realised accuracy after the failures: CRITICAL and WARNING-or-worse precision and recall (0-1), anomaly detection share");
        GaugeSnapshot.Builder rulError = GaugeSnapshot.builder().name("millwright_model_realised_rul_error_hours")
                .help("a model's mean absolute remaining-life error, judged after the failures, below its training cap");
        for (ModelInventory inventory : inventories) {
            for (ModelStatus m : inventory.models()) {
                info.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "version", m.version(), "role", "in-service",
                        "feature_set", String.valueOf(m.featureSet()))).value(1).build());
                if (m.candidateVersion() != null && !m.candidateVersion().isEmpty()) {
                    info.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "version", m.candidateVersion(), "role", "shadow",
                            "feature_set", String.valueOf(m.featureSet()))).value(1).build());
                }
                shadow.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id())).value(m.shadowLeft()).build());
                scores.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("model", m.id())).value(m.scores()).build());
                latency.dataPoint(histogram(m.scoringLatency(), Labels.of("model", m.id())));
                for (ModelStatus.FeatureDrift d : m.monitoring().features()) {
                    psi.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "feature", d.feature())).value(d.psi()).build());
                    outside.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "feature", d.feature()))
                            .value(d.outsideShare()).build());
                }
                ModelStatus.ScoreDistribution d = m.monitoring().scores();
                if (d.windows() > 0) {
                    answers.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "quantile", "0.1")).value(d.p10()).build());
                    answers.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "quantile", "0.5")).value(d.p50()).build());
                    answers.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "quantile", "0.9")).value(d.p90()).build());
                    urgencies.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "urgency", "NORMAL")).value(d.normal()).build());
                    urgencies.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "urgency", "WARNING")).value(d.warning()).build());
                    urgencies.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "urgency", "CRITICAL")).value(d.critical())
                            .build());
                }
                retrain.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id()))
                        .value(m.monitoring().retraining().isEmpty() ? 0 : 1).build());
                ModelStatus.Accuracy a = m.monitoring().accuracy();
                judged.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id())).value(a.failures()).build());
                java.util.Map<String, Double> figures = new java.util.LinkedHashMap<>();
                figures.put("critical_precision", a.criticalPrecision());
                figures.put("critical_recall", a.criticalRecall());
                figures.put("warning_precision", a.warningPrecision());
                figures.put("warning_recall", a.warningRecall());
                if (m.kind() == io.millwright.analytics.api.ModelKind.ANOMALY && a.failures() > 0) {
                    figures.put("anomaly_detected", a.detected() / (double) a.failures());
                }
                figures.forEach((figure, v) -> {
                    if (Double.isFinite(v)) {
                        realised.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id(), "figure", figure)).value(v).build());
                    }
                });
                if (Double.isFinite(a.rulMaeHours())) {
                    rulError.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("model", m.id())).value(a.rulMaeHours()).build());
                }
            }
        }
        out.add(judged.build());
        out.add(realised.build());
        out.add(rulError.build());
        out.add(psi.build());
        out.add(outside.build());
        out.add(answers.build());
        out.add(urgencies.build());
        out.add(retrain.build());
        out.add(info.build());
        out.add(shadow.build());
        out.add(scores.build());
        out.add(latency.build());
    }

    private static void quality(List<MetricSnapshot> out, List<io.millwright.quality.api.QualityReport> reports) {
        if (reports == null || reports.isEmpty()) {
            return;
        }
        Map<io.millwright.quality.api.QualityStatus, Long> counts = new java.util.EnumMap<>(io.millwright.quality.api.QualityStatus.class);
        for (io.millwright.quality.api.QualityStatus st : io.millwright.quality.api.QualityStatus.values()) {
            counts.put(st, 0L);
        }
        GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("millwright_data_quality_status")
                .help("1 for each measured channel's data-quality status over its last window (OK or its most severe issue)");
        for (io.millwright.quality.api.QualityReport r : reports) {
            counts.merge(r.status(), 1L, Long::sum);
            status.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("channel", r.channel().toString(), "status", r.status().name()))
                    .value(1).build());
        }
        GaugeSnapshot.Builder channels = GaugeSnapshot.builder().name("millwright_data_quality_channels")
                .help("measured channels by data-quality status over their last window");
        counts.forEach((st, n) -> channels.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("status", st.name())).value(n).build()));
        out.add(channels.build());
        out.add(status.build());
    }

    private static void consistency(List<MetricSnapshot> out, List<io.millwright.quality.api.ConsistencyReport> reports) {
        if (reports == null || reports.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder verdict = GaugeSnapshot.builder().name("millwright_consistency_verdict")
                .help("1 for each physical-consistency rule's verdict over its last window (CONSISTENT, SENSOR_DRIFT, MACHINE_CHANGE, ...)");
        GaugeSnapshot.Builder residual = GaugeSnapshot.builder().name("millwright_consistency_residual")
                .help("measured minus what the physical-consistency rule expects, last window, in the tag's canonical unit");
        for (io.millwright.quality.api.ConsistencyReport r : reports) {
            verdict.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("asset", r.asset(), "tag", r.tag(), "verdict", r.verdict().name()))
                    .value(1).build());
            if (Double.isFinite(r.residual())) {
                residual.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("asset", r.asset(), "tag", r.tag())).value(r.residual()).build());
            }
        }
        out.add(verdict.build());
        out.add(residual.build());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
