package io.millwright.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.ScoringModel;
import io.millwright.analytics.api.Urgency;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.ingest.internal.SampleIngest;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming component on a real journal and ingest: windows, scores written back, one score per model id. */
class FeatureStreamTest {

    private static final long SECOND = 1_000_000L;

    @TempDir
    Path dir;
    private MapDbJournal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    /** Returns the window's mean speed as hours; counts its calls. */
    private record Echo(String id, FeatureSetDefinition featureSet, AtomicInteger calls) implements ScoringModel {
        @Override public String version() { return "1"; }
        @Override public String sha256() { return "0".repeat(64); }
        @Override public ModelKind kind() { return ModelKind.REMAINING_USEFUL_LIFE; }

        @Override
        public Score score(FeatureVector v) {
            calls.incrementAndGet();
            return new Score(v.asset(), id, version(), sha256(), kind(), featureSet.name(), featureSet.version(), v.window(), "test", v.value("speed.mean"),
                    "NORMAL", Urgency.NORMAL, "none");
        }
    }

    @Test
    void everyWindowIsScoredOncePerModelIdAndWrittenBackThroughIngest() throws Exception {
        SampleIngest ingest = journalAndIngest();
        FeatureSetDefinition set = new FeatureSetDefinition("t", 1, 10 * SECOND, 10 * SECOND, List.of("speed.mean"));
        FeatureStream stream = new FeatureStream(journal, ingest, config("t", 10, 10, "speed.mean"));
        AtomicInteger first = new AtomicInteger();
        AtomicInteger twin = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        stream.addModel(new Echo("m", set, first));
        stream.addModel(new Echo("m", set, twin)); // a second service with the same id: must not score the window again
        stream.addModel(new Echo("n", set, other));
        stream.addModel(new Echo("x", new FeatureSetDefinition("t", 2, 10 * SECOND, 10 * SECOND, List.of("speed.mean")), new AtomicInteger()));
        JournalCursor reader = journal.openCursor("test", Journal.StartAt.LATEST);
        long t0 = 1_790_000_000L * SECOND; // on the 10 s grid
        for (int s = 0; s <= 60; s++) {
            ingest.submit(new SampleBatch("test", List.of(Sample.of(new ChannelId("a", "speed"), t0 + s * SECOND, Value.of(100.0 + s / 10), Quality.GOOD))));
        }
        List<Sample> seen = new ArrayList<>();
        drainUntil(reader, seen, () -> stream.windows() >= 6 && stream.scores() >= 12 && count(seen, "s.t.n.result") >= 6);
        stream.deactivate();
        assertThat(stream.windows()).isEqualTo(6);
        assertThat(first.get() + twin.get()).as("model id m scored each window once").isEqualTo(6);
        assertThat(other.get()).isEqualTo(6);
        List<Sample> results = seen.stream().filter(x -> x.channel().tag().equals("s.t.m.result")).toList();
        assertThat(results).extracting(Sample::sourceTimeMicros).containsExactly(t0 + 10 * SECOND, t0 + 20 * SECOND, t0 + 30 * SECOND,
                t0 + 40 * SECOND, t0 + 50 * SECOND, t0 + 60 * SECOND);
        assertThat(results).extracting(x -> x.value().asDouble()).containsExactly(100.0, 101.0, 102.0, 103.0, 104.0, 105.0);
        assertThat(seen).filteredOn(x -> x.channel().tag().equals("s.t.m.lineage")).allSatisfy(x -> assertThat(((StringValue) x.value()).value())
                .contains("model=m version=1", "featureSet=t@1"));
        assertThat(seen).noneMatch(x -> x.channel().tag().contains(".x."));
        assertThat(seen).filteredOn(x -> x.channel().tag().equals("f.t.speed.mean")).hasSize(6);
    }

    @Test
    void aRestartNeitherLosesTheWindowsThatWereOpenNorComputesTheFinishedOnesAgain() throws Exception {
        SampleIngest ingest = journalAndIngest();
        JournalCursor reader = journal.openCursor("test", Journal.StartAt.LATEST);
        long t0 = 1_790_000_000L * SECOND;
        // 10 s windows every 5 s: when the first stream stops at t = 32 s, [25, 35) and [30, 40) are open
        FeatureStream first = new FeatureStream(journal, ingest, config("r", 10, 5, "speed.count"));
        for (int s = 0; s <= 32; s++) {
            ingest.submit(new SampleBatch("test", List.of(Sample.of(new ChannelId("a", "speed"), t0 + s * SECOND, Value.of(1.0), Quality.GOOD))));
        }
        List<Sample> seen = new ArrayList<>();
        drainUntil(reader, seen, () -> first.windows() == 5 && count(seen, "f.r.speed.count") == 5);
        first.deactivate();
        for (int s = 33; s <= 60; s++) {
            ingest.submit(new SampleBatch("test", List.of(Sample.of(new ChannelId("a", "speed"), t0 + s * SECOND, Value.of(1.0), Quality.GOOD))));
        }
        FeatureStream second = new FeatureStream(journal, ingest, config("r", 10, 5, "speed.count"));
        drainUntil(reader, seen, () -> count(seen, "f.r.speed.count") == 11);
        settle(second, reader, seen); // everything read: a window computed twice would be in seen now
        second.deactivate();
        List<Sample> counts = seen.stream().filter(x -> x.channel().tag().equals("f.r.speed.count")).toList();
        assertThat(counts).extracting(x -> (x.sourceTimeMicros() - t0) / SECOND).as("window ends, each once")
                .containsExactly(10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L, 50L, 55L, 60L);
        assertThat(counts).extracting(x -> x.value().asDouble()).as("every window whole: ten one-second samples").containsOnly(10.0);
    }

    @Test
    void windowsInWhichTheMachineDidNotRunThroughoutGetFeaturesButNoScores() throws Exception {
        SampleIngest ingest = journalAndIngest();
        FeatureSetDefinition set = new FeatureSetDefinition("g", 1, 10 * SECOND, 10 * SECOND, List.of("speed.mean"));
        FeatureStream stream = new FeatureStream(journal, ingest, config("g", 10, 10, "speed.mean", "running"));
        AtomicInteger calls = new AtomicInteger();
        stream.addModel(new Echo("m", set, calls));
        JournalCursor reader = journal.openCursor("test", Journal.StartAt.LATEST);
        long t0 = 1_790_000_000L * SECOND;
        // runs for 25 s, stops (a trip), runs again from 40 s
        for (int s = 0; s <= 60; s++) {
            boolean running = s < 25 || s >= 40;
            ingest.submit(new SampleBatch("test", List.of(
                    Sample.of(new ChannelId("a", "speed"), t0 + s * SECOND, Value.of(running ? 1480.0 : 0.0), Quality.GOOD),
                    Sample.of(new ChannelId("a", "running"), t0 + s * SECOND, Value.of(running), Quality.GOOD))));
        }
        List<Sample> seen = new ArrayList<>();
        drainUntil(reader, seen, () -> count(seen, "f.g.speed.mean") == 6);
        settle(stream, reader, seen);
        stream.deactivate();
        assertThat(seen).filteredOn(x -> x.channel().tag().equals("s.g.m.result")).extracting(x -> (x.sourceTimeMicros() - t0) / SECOND)
                .as("scored: the windows ending at 10, 20 (running) and 50, 60 (running again); not 30, 40").containsExactly(10L, 20L, 50L, 60L);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(stream.notRunning()).isEqualTo(2);
    }

    @Test
    void twoFeatureSetsSharingAFeatureOnOneAssetWriteSeparateChannels() throws Exception {
        SampleIngest ingest = journalAndIngest();
        FeatureStream fast = new FeatureStream(journal, ingest, config("fast", 10, 5, "speed.mean"));
        FeatureStream slow = new FeatureStream(journal, ingest, config("slow", 20, 20, "speed.mean"));
        JournalCursor reader = journal.openCursor("test", Journal.StartAt.LATEST);
        long t0 = 1_790_000_000L * SECOND;
        for (int s = 0; s <= 60; s++) {
            ingest.submit(new SampleBatch("test", List.of(Sample.of(new ChannelId("a", "speed"), t0 + s * SECOND, Value.of((double) s), Quality.GOOD))));
        }
        List<Sample> seen = new ArrayList<>();
        drainUntil(reader, seen, () -> count(seen, "f.fast.speed.mean") == 11 && count(seen, "f.slow.speed.mean") == 3);
        settle(fast, reader, seen);
        settle(slow, reader, seen);
        fast.deactivate();
        slow.deactivate();
        assertThat(seen).filteredOn(x -> x.channel().tag().equals("f.fast.speed.mean")).extracting(x -> (x.sourceTimeMicros() - t0) / SECOND)
                .as("10 s windows every 5 s").containsExactly(10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L, 50L, 55L, 60L);
        assertThat(seen).filteredOn(x -> x.channel().tag().equals("f.slow.speed.mean")).extracting(x -> x.value().asDouble())
                .as("20 s windows: means of 0..19, 20..39, 40..59").containsExactly(9.5, 29.5, 49.5);
        assertThat(seen).filteredOn(x -> x.channel().tag().startsWith("f.")).extracting(x -> x.channel().tag())
                .containsOnly("f.fast.speed.mean", "f.slow.speed.mean");
    }

    @Test
    void aSecondStreamOfTheSameFeatureSetIsRefusedWhileTheFirstRuns() {
        SampleIngest ingest = journalAndIngest();
        FeatureStream first = new FeatureStream(journal, ingest, config("one", 10, 10, "speed.mean"));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FeatureStream(journal, ingest, config("one", 10, 10, "speed.mean")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("features-one");
        } finally {
            first.deactivate();
        }
        new FeatureStream(journal, ingest, config("one", 10, 10, "speed.mean")).deactivate(); // given back at deactivation
    }

    /** Waits until the stream has read the whole journal and its results are committed, then drains the reader to the end. */
    private void settle(FeatureStream stream, JournalCursor reader, List<Sample> seen) throws InterruptedException {
        drainUntil(reader, seen, () -> {
            var st = journal.statistics();
            return st.pendingSamples() == 0 && stream.readPosition() == st.endPosition() && reader.position() == st.endPosition();
        });
    }

    private static long count(List<Sample> seen, String tag) {
        return seen.stream().filter(x -> x.channel().tag().equals(tag)).count();
    }

    private static void drainUntil(JournalCursor reader, List<Sample> seen, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
            JournalRead r = reader.read(10_000);
            for (JournalEntry e : r.entries()) {
                seen.addAll(e.samples());
            }
            reader.advance(r.nextPosition());
            Thread.sleep(20);
        }
    }

    private SampleIngest journalAndIngest() {
        journal = new MapDbJournal(new Settings(dir, Duration.ofMillis(10), 10_000, 1L << 30, 4096), Clock.systemUTC());
        return new SampleIngest(journal, new SampleIngest.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SampleIngest.Config.class; }
            @Override public long maxFutureSkewMs() { return 300_000; }
        });
    }

    private static FeatureStream.Config config(String name, int window, int hop, String feature) {
        return config(name, window, hop, feature, "");
    }

    private static FeatureStream.Config config(String name, int window, int hop, String feature, String runningTag) {
        return new FeatureStream.Config() {
            @Override public Class<? extends Annotation> annotationType() { return FeatureStream.Config.class; }
            @Override public String featureSet() { return name; }
            @Override public int version() { return 1; }
            @Override public int windowSeconds() { return window; }
            @Override public int hopSeconds() { return hop; }
            @Override public String[] features() { return new String[] {feature}; }
            @Override public String[] assets() { return new String[] {"a"}; }
            @Override public int pollIntervalMs() { return 10; }
            @Override public String runningTag() { return runningTag; }
        };
    }
}
