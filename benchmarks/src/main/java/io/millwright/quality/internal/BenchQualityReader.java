package io.millwright.quality.internal;

import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.time.Clock;

/** The data-quality reader as the component runs it (cursor, engine with the default thresholds, results to ingest). */
public final class BenchQualityReader implements AutoCloseable {

    private final JournalCursor cursor;
    private final QualityReader reader;
    private final QualityEngine engine;

    /**
     * @param journal the journal read
     * @param sink where the quality samples go
     */
    public BenchQualityReader(Journal journal, SampleSink sink) {
        cursor = journal.openCursor("quality", StartAt.LATEST);
        engine = new QualityEngine(QualitySettings.DEFAULTS, c -> ChannelQuality.Expectation.NONE);
        reader = new QualityReader(cursor, sink, engine, Clock.systemUTC());
    }

    /** @return samples read */
    public long step() {
        return reader.step();
    }

    /** @return channels the engine judged so far */
    public int channels() {
        return engine.reports().size();
    }

    @Override
    public void close() {
        cursor.close();
    }
}
