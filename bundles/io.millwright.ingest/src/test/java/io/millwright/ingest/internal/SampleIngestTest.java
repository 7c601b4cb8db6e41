package io.millwright.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.ingest.api.IngestStatistics.Counts;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.AppendResult;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalStatistics;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleIngestTest {

    /** Records appends; refuses them while {@code full} is set. The real journal is exercised in itests. */
    static final class RecordingJournal implements Journal {
        final List<SampleBatch> appended = new ArrayList<>();
        boolean full;
        boolean diskFull;

        @Override
        public AppendResult append(SampleBatch batch) {
            if (full) {
                return AppendResult.FULL;
            }
            if (diskFull) {
                return AppendResult.DISK_FULL;
            }
            appended.add(batch);
            return new AppendResult(true, appended.size());
        }

        @Override
        public JournalCursor openCursor(String name, StartAt startAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean deleteCursor(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JournalStatistics statistics() {
            throw new UnsupportedOperationException();
        }
    }

    static SampleIngest.Config config(long skewMs) {
        return new SampleIngest.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SampleIngest.Config.class;
            }

            @Override
            public long maxFutureSkewMs() {
                return skewMs;
            }
        };
    }

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ChannelId CH = ChannelId.parse("motor-1/current");

    @Test
    void acceptedSamplesGetIngestTimeAndAreCountedPerSource() {
        RecordingJournal journal = new RecordingJournal();
        SampleIngest ingest = new SampleIngest(journal, config(300_000), Clock.fixed(NOW, ZoneOffset.UTC));
        long t = NOW.toEpochMilli() * 1000;
        SubmitResult r = ingest.submit(new SampleBatch("plc1", List.of(
                Sample.of(CH, t, Value.of(12.5), Quality.GOOD),
                Sample.of(CH, t, Value.of(Double.NaN), Quality.GOOD))));

        assertThat(r).isEqualTo(SubmitResult.ACCEPTED);
        List<Sample> stored = journal.appended.get(0).samples();
        assertThat(stored).extracting(Sample::ingestTimeMicros).containsOnly(t);
        assertThat(stored.get(1).quality().level()).isEqualTo(QualityLevel.BAD);
        Counts counts = ingest.statistics().bySource().get("plc1");
        assertThat(counts.accepted()).isEqualTo(2);
        assertThat(counts.bad()).isEqualTo(1);
    }

    @Test
    void aFullJournalMakesTheBatchAnOverrunAndNothingIsTaken() {
        RecordingJournal journal = new RecordingJournal();
        journal.full = true;
        SampleIngest ingest = new SampleIngest(journal, config(300_000), Clock.fixed(NOW, ZoneOffset.UTC));
        SubmitResult r = ingest.submit(new SampleBatch("plc1",
                List.of(Sample.of(CH, NOW.toEpochMilli() * 1000, Value.of(1.0), Quality.GOOD))));
        assertThat(r).isEqualTo(SubmitResult.OVERRUN);
        assertThat(ingest.statistics().total()).isEqualTo(new Counts(0, 0, 0, 0, 1, 1, ""));
    }

    @Test
    void aJournalOnAFullDiskMakesTheBatchADiskFullOverrun() {
        RecordingJournal journal = new RecordingJournal();
        journal.diskFull = true;
        SampleIngest ingest = new SampleIngest(journal, config(300_000), Clock.fixed(NOW, ZoneOffset.UTC));
        SubmitResult r = ingest.submit(new SampleBatch("plc1",
                List.of(Sample.of(CH, NOW.toEpochMilli() * 1000, Value.of(1.0), Quality.GOOD))));
        assertThat(r).isEqualTo(SubmitResult.DISK_FULL);
        assertThat(ingest.statistics().total().overruns()).isEqualTo(1);
    }

    @Test
    void anInvalidSkewNamesPidAttributeAndValue() {
        assertThatThrownBy(() -> new SampleIngest(new RecordingJournal(), config(-5), Clock.systemUTC()))
                .hasMessage("configuration io.millwright.ingest: maxFutureSkewMs=-5: must be 0..86400000");
    }
}
