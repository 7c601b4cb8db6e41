package io.millwright.quality.internal;

import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The data-quality reader's loop: reads the journal through its cursor, hands the samples to the {@link QualityEngine},
 * gives what the engine produces to ingest, and advances the cursor once ingest took it (a full ingest keeps the cursor
 * where it is and offers the same samples again at the next step). One thread.
 */
final class QualityReader {

    static final String SOURCE = "quality";
    private static final int BATCH = 50_000;

    private final JournalCursor cursor;
    private final SampleSink sink;
    private final QualityEngine engine;
    private final Clock clock;
    private final List<Sample> unsent = new ArrayList<>();
    private long unsentNext = -1;

    QualityReader(JournalCursor cursor, SampleSink sink, QualityEngine engine, Clock clock) {
        this.cursor = cursor;
        this.sink = sink;
        this.engine = engine;
        this.clock = clock;
    }

    /** @return samples read in this step (the journal is read until it has no more, or ingest is full) */
    long step() {
        long read = 0;
        while (true) {
            if (!unsent.isEmpty()) {
                if (sink.submit(new SampleBatch(SOURCE, unsent)) != SubmitResult.ACCEPTED) {
                    return read;
                }
                unsent.clear();
                cursor.advance(unsentNext);
            }
            JournalRead r = cursor.read(BATCH);
            read += r.sampleCount();
            for (JournalEntry e : r.entries()) {
                unsent.addAll(engine.accept(e.samples()));
            }
            unsent.addAll(engine.checkStale(clock.millis() * 1000));
            if (!unsent.isEmpty()) {
                unsentNext = r.nextPosition();
                continue;
            }
            if (r.nextPosition() != cursor.position()) {
                cursor.advance(r.nextPosition());
            }
            if (r.sampleCount() < BATCH) {
                return read;
            }
        }
    }
}
