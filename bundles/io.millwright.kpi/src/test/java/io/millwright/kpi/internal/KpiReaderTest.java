package io.millwright.kpi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Criticality;
import io.millwright.asset.api.TwinRules;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.kpi.api.CostModel;
import io.millwright.kpi.api.Granularity;
import io.millwright.kpi.api.KpiPeriod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI reader over a real journal and a real store, against a closed-form scenario: pump-1 runs 06:00–12:00 with two
 * trips (07:00–07:20 bearing failure, 09:20–09:30 overload) and a planned maintenance (10:00–10:30), counts 100 units
 * a minute while running with 1 % rejects, uses 50 kWh an hour while running; the reader is stopped and started again
 * in the middle. Every figure is known exactly.
 */
class KpiReaderTest {

    static final long T0 = Instant.parse("2027-01-04T06:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    @TempDir
    Path dir;
    private MapDbJournal journal;
    private KpiStore store;
    private JournalCursor cursor;
    private KpiReader reader;
    private KpiEngine.Setup setup;
    private final List<String> problems = new ArrayList<>();

    @BeforeEach
    void start() {
        journal = new MapDbJournal(new Settings(dir.resolve("journal"), Duration.ofMillis(5), 100_000, 1L << 30, 100, 1L << 20, 64L << 20),
                Clock.systemUTC());
        AssetClass pump = new AssetClass("pump", "Pump", List.of(), List.of(), Map.of(),
                new TwinRules("running", "trip_reason", "speed", 100, "", "", ""));
        List<AssetTag> tags = Stream.of("running", "trip_reason", "production_count", "reject_count", "energy", "speed")
                .map(t -> new AssetTag(t, new ChannelId("pump-1", t), "", "", 1, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1000, "",
                        false)).toList();
        Asset asset = new Asset("pump-1", "Pump 1", "demo", "utilities", "water-1", "pump", Criticality.A, List.of(), tags, List.of(), "");
        KpiClass k = new KpiClass("pump", "production_count", "", "reject_count", "energy", "", 8000, "{units}");
        CostModel cost = new CostModel("pump-1", "EUR", 1200, 0.2, 2000, 2, 9000);
        Calendar cal = new Calendar(ZoneOffset.UTC, 15, Calendar.parseShifts(new String[] {"early 06:00", "late 14:00", "night 22:00"}));
        setup = KpiComponent.build(List.of(asset), n -> pump, Map.of("pump", k), Map.of("pump-1", cost), cal, 120_000, problems);
        open();
    }

    private void open() {
        store = KpiStore.open(dir.resolve("kpi"), Clock.systemUTC());
        cursor = journal.openCursor("kpi", StartAt.EARLIEST);
        reader = new KpiReader(store, cursor, new JournalSink(journal), Clock.systemUTC(), () -> setup);
    }

    private void restart() {
        reader.close();
        cursor.close();
        store.close();
        open();
    }

    @AfterEach
    void stop() {
        reader.close();
        cursor.close();
        store.close();
        journal.close();
    }

    /** The pump's state at a time (minutes after 06:00) and its trip reason. */
    private static String state(long m) {
        if (m >= 60 && m < 80 || m >= 200 && m < 210) {
            return "TRIPPED";
        }
        return m >= 240 && m < 270 ? "MAINTENANCE" : "RUNNING";
    }

    private static String reason(long m) {
        return m >= 60 && m < 80 ? "bearing failure: outer race defect" : m >= 200 && m < 210 ? "overload" : "";
    }

    /** Writes the scenario's samples every 30 s from minute {@code fromMin} (inclusive) to {@code toMin} (exclusive). */
    private void scenario(long fromMin, long toMin) throws InterruptedException {
        double produced = 0;
        double rejected = 0;
        double energy = 0;
        String last = "";
        for (long t = 0; t < toMin * MIN; t += 30_000) {
            String s = state(t / MIN);
            if (t > 0 && state((t - 30_000) / MIN).equals("RUNNING")) {
                produced += 50;
                rejected += 0.5;
                energy += 50.0 / 120;
            }
            if (t < fromMin * MIN) {
                last = s;
                continue;
            }
            long at = T0 + t;
            List<Sample> batch = new ArrayList<>();
            batch.add(sample("trip_reason", at, Value.of(reason(t / MIN))));
            batch.add(sample("running", at, Value.of(s.equals("RUNNING"))));
            batch.add(sample("production_count", at, Value.of(produced)));
            batch.add(sample("reject_count", at, Value.of(rejected)));
            batch.add(sample("energy", at, Value.of(energy)));
            if (!s.equals(last)) {
                batch.add(sample("twin.state", at, Value.of(s)));
                last = s;
            }
            var appended = journal.append(new SampleBatch("test", batch));
            assertThat(appended.accepted()).isTrue();
        }
        // the end: one more sample at toMin closes the time
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (journal.statistics().pendingSamples() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        while (reader.step() > 0) {
            // read everything
        }
    }

    private static Sample sample(String tag, long atMs, Value v) {
        return Sample.of(new ChannelId("pump-1", tag), atMs * 1000, v, Quality.GOOD).ingested(atMs * 1000, Quality.GOOD);
    }

    @Test
    void aKnownTripScheduleGivesExactAvailabilityMtbfMttrOeeEnergyAndCostsAcrossARestart() throws Exception {
        assertThat(problems).isEmpty();
        scenario(0, 150);
        restart();
        scenario(150, 360);
        writeEnd(360);

        List<KpiPeriod> shifts = reader.asset("pump-1", Granularity.SHIFT, T0, T0 + 360 * MIN);
        assertThat(shifts).hasSize(1);
        KpiPeriod p = shifts.get(0);
        assertThat(p.label()).isEqualTo("2027-01-04 early");
        assertThat(p.observedMs()).isEqualTo(360 * MIN);
        assertThat(p.plannedDowntimeMs()).isEqualTo(30 * MIN);
        assertThat(p.plannedBusyMs()).isEqualTo(330 * MIN);
        assertThat(p.runMs()).isEqualTo(300 * MIN);
        assertThat(p.downtimeMs()).isEqualTo(30 * MIN);
        assertThat(p.downtimeByReason()).containsExactlyInAnyOrderEntriesOf(Map.of("bearing failure: outer race defect", 20 * MIN, "overload", 10 * MIN));
        assertThat(p.availability()).isCloseTo(300.0 / 330, within(1e-12));
        assertThat(p.failures()).isEqualTo(2);
        assertThat(p.repairs()).isEqualTo(2);
        assertThat(p.mtbfHours()).isCloseTo(2.5, within(1e-12));
        assertThat(p.mttrHours()).isCloseTo(0.25, within(1e-12));
        assertThat(p.producedQuantity()).isCloseTo(30_000, within(1e-6));
        assertThat(p.goodQuantity()).isCloseTo(29_700, within(1e-6));
        assertThat(p.performance()).isCloseTo(0.75, within(1e-9));
        assertThat(p.quality()).isCloseTo(0.99, within(1e-9));
        assertThat(p.oee()).isCloseTo(300.0 / 330 * 0.75 * 0.99, within(1e-9));
        assertThat(p.energyKwh()).isCloseTo(250, within(1e-6));
        assertThat(p.energyPerUnit()).isCloseTo(250.0 / 30_000, within(1e-12));
        assertThat(p.currency()).isEqualTo("EUR");
        assertThat(p.downtimeCost()).isCloseTo(600, within(1e-9));
        assertThat(p.energyCost()).isCloseTo(50, within(1e-6));
        // per failure: 9000 + 1200 × 0.25 h (measured MTTR) − 2000 − 1200 × 2 h = 4900
        assertThat(p.savingIfPlanned()).isCloseTo(9800, within(1e-6));

        List<KpiPeriod> hours = reader.asset("pump-1", Granularity.HOUR, T0, T0 + 360 * MIN);
        assertThat(hours).extracting(KpiPeriod::label).containsExactly("2027-01-04T06:00", "2027-01-04T07:00", "2027-01-04T08:00",
                "2027-01-04T09:00", "2027-01-04T10:00", "2027-01-04T11:00");
        KpiPeriod seven = hours.get(1);
        assertThat(seven.runMs()).isEqualTo(40 * MIN);
        assertThat(seven.availability()).isCloseTo(40.0 / 60, within(1e-12));
        assertThat(seven.failures()).isEqualTo(1); // the trip began at 07:00:00: in the hour that starts then
        assertThat(seven.repairs()).isEqualTo(1);
        assertThat(seven.mttrHours()).isCloseTo(20.0 / 60, within(1e-12));
        assertThat(hours.get(0).failures()).isZero();
        assertThat(hours.get(0).availability()).isEqualTo(1.0);
        KpiPeriod ten = hours.get(4);
        assertThat(ten.plannedBusyMs()).isEqualTo(30 * MIN);
        assertThat(ten.availability()).isEqualTo(1.0);

        List<KpiPeriod> days = reader.asset("pump-1", Granularity.DAY, T0, T0 + 360 * MIN);
        assertThat(days).hasSize(1);
        assertThat(days.get(0).runMs()).isEqualTo(300 * MIN);
        List<KpiPeriod> line = reader.line("water-1", List.of("pump-1"), Granularity.DAY, T0, T0 + 360 * MIN);
        assertThat(line.get(0).oee()).isCloseTo(p.oee(), within(1e-12));
        assertThat(line.get(0).savingIfPlanned()).isCloseTo(9800, within(1e-6));

        // the KPI channels: per finished 15-minute bucket (24), at the bucket's end; the two buckets in maintenance have
        // no planned busy time, so no OEE; the bucket tripped throughout has OEE 0
        List<Sample> oee = journalSamples("pump-1/kpi.oee");
        assertThat(oee).hasSize(22);
        assertThat(oee.get(4).value().asDouble()).isEqualTo(0.0);
        assertThat(journalSamples("pump-1/kpi.availability")).hasSize(22);
        assertThat(oee.get(0).sourceTimeMicros()).isEqualTo((T0 + 15 * MIN) * 1000);
        assertThat(journalSamples("pump-1/kpi.availability").get(4).value().asDouble()).as("07:00-07:15: tripped").isEqualTo(0.0);
    }

    @Test
    void aStateChangeJournaledAfterLaterSamplesGetsItsTimeBack() throws Exception {
        // as in the gateway: the twin journals a change of state a poll or two after the raw samples of that time
        for (long s = 0; s <= 120; s++) {
            long at = T0 + s * 1000;
            List<Sample> batch = new ArrayList<>();
            batch.add(sample("trip_reason", at, Value.of(s >= 60 && s < 90 ? "overload" : "")));
            batch.add(sample("running", at, Value.of(s < 60 || s >= 90)));
            if (s == 0) {
                batch.add(sample("twin.state", at, Value.of("RUNNING")));
            }
            if (s == 62) {
                batch.add(sample("twin.state", T0 + 60_000, Value.of("TRIPPED")));
            }
            if (s == 91) {
                batch.add(sample("twin.state", T0 + 90_000, Value.of("RUNNING")));
            }
            assertThat(journal.append(new SampleBatch("test", batch)).accepted()).isTrue();
        }
        while (journal.statistics().pendingSamples() > 0) {
            Thread.sleep(5);
        }
        while (reader.step() > 0) {
            // read everything
        }
        KpiPeriod p = reader.asset("pump-1", Granularity.DAY, T0, T0 + 3_600_000).get(0);
        assertThat(p.runMs()).isEqualTo(90_000);
        assertThat(p.downtimeByReason()).isEqualTo(Map.of("overload", 30_000L));
        assertThat(p.availability()).isEqualTo(0.75);
        assertThat(p.failures()).isEqualTo(1);
        assertThat(p.repairMs()).isEqualTo(30_000);
    }

    /** The counters at the scenario's end close its time (the buckets up to it are finished). */
    private void writeEnd(long minute) throws InterruptedException {
        long at = T0 + minute * MIN;
        journal.append(new SampleBatch("test", List.of(sample("running", at, Value.of(true)), sample("production_count", at, Value.of(30_000.0)),
                sample("reject_count", at, Value.of(300.0)), sample("energy", at, Value.of(250.0)))));
        while (journal.statistics().pendingSamples() > 0) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        while (reader.step() > 0) {
            // read everything
        }
        Thread.sleep(50);
        reader.step();
    }

    private List<Sample> journalSamples(String channel) throws InterruptedException {
        Thread.sleep(100);
        ChannelId id = ChannelId.parse(channel);
        List<Sample> out = new ArrayList<>();
        Map<Long, Boolean> seen = new HashMap<>();
        try (JournalCursor c = journal.openCursor("check", StartAt.EARLIEST)) {
            long pos = c.position();
            while (true) {
                var read = c.readFrom(pos, 4096);
                if (read.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : read.entries()) {
                    for (Sample s : e.samples()) {
                        if (s.channel().equals(id) && seen.put(s.sourceTimeMicros(), Boolean.TRUE) == null) {
                            out.add(s);
                        }
                    }
                }
                pos = read.nextPosition();
            }
        }
        return out;
    }

    /** Appends to the journal as ingest would. */
    static final class JournalSink implements SampleSink {
        final MapDbJournal journal;

        JournalSink(MapDbJournal journal) {
            this.journal = journal;
        }

        @Override
        public SubmitResult submit(SampleBatch batch) {
            List<Sample> stamped = batch.samples().stream().map(s -> s.ingested(s.sourceTimeMicros(), s.quality())).toList();
            return journal.append(new SampleBatch(batch.source(), stamped)).accepted() ? SubmitResult.ACCEPTED : SubmitResult.OVERRUN;
        }

        @Override
        public IngestStatistics statistics() {
            throw new UnsupportedOperationException();
        }
    }
}
