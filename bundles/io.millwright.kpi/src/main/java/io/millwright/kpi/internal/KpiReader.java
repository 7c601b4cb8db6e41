package io.millwright.kpi.internal;

import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.kpi.api.CostModel;
import io.millwright.kpi.api.Granularity;
import io.millwright.kpi.api.KpiPeriod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The KPI reader: reads the journal from the position saved in the store, applies the samples to the engine, and
 * commits buckets, asset states, the outbox of KPI samples and the position in one store transaction before the cursor
 * moves — nothing counted twice across {@code kill -9}, nothing lost. KPI samples wait in the outbox until ingest takes
 * them (at least once). Queries read the committed buckets and the engine's open ones under the lock.
 */
final class KpiReader {

    static final int BATCH = 4096;
    static final long COMMIT_INTERVAL_MS = 5000;

    private final ReentrantLock lock = new ReentrantLock();
    private final KpiStore store;
    private final JournalCursor cursor;
    private final SampleSink sink;
    private final Clock clock;
    private final Supplier<KpiEngine.Setup> setups;
    private final KpiEngine engine;
    private final Map<String, List<Sample>> outbox;
    private final List<String> doneOut = new ArrayList<>();
    private long outSequence;
    private long position;
    private long applied;
    private long advanced = -1;
    private long lastCommitMs;
    private volatile boolean caughtUp;

    /**
     * @param store the store
     * @param cursor the reader's cursor
     * @param sink where KPI samples go
     * @param clock wall-clock time (commit pacing)
     * @param setups the current configuration (asked once per batch)
     */
    KpiReader(KpiStore store, JournalCursor cursor, SampleSink sink, Clock clock, Supplier<KpiEngine.Setup> setups) {
        this.store = store;
        this.cursor = cursor;
        this.sink = sink;
        this.clock = clock;
        this.setups = setups;
        long saved = store.position();
        this.position = saved >= 0 ? Math.max(saved, cursor.position()) : cursor.position();
        this.applied = position;
        this.engine = new KpiEngine(setups.get(), store.states(), store::bucket);
        this.outbox = new LinkedHashMap<>(store.outbox());
        this.outSequence = clock.millis();
    }

    /** @return samples read in this step */
    int step() {
        JournalRead read = cursor.readFrom(applied, BATCH);
        int n = read.sampleCount();
        lock.lock();
        try {
            engine.setup(setups.get());
            for (JournalEntry e : read.entries()) {
                engine.onSamples(e.samples());
            }
            caughtUp = n < BATCH;
            applied = read.nextPosition();
            long now = clock.millis();
            if (caughtUp || now - lastCommitMs >= COMMIT_INTERVAL_MS) {
                lastCommitMs = now;
                commit();
            }
        } finally {
            lock.unlock();
        }
        if (position != advanced) {
            cursor.advance(position);
            advanced = position;
        }
        flushOutbox();
        return n;
    }

    private void commit() {
        List<Bucket> dirty = engine.takeDirty();
        List<Sample> newOut = engine.takeOut();
        boolean moved = applied != position;
        if (!moved && dirty.isEmpty() && newOut.isEmpty() && doneOut.isEmpty()) {
            return;
        }
        String id = String.format("%015d", ++outSequence);
        store.commit(moved ? applied : -1, dirty, engine.states(), id, newOut, doneOut);
        doneOut.clear();
        if (!newOut.isEmpty()) {
            synchronized (outbox) {
                outbox.put(id, newOut);
            }
        }
        position = applied;
    }

    private void flushOutbox() {
        List<String> keys;
        List<Sample> samples = new ArrayList<>();
        synchronized (outbox) {
            if (outbox.isEmpty()) {
                return;
            }
            keys = new ArrayList<>(outbox.keySet());
            outbox.values().forEach(samples::addAll);
        }
        if (sink.submit(new SampleBatch("kpi", samples)) == SubmitResult.ACCEPTED) {
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

    /** Commits what is pending (at stop). */
    void close() {
        lock.lock();
        try {
            commit();
        } finally {
            lock.unlock();
        }
    }

    boolean caughtUp() {
        return caughtUp;
    }

    long position() {
        return position;
    }

    // ---- queries ----

    /** One asset's sums per period, costed. */
    private List<Sums> sums(String asset, KpiEngine.Setup s, List<Calendar.Period> periods) {
        KpiClass k = s.classOfAsset().get(asset);
        CostModel cost = s.costs().get(asset);
        List<Sums> out = new ArrayList<>();
        if (periods.isEmpty()) {
            return out;
        }
        long from = periods.get(0).startMs();
        long to = periods.get(periods.size() - 1).endMs();
        Map<Long, Bucket> buckets = new LinkedHashMap<>();
        for (Bucket b : store.buckets(asset, from, to)) {
            buckets.put(b.startMs, b);
        }
        lock.lock();
        try {
            for (long start = s.calendar().bucketStart(from); start < to; start += s.calendar().bucketMs()) {
                Bucket open = engine.openBucket(asset, start);
                if (open != null) {
                    buckets.put(start, open);
                }
            }
            for (Calendar.Period p : periods) {
                Sums sum = new Sums();
                for (Bucket b : buckets.values()) {
                    if (b.startMs >= p.startMs() && b.startMs < p.endMs()) {
                        sum.add(b, k);
                    }
                }
                sum.cost(cost);
                out.add(sum);
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    List<KpiPeriod> asset(String asset, Granularity g, long fromMs, long toMs) {
        KpiEngine.Setup s = setups.get();
        if (!s.classOfAsset().containsKey(asset)) {
            throw new NoSuchElementException("no KPIs for asset '" + asset + "': its class has no io.millwright.kpi.class configuration, "
                    + "or the asset is not in the asset model");
        }
        List<Calendar.Period> periods = s.calendar().periods(g, fromMs, toMs);
        List<Sums> sums = sums(asset, s, periods);
        List<KpiPeriod> out = new ArrayList<>();
        for (int i = 0; i < periods.size(); i++) {
            if (sums.get(i).any) {
                out.add(sums.get(i).period(asset, g, periods.get(i)));
            }
        }
        return out;
    }

    List<KpiPeriod> line(String line, List<String> assets, Granularity g, long fromMs, long toMs) {
        KpiEngine.Setup s = setups.get();
        List<String> members = assets.stream().filter(s.classOfAsset()::containsKey).toList();
        if (members.isEmpty()) {
            throw new NoSuchElementException("no KPIs for line '" + line + "': none of its assets has a class with KPI configuration");
        }
        List<Calendar.Period> periods = s.calendar().periods(g, fromMs, toMs);
        List<Sums> total = new ArrayList<>();
        periods.forEach(p -> total.add(new Sums()));
        for (String a : members) {
            List<Sums> one = sums(a, s, periods);
            for (int i = 0; i < periods.size(); i++) {
                total.get(i).plus(one.get(i));
            }
        }
        List<KpiPeriod> out = new ArrayList<>();
        for (int i = 0; i < periods.size(); i++) {
            if (total.get(i).any) {
                out.add(total.get(i).period(line, g, periods.get(i)));
            }
        }
        return out;
    }

    void trim(long beforeMs) {
        lock.lock();
        try {
            store.trim(beforeMs);
        } finally {
            lock.unlock();
        }
    }
}
