package io.millwright.twin.internal;

import io.millwright.alarm.api.AlarmEvent;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.asset.api.AssetModel;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's reader of the journal: reads from the position saved in the store, applies the samples, ticks the clock,
 * and commits the records, events, derived samples and the position after them in one store transaction before the
 * cursor moves — exactly once across {@code kill -9}. Derived samples wait in the store's outbox until ingest accepts
 * them (at least once). People's actions run under the same lock between batches and are committed before they return.
 *
 * <p>Public, like the store, for the alarm benchmark, which drives the reader as the component does.
 */
public final class TwinReader {

    /** Samples read per step. */
    public static final int BATCH = 4096;
    static final long TICK_MS = 1000;
    /** While catching up, at most this long between commits (a crash re-reads at most this much of the backlog). */
    static final long COMMIT_INTERVAL_MS = 5000;
    static final long EVENTS_KEPT = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(TwinReader.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final TwinStore store;
    private final JournalCursor cursor;
    private final SampleSink sink;
    private final AssetModel model;
    private final Clock clock;
    private final Engine engine;
    /** outbox chunks not yet accepted by ingest, oldest first */
    private final Map<Long, List<Sample>> outbox;
    private final List<Long> doneOut = new ArrayList<>();
    private long outboxSequence;
    /** the journal position committed with the store */
    private long position;
    /** the journal position after the last batch the engine applied (ahead of {@link #position} between commits) */
    private long applied;
    private long lastCommitMs;
    private long advanced = -1;
    private long modelRevision;
    private volatile boolean caughtUp;
    private long lastTickMs;
    private long lastTrimMs;

    /**
     * @param store the store
     * @param cursor the reader's journal cursor
     * @param sink where derived samples go
     * @param model the asset model
     * @param clock wall-clock time (shelves, staleness)
     */
    public TwinReader(TwinStore store, JournalCursor cursor, SampleSink sink, AssetModel model, Clock clock) {
        this.store = store;
        this.cursor = cursor;
        this.sink = sink;
        this.model = model;
        this.clock = clock;
        long saved = store.position();
        this.position = saved >= 0 ? Math.max(saved, cursor.position()) : cursor.position();
        this.applied = position;
        this.engine = new Engine(store.eventSequence(), clock.millis());
        this.modelRevision = model.revision();
        engine.compile(model.assets(), n -> model.assetClass(n).orElse(null), store.loadAlarms(), store.loadTwins());
        this.outbox = new LinkedHashMap<>(store.outbox());
        this.outboxSequence = store.outboxSequence();
    }

    /**
     * Reads one batch and applies it.
     *
     * @return the samples read
     */
    public int step() {
        JournalRead read = cursor.readFrom(applied, BATCH);
        int n = read.sampleCount();
        lock.lock();
        try {
            long revision = model.revision();
            if (revision != modelRevision) {
                modelRevision = revision;
                engine.compile(model.assets(), c -> model.assetClass(c).orElse(null), Map.of(), Map.of());
                LOG.info("twin: asset model changed (revision {}): {} assets, {} alarms", revision, engine.assetSlots().size(),
                        engine.alarmSlots().size());
            }
            for (JournalEntry e : read.entries()) {
                engine.onSamples(e.samples());
            }
            caughtUp = n < BATCH;
            long now = clock.millis();
            engine.finishBatch(now, caughtUp);
            if (now - lastTickMs >= TICK_MS) {
                lastTickMs = now;
                engine.tick(now, caughtUp);
            }
            if (now - lastTrimMs >= 3_600_000L) {
                lastTrimMs = now;
                store.trimEvents(EVENTS_KEPT);
            }
            applied = read.nextPosition();
            // while catching up, commit once per interval (a commit forces the store to disk); at the journal's end, every step
            if (caughtUp || now - lastCommitMs >= COMMIT_INTERVAL_MS) {
                lastCommitMs = now;
                commit(applied);
            }
        } finally {
            lock.unlock();
        }
        if (position != advanced) {
            cursor.advance(position); // only when a commit moved it: an advance reads the entry at the new position
            advanced = position;
        }
        flushOutbox();
        List<Engine.AssetOutcome> seen = engine.drainOutcomes();
        for (Engine.AssetOutcome o : seen) {
            try {
                outcomes.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("twin: could not tell the models of {}: {}", o, e.toString());
            }
        }
        return n;
    }

    /** Told each trip (a failure) and each start of a maintenance, outside the reader's lock. */
    private volatile java.util.function.Consumer<Engine.AssetOutcome> outcomes = o -> {
    };

    /** @param listener told of each trip and maintenance the twin sees from now on */
    public void onOutcome(java.util.function.Consumer<Engine.AssetOutcome> listener) {
        this.outcomes = listener;
    }

    /**
     * Runs a person's action on the engine between batches and commits what it changed before returning.
     *
     * @param action the action
     * @param <T> its result
     * @return the result
     */
    <T> T act(Function<Engine, T> action) {
        T result;
        lock.lock();
        try {
            result = action.apply(engine);
            commit(applied); // with the position of what the engine has applied: its state and the position stay one
        } finally {
            lock.unlock();
        }
        flushOutbox();
        return result;
    }

    /**
     * Reads the engine under its lock (for snapshots).
     *
     * @param view what to read
     * @param <T> its result
     * @return the result
     */
    <T> T view(Function<Engine, T> view) {
        lock.lock();
        try {
            return view.apply(engine);
        } finally {
            lock.unlock();
        }
    }

    private void commit(long nextPosition) {
        commit(nextPosition, false);
    }

    private void commit(long nextPosition, boolean flushAll) {
        List<AlarmEvent> events = engine.takeEvents();
        List<Sample> newOut = engine.takeOut();
        var alarms = engine.takeDirtyAlarmGroups();
        var twins = engine.takeDirtyTwins(flushAll ? Long.MAX_VALUE : clock.millis());
        boolean moved = nextPosition >= 0 && nextPosition != position;
        if (!moved && events.isEmpty() && newOut.isEmpty() && alarms.isEmpty() && twins.isEmpty() && doneOut.isEmpty()) {
            return;
        }
        long chunk = newOut.isEmpty() ? outboxSequence : outboxSequence + 1;
        store.commit(moved ? nextPosition : -1, alarms, twins, events, chunk, newOut, doneOut);
        outboxSequence = chunk;
        doneOut.clear();
        if (!newOut.isEmpty()) {
            synchronized (outbox) {
                outbox.put(chunk, newOut);
            }
        }
        if (moved) {
            position = nextPosition;
        }
    }

    private void flushOutbox() {
        List<Long> keys;
        List<Sample> samples = new ArrayList<>();
        synchronized (outbox) {
            if (outbox.isEmpty()) {
                return;
            }
            keys = new ArrayList<>(outbox.keySet());
            outbox.values().forEach(samples::addAll);
        }
        SubmitResult r = sink.submit(new SampleBatch("twin", samples));
        if (r == SubmitResult.ACCEPTED) {
            lock.lock();
            try {
                synchronized (outbox) {
                    outbox.keySet().removeAll(keys);
                }
                doneOut.addAll(keys);
            } finally {
                lock.unlock();
            }
        }
    }

    long position() {
        return position;
    }

    boolean caughtUp() {
        return caughtUp;
    }

    /** Commits what is pending (at stop). */
    public void close() {
        lock.lock();
        try {
            commit(applied, true);
        } finally {
            lock.unlock();
        }
    }

    TwinStore store() {
        return store;
    }
}
