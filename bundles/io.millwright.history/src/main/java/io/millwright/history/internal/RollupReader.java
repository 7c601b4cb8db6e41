package io.millwright.history.internal;

import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal from the history's own saved position and rolls the samples up. Its order makes a crash
 * harmless: the store commits its windows together with the position after them, and only then is the journal
 * cursor advanced. At start the store's position wins over the cursor's: the cursor can only be behind it, except
 * after a crash inside a commit, when the store starts again from its checkpoint (made after a commit every checkpoint
 * interval) and reads again what the journal still retains after it. The cursor does not hold those entries: the
 * journal keeps every entry until its budget needs the room, whatever its cursors, and a cursor held back would
 * only count as lost what the history had already read.
 */
public final class RollupReader {

    private static final Logger LOG = LoggerFactory.getLogger(RollupReader.class);
    static final int READ_SAMPLES = 20_000;
    static final long CHECKPOINT_INTERVAL_MILLIS = 3_600_000;

    private final HistoryStore store;
    private final JournalCursor cursor;
    private final Supplier<JournalStatistics> statistics;
    private final Clock clock;
    private final Retention retention;
    private final long commitIntervalMillis;
    private final long checkpointIntervalMillis;
    private final int readSamples;
    private long position;
    private long lastCommit;
    private long lastCheckpoint;
    private long lastTrim;

    public RollupReader(HistoryStore store, JournalCursor cursor, Supplier<JournalStatistics> statistics, Clock clock, Retention retention,
            long commitIntervalMillis) {
        this(store, cursor, statistics, clock, retention, commitIntervalMillis, CHECKPOINT_INTERVAL_MILLIS, READ_SAMPLES);
    }

    /**
     * @param checkpointIntervalMillis how often the store is copied to its checkpoint (after a commit): what the journal
     *     keeps for the history beyond its position, and what a crash inside a commit reads again
     * @param readSamples the most samples read from the journal per step
     */
    public RollupReader(HistoryStore store, JournalCursor cursor, Supplier<JournalStatistics> statistics, Clock clock, Retention retention,
            long commitIntervalMillis, long checkpointIntervalMillis, int readSamples) {
        this.readSamples = readSamples;
        this.checkpointIntervalMillis = checkpointIntervalMillis;
        this.store = store;
        this.cursor = cursor;
        this.statistics = statistics;
        this.clock = clock;
        this.retention = retention;
        this.commitIntervalMillis = commitIntervalMillis;
        long saved = store.position();
        this.position = saved < 0 ? cursor.position() : saved;
        this.lastCommit = clock.millis();
        this.lastCheckpoint = lastCommit;
    }

    long position() {
        return position;
    }

    /**
     * Reads what is committed in the journal, commits the windows when the interval has passed (or when told to),
     * trims once a minute.
     *
     * @param force commit now if anything was read
     * @return samples read
     */
    public int step(boolean force) {
        int samples = 0;
        for (int i = 0; i < 50; i++) {
            JournalRead read = cursor.readFrom(position, readSamples);
            if (read.entries().isEmpty() && read.droppedEntries() == 0) {
                break;
            }
            if (read.droppedSamples() > 0) {
                LOG.warn("history: the journal dropped {} samples before the history read them (its budget): those windows are incomplete",
                        read.droppedSamples());
            } else if (read.droppedEntries() > 0 && position < cursor.position()) {
                LOG.warn("history: started again from its checkpoint at journal position {}, but the journal no longer holds {} of the"
                        + " entries after it (its budget): those windows are incomplete", position, read.droppedEntries());
            }
            store.add(read.entries(), read.droppedSamples(), HistoryStore.Horizons.of(clock.millis() * 1000, retention));
            samples += read.sampleCount();
            position = read.nextPosition();
            if (readSamples < READ_SAMPLES) {
                break;
            }
        }
        long now = clock.millis();
        if ((force || now - lastCommit >= commitIntervalMillis) && (store.dirty() || position != Math.max(store.position(), 0))) {
            store.commit(position);
            lastCommit = now;
            if (now - lastCheckpoint >= checkpointIntervalMillis) {
                lastCheckpoint = now;
                try {
                    store.checkpoint();
                } catch (IllegalStateException e) {
                    LOG.warn("{}; tried again in {} s", e.getMessage(),
                            checkpointIntervalMillis / 1000);
                }
            }
            cursor.advance(position);
        }
        if (now - lastTrim >= 60_000) {
            lastTrim = now;
            long byBudget = store.trim(now * 1000, retention);
            if (byBudget > 0) {
                LOG.warn("history reached its budget of {} MiB: removed {} of its oldest windows", retention.budgetBytes() >> 20, byBudget);
            }
        }
        return samples;
    }

    /** @return committed journal entries not yet rolled up */
    long lag() {
        JournalStatistics s = statistics.get();
        return s == null ? 0 : Math.max(0, s.endPosition() - position);
    }
}
