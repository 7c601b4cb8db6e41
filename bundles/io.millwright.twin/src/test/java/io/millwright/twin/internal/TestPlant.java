package io.millwright.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Criticality;
import io.millwright.asset.api.Provenance;
import io.millwright.asset.api.TwinRules;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A pump in a real journal, an asset model made of API records, a sink that appends to the journal, a clock tests move. */
final class TestPlant {

    static final long T0 = 1_800_000_000_000L;

    /** A clock tests set. */
    static final class TestClock extends Clock {
        volatile long millis = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** Appends to the journal as ingest would (ingest time = source time, so tests control both). */
    static final class JournalSink implements SampleSink {
        final MapDbJournal journal;

        JournalSink(MapDbJournal journal) {
            this.journal = journal;
        }

        @Override
        public SubmitResult submit(SampleBatch batch) {
            List<Sample> stamped = batch.samples().stream().map(s -> s.ingested(s.sourceTimeMicros(), s.quality())).toList();
            var appended = journal.append(new SampleBatch(batch.source(), stamped));
            if (!appended.accepted()) {
                return SubmitResult.OVERRUN;
            }
            // committed before the reader goes on: a test reading the journal right after a step sees what the step wrote
            // (theBearingsStory once read the twin states before the group commit had taken the last one)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (journal.statistics().committedTicket() < appended.firstTicket()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not committed within 10 s");
                }
                Thread.onSpinWait();
            }
            return SubmitResult.ACCEPTED;
        }

        @Override
        public IngestStatistics statistics() {
            throw new UnsupportedOperationException();
        }
    }

    /** A fixed model. */
    static final class Model implements AssetModel {
        volatile List<Asset> assets;
        volatile List<AssetClass> classes;
        volatile long revision = 1;

        Model(List<AssetClass> classes, List<Asset> assets) {
            this.classes = classes;
            this.assets = assets;
        }

        public List<Asset> assets() {
            return assets;
        }

        public Optional<Asset> asset(String id) {
            return assets.stream().filter(a -> a.id().equals(id)).findFirst();
        }

        public List<AssetClass> classes() {
            return classes;
        }

        public Optional<AssetClass> assetClass(String name) {
            return classes.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public Optional<Binding> binding(ChannelId source) {
            return Optional.empty();
        }

        public Optional<Provenance> provenance(ChannelId source) {
            return Optional.empty();
        }

        public List<String> problems() {
            return List.of();
        }

        public long revision() {
            return revision;
        }
    }

    static final List<String> PUMP_ALARMS = List.of(
            "bearing_temperature_hi HI bearing_temperature limit=85 deadband=3 onDelay=10s priority=2 suppressWhen=stopped,tripped,maintenance",
            "flow_lo LO flow limit=60 priority=3 suppressWhen=stopped,tripped,maintenance",
            "rul_urgency STATE rul_urgency states=WARNING:3,CRITICAL:1",
            "trip STATE trip_reason states=*:1",
            "speed_stale STALE speed limit=3 priority=4");

    static Model pumpModel() {
        AssetClass pump = new AssetClass("pump", "Centrifugal pump", List.of(), PUMP_ALARMS.stream().map(AlarmDefinition::parse).toList(),
                Map.of("rul_urgency", new Alarm.Runbook("Plan a bearing change", "https://wiki.example/pump-bearing")),
                new TwinRules("running", "trip_reason", "speed", 100, "rul", "rul_urgency", "lineage"));
        List<AssetTag> tags = Stream.of("speed rpm 1000", "speed_setpoint rpm 0", "flow m3/h 1000", "bearing_temperature Cel 1000", "running  1000",
                "trip_reason  0", "rul h 0", "rul_urgency  0", "lineage  0").map(line -> {
                    String[] p = line.split(" ", -1);
                    String source = p[0].equals("rul_urgency") ? "s.pump-bearing.rul.urgency" : p[0];
                    return new AssetTag(p[0], new ChannelId("pump-1", source), p[1], p[1], 1, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                            Long.parseLong(p[p.length - 1]), "", p[0].equals("speed_setpoint"));
                }).toList();
        Asset a = new Asset("pump-1", "Pump 1", "demo", "utilities", "water-1", "pump", Criticality.A, List.of(), tags,
                pump.alarms(), "");
        return new Model(List.of(pump), List.of(a));
    }

    static MapDbJournal journal(Path dir) {
        return new MapDbJournal(new Settings(dir, Duration.ofMillis(5), 100_000, 1L << 30, 100, 1L << 20, 64L << 20), Clock.systemUTC());
    }

    /** Appends samples of pump-1 at a source time (ms) and waits until they are committed. */
    static void write(MapDbJournal journal, long timeMs, Object... tagValues) throws InterruptedException {
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < tagValues.length; i += 2) {
            String tag = (String) tagValues[i];
            Object v = tagValues[i + 1];
            Value value = v instanceof Boolean b ? Value.of(b) : v instanceof String s ? Value.of(s) : Value.of(((Number) v).doubleValue());
            String source = tag.equals("rul_urgency") ? "s.pump-bearing.rul.urgency" : tag;
            batch.add(Sample.of(new ChannelId("pump-1", source), timeMs * 1000, value, Quality.GOOD).ingested(timeMs * 1000, Quality.GOOD));
        }
        var appended = journal.append(new SampleBatch("test", batch));
        assertThat(appended.accepted()).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (journal.statistics().committedTicket() < appended.firstTicket()) {
            assertThat(System.nanoTime()).as("committed within 10 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private TestPlant() {
    }
}
