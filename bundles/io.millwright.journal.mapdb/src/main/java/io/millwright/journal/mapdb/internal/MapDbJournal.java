package io.millwright.journal.mapdb.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import io.millwright.journal.api.AppendResult;
import io.millwright.journal.api.CursorStatistics;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal engine: appends go to an in-memory queue under a short lock, where each sample gets
 * its per-channel sequence; one {@code journal-commit} thread turns the queue into entries, writes
 * them to MapDB and commits at a bounded interval (group commit). Readers see only committed
 * entries. When the payload exceeds the disk budget the oldest entries are dropped and recorded as
 * gaps. A failed commit is rolled back and its samples go back to the head of the queue.
 */
public final class MapDbJournal implements Journal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MapDbJournal.class);
    private static final Pattern CURSOR_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final int MAX_GAPS = 1_000;

    /** What readers may see: the state after the last successful commit. */
    private record Committed(long firstPosition, long endPosition, long committedSamples, long retainedSamples,
            long payloadBytes, long droppedSamples, long ticket) {
        long samplesBeforeFirst() {
            return committedSamples - retainedSamples;
        }
    }

    /** A cursor's place: its position and the samples committed before it, always read and written together. */
    private record Mark(long position, long samplesBefore) {
    }

    private static final class CursorState {
        final String name;
        volatile Mark mark;
        volatile boolean dirty;
        /** True while a live holder has the cursor open: a second open is refused. */
        final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();

        CursorState(String name, long position, long samplesBefore) {
            this.name = name;
            this.mark = new Mark(position, samplesBefore);
        }

        long position() {
            return mark.position();
        }
    }

    private volatile Settings settings;
    private final Clock clock;
    private final JournalStore store;
    private final ChannelDictionary dictionary = new ChannelDictionary();
    private final ConcurrentHashMap<String, CursorState> cursors = new ConcurrentHashMap<>();
    /** Cursors deleted since the last commit: removed from the file by the commit thread. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> deletedCursors = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ReentrantLock appendLock = new ReentrantLock();
    private ArrayList<Sample> pending = new ArrayList<>();
    private long appendTicket;
    private long refusedBatches;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread commitThread;
    private volatile Committed committed;
    private volatile boolean closed;

    // commit-thread state
    private int persistedChannels;
    private final ArrayDeque<long[]> rateWindow = new ArrayDeque<>();
    private volatile long commits;
    private volatile double lastCommitMillis;
    private volatile double commitRate;
    private volatile String lastError = "";
    private final List<Gap> gaps = new ArrayList<>();
    private long lastBudgetWarning;
    private boolean firstCommitLogged;

    /**
     * Opens (recovering if needed) the journal and starts its commit thread.
     *
     * @param settings validated settings
     * @param clock time source for gap records and recovery names
     */
    public MapDbJournal(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.store = JournalStore.open(settings.directory(), clock);
        for (Map.Entry<Integer, String> e : store.channels.entrySet()) {
            Long last = store.lastSequence.get(e.getKey());
            dictionary.restore(e.getKey(), ChannelId.parse(e.getValue()), last == null ? 0 : last);
        }
        persistedChannels = dictionary.size();
        long next = Math.max(1, store.counter(JournalStore.NEXT_POSITION));
        long first = Math.max(1, store.counter(JournalStore.FIRST_POSITION));
        committed = new Committed(first, next, store.counter(JournalStore.COMMITTED_SAMPLES),
                store.counter(JournalStore.RETAINED_SAMPLES), store.counter(JournalStore.PAYLOAD_BYTES),
                store.counter(JournalStore.DROPPED_SAMPLES), 0);
        for (Map.Entry<String, byte[]> e : store.cursors.entrySet()) {
            ByteBuffer b = ByteBuffer.wrap(e.getValue());
            cursors.put(e.getKey(), new CursorState(e.getKey(), b.getLong(), b.getLong()));
        }
        byte[] gapBlob = store.blobs.get("gaps");
        if (gapBlob != null) {
            gaps.addAll(GapCodec.decode(gapBlob));
        }
        commitThread = new Thread(this::commitLoop, "journal-commit");
        commitThread.setDaemon(false);
        commitThread.start();
        LOG.info("journal open at {}: positions {}..{}, {} samples retained, {} channels, {} cursors", settings.directory(),
                first, next, committed.retainedSamples(), dictionary.size(), cursors.size());
    }

    @Override
    public AppendResult append(SampleBatch batch) {
        List<Sample> samples = batch.samples();
        appendLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("journal is closed");
            }
            if (pending.size() + samples.size() > settings.maxPendingSamples()) {
                refusedBatches++;
                return AppendResult.FULL;
            }
            pending.ensureCapacity(pending.size() + samples.size());
            for (Sample s : samples) {
                int index = dictionary.indexOrAdd(s.channel());
                pending.add(s.withSequence(dictionary.nextSequence(index)));
            }
            return new AppendResult(true, ++appendTicket);
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public JournalCursor openCursor(String name, StartAt startAt) {
        if (name == null || !CURSOR_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid cursor name '" + name + "': expected 1-64 characters of [A-Za-z0-9_.-]");
        }
        CursorState state = cursors.computeIfAbsent(name, n -> {
            Committed k = committed;
            CursorState c = startAt == StartAt.LATEST
                    ? new CursorState(n, k.endPosition(), k.committedSamples())
                    : new CursorState(n, k.firstPosition(), k.samplesBeforeFirst());
            c.dirty = true;
            return c;
        });
        if (!state.held.compareAndSet(false, true)) {
            throw new IllegalStateException("journal cursor '" + name + "' is already open by a live reader: one holder at a time"
                    + " (the holder closes it when it stops; see the journal's cursors for its position)");
        }
        return new Cursor(state);
    }

    @Override
    public boolean deleteCursor(String name) {
        CursorState state = cursors.get(name);
        if (state == null) {
            return false;
        }
        if (!state.held.compareAndSet(false, true)) {
            throw new IllegalStateException("journal cursor '" + name + "' cannot be deleted: a live reader has it open");
        }
        cursors.remove(name, state);
        deletedCursors.add(name);
        LOG.info("journal cursor {} deleted at position {}", name, state.position());
        return true;
    }

    private final class Cursor implements JournalCursor {
        private final CursorState state;
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        Cursor(CursorState state) {
            this.state = state;
        }

        private void checkOpen() {
            if (!open.get()) {
                throw new IllegalStateException("journal cursor '" + state.name + "' is closed");
            }
        }

        @Override
        public String name() {
            return state.name;
        }

        @Override
        public long position() {
            return state.position();
        }

        @Override
        public JournalRead read(int maxSamples) {
            checkOpen();
            return MapDbJournal.this.read(state, state.position(), Math.max(1, maxSamples));
        }

        @Override
        public JournalRead readFrom(long fromPosition, int maxSamples) {
            checkOpen();
            return MapDbJournal.this.read(state, fromPosition, Math.max(1, maxSamples));
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                state.held.set(false);
            }
        }

        @Override
        public void advance(long nextPosition) {
            checkOpen();
            Committed k = committed;
            if (nextPosition > k.endPosition()) {
                throw new IllegalArgumentException("cursor " + state.name + ": position " + nextPosition
                        + " lies beyond the committed end " + k.endPosition());
            }
            long position = Math.max(nextPosition, k.firstPosition());
            long before;
            if (position == k.endPosition()) {
                before = k.committedSamples();
            } else {
                byte[] entry = store.entries.get(position);
                before = entry == null ? k.samplesBeforeFirst() : EntryCodec.samplesBefore(entry);
            }
            state.mark = new Mark(position, before);
            state.dirty = true;
        }
    }

    /**
     * Reads committed entries without a cursor (for a read-only archive).
     *
     * @param from where to start
     * @param maxSamples stop after the entry that reaches this many samples
     * @return the entries read
     */
    JournalRead readWithoutCursor(long from, int maxSamples) {
        return read(new CursorState("archive", Long.MIN_VALUE, 0), from, Math.max(1, maxSamples));
    }

    private JournalRead read(CursorState c, long from, int maxSamples) {
        Committed k = committed;
        long position = from;
        long droppedEntries = 0;
        long droppedSamples = 0;
        Mark mark = c.mark;
        if (position < k.firstPosition()) {
            droppedEntries = k.firstPosition() - position;
            droppedSamples = from == mark.position() ? Math.max(0, k.samplesBeforeFirst() - mark.samplesBefore()) : 0;
            position = k.firstPosition();
        }
        List<JournalEntry> out = new ArrayList<>();
        int samples = 0;
        while (position < k.endPosition() && samples < maxSamples) {
            byte[] bytes = store.entries.get(position);
            if (bytes == null) {
                droppedEntries++;
            } else {
                try {
                    List<Sample> decoded = EntryCodec.decode(bytes, dictionary::channel);
                    out.add(new JournalEntry(position, decoded));
                    samples += decoded.size();
                } catch (EntryCodec.DamagedEntryException e) {
                    LOG.error("journal entry {} is damaged ({}); cursor {} skips it", position, e.getMessage(), c.name);
                    droppedEntries++;
                }
            }
            position++;
        }
        return new JournalRead(out, position, droppedEntries, droppedSamples);
    }

    private void commitLoop() {
        long lastStart = System.nanoTime();
        boolean failing = false;
        while (true) {
            boolean stop;
            try {
                long wait = settings.commitInterval().toNanos() - (System.nanoTime() - lastStart);
                stop = wait > 0 && closing.await(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
            lastStart = System.nanoTime();
            try {
                commitOnce();
                if (failing) {
                    LOG.info("journal commits succeed again");
                    failing = false;
                    lastError = "";
                }
            } catch (RuntimeException e) {
                lastError = e.toString();
                if (!failing) {
                    LOG.error("journal commit failed; samples stay queued and are retried at the next commit", e);
                    failing = true;
                }
            }
            if (stop || closed) {
                return;
            }
        }
    }

    /** Writes everything queued so far as entries and commits. Runs on the commit thread only. */
    private void commitOnce() {
        ArrayList<Sample> batch;
        long ticket;
        appendLock.lock();
        try {
            batch = pending;
            pending = new ArrayList<>(Math.max(16, batch.size()));
            ticket = appendTicket;
        } finally {
            appendLock.unlock();
        }
        boolean cursorsDirty = !deletedCursors.isEmpty() || cursors.values().stream().anyMatch(c -> c.dirty);
        if (batch.isEmpty() && !cursorsDirty) {
            return;
        }
        long started = System.nanoTime();
        Committed k = committed;
        long next = k.endPosition();
        long first = k.firstPosition();
        long total = k.committedSamples();
        long retained = k.retainedSamples();
        long payload = k.payloadBytes();
        long dropped = k.droppedSamples();
        int channelsBefore = persistedChannels;
        List<Gap> newGaps = new ArrayList<>();
        try {
            int from = 0;
            while (from < batch.size()) {
                int to = entryEnd(batch, from);
                byte[] entry = EntryCodec.encode(batch, from, to, total, dictionary::index);
                store.entries.put(next++, entry);
                payload += entry.length;
                total += to - from;
                retained += to - from;
                from = to;
            }
            int channelCount = dictionary.size();
            for (int i = persistedChannels; i < channelCount; i++) {
                store.channels.put(i, dictionary.channel(i).toString());
            }
            Map<Integer, Long> lastSeq = new HashMap<>();
            for (Sample s : batch) {
                lastSeq.put(dictionary.index(s.channel()), s.sequence());
            }
            store.lastSequence.putAll(lastSeq);
            for (String gone = deletedCursors.poll(); gone != null; gone = deletedCursors.poll()) {
                if (!cursors.containsKey(gone)) {
                    store.cursors.remove(gone);
                }
            }
            List<CursorState> written = new ArrayList<>();
            for (CursorState c : cursors.values()) {
                if (c.dirty) {
                    c.dirty = false;
                    written.add(c);
                    Mark m = c.mark;
                    store.cursors.put(c.name, ByteBuffer.allocate(16).putLong(m.position()).putLong(m.samplesBefore()).array());
                }
            }
            long slowestReader = cursors.values().stream().mapToLong(CursorState::position).min().orElse(Long.MIN_VALUE);
            while (payload > settings.budgetBytes() && first < next - 1) {
                byte[] old = store.entries.remove(first);
                // lost only if some reader has not passed it; otherwise this is ordinary retention
                boolean lost = first >= slowestReader;
                first++;
                if (old == null) {
                    continue;
                }
                int n = EntryCodec.sampleCount(old);
                payload -= old.length;
                retained -= n;
                if (lost) {
                    dropped += n;
                    newGaps.addAll(gapsOf(old));
                }
            }
            if (!newGaps.isEmpty()) {
                List<Gap> merged = mergeGaps(gaps, newGaps);
                store.blobs.put("gaps", GapCodec.encode(merged));
            }
            store.counters.put(JournalStore.NEXT_POSITION, next);
            store.counters.put(JournalStore.FIRST_POSITION, first);
            store.counters.put(JournalStore.COMMITTED_SAMPLES, total);
            store.counters.put(JournalStore.RETAINED_SAMPLES, retained);
            store.counters.put(JournalStore.PAYLOAD_BYTES, payload);
            store.counters.put(JournalStore.DROPPED_SAMPLES, dropped);
            try {
                store.db.commit();
            } catch (RuntimeException e) {
                written.forEach(c -> c.dirty = true);
                throw e;
            }
            persistedChannels = channelCount;
            if (!newGaps.isEmpty()) {
                synchronized (gaps) {
                    List<Gap> merged = mergeGaps(gaps, newGaps);
                    gaps.clear();
                    gaps.addAll(merged);
                }
                long nowMillis = System.currentTimeMillis();
                if (nowMillis - lastBudgetWarning > 60_000) {
                    lastBudgetWarning = nowMillis;
                    LOG.warn("journal disk budget of {} bytes reached: dropping the oldest entries; {} samples lost in total"
                            + " (each loss is listed as a gap in the journal statistics)", settings.budgetBytes(), dropped);
                }
            }
        } catch (RuntimeException e) {
            persistedChannels = channelsBefore;
            try {
                store.db.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            appendLock.lock();
            try {
                batch.addAll(pending);
                pending = batch;
            } finally {
                appendLock.unlock();
            }
            throw e;
        }
        committed = new Committed(first, next, total, retained, payload, dropped, ticket);
        long now = System.nanoTime();
        if (!firstCommitLogged && !batch.isEmpty()) {
            firstCommitLogged = true;
            LOG.info("journal: first {} samples committed since open", batch.size());
        }
        commits++;
        lastCommitMillis = (now - started) / 1e6;
        rateWindow.addLast(new long[] {now, total});
        while (rateWindow.size() > 2 && now - rateWindow.peekFirst()[0] > TimeUnit.SECONDS.toNanos(5)) {
            rateWindow.removeFirst();
        }
        long[] oldest = rateWindow.peekFirst();
        commitRate = now == oldest[0] ? 0 : (total - oldest[1]) * 1e9 / (now - oldest[0]);
    }

    private int entryEnd(List<Sample> batch, int from) {
        int limit = Math.min(batch.size(), from + settings.maxEntrySamples());
        long bytes = 0;
        int i = from;
        while (i < limit) {
            Value v = batch.get(i).value();
            bytes += v instanceof Waveform w ? 16L + 8L * w.length() : 20;
            i++;
            if (bytes >= Settings.MAX_ENTRY_BYTES) {
                break;
            }
        }
        return i;
    }

    private List<Gap> gapsOf(byte[] entry) {
        List<Gap> out = new ArrayList<>();
        try {
            Map<ChannelId, long[]> ranges = new HashMap<>();
            for (Sample s : EntryCodec.decode(entry, dictionary::channel)) {
                ranges.merge(s.channel(), new long[] {s.sequence(), s.sequence()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            ranges.forEach((ch, r) -> out.add(new Gap(ch, r[0], r[1], "disk-budget", clock.instant())));
        } catch (EntryCodec.DamagedEntryException e) {
            LOG.error("a damaged journal entry was dropped by the disk budget; its gap cannot be attributed to channels");
        }
        out.sort(Comparator.comparing(g -> g.channel().toString()));
        return out;
    }

    private static List<Gap> mergeGaps(List<Gap> existing, List<Gap> added) {
        List<Gap> out;
        synchronized (existing) {
            out = new ArrayList<>(existing);
        }
        for (Gap g : added) {
            int last = -1;
            for (int i = out.size() - 1; i >= 0 && i >= out.size() - 64; i--) {
                if (out.get(i).channel().equals(g.channel())) {
                    last = i;
                    break;
                }
            }
            if (last >= 0 && out.get(last).toSequence() + 1 == g.fromSequence()) {
                Gap prev = out.remove(last);
                out.add(new Gap(g.channel(), prev.fromSequence(), g.toSequence(), g.reason(), g.at()));
            } else {
                out.add(g);
            }
        }
        return out.size() > MAX_GAPS ? new ArrayList<>(out.subList(out.size() - MAX_GAPS, out.size())) : out;
    }

    @Override
    public JournalStatistics statistics() {
        Committed k = committed;
        int pendingSamples;
        long refused;
        appendLock.lock();
        try {
            pendingSamples = pending.size();
            refused = refusedBatches;
        } finally {
            appendLock.unlock();
        }
        List<CursorStatistics> cursorStats = new ArrayList<>();
        for (CursorState c : cursors.values()) {
            Mark m = c.mark;
            long position = Math.max(m.position(), k.firstPosition());
            long before = Math.max(m.samplesBefore(), k.samplesBeforeFirst());
            cursorStats.add(new CursorStatistics(c.name, m.position(), Math.max(0, k.endPosition() - position),
                    Math.max(0, k.committedSamples() - before)));
        }
        cursorStats.sort(Comparator.comparing(CursorStatistics::name));
        List<Gap> gapCopy;
        synchronized (gaps) {
            gapCopy = List.copyOf(gaps);
        }
        String recovery = store.recovery();
        String error = lastError;
        return new JournalStatistics(settings.directory().toString(), fileBytes(), k.payloadBytes(), settings.budgetBytes(),
                k.endPosition() - k.firstPosition(), k.retainedSamples(), k.firstPosition(), k.endPosition(),
                k.committedSamples(), k.ticket(), pendingSamples, commitRate, commits, lastCommitMillis, k.droppedSamples(),
                refused, gapCopy, cursorStats, error.isEmpty() ? recovery : (recovery.isEmpty() ? "" : recovery + "; ")
                        + "last commit failed: " + error);
    }

    private long fileBytes() {
        try (Stream<Path> files = Files.list(settings.directory())) {
            return files.filter(p -> p.getFileName().toString().startsWith(JournalStore.FILE)
                    && !p.getFileName().toString().contains(".damaged-")).mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return per channel, the last sequence number assigned (committed or queued) */
    public Map<ChannelId, Long> lastSequences() {
        appendLock.lock();
        try {
            Map<ChannelId, Long> out = new HashMap<>();
            for (int i = 0; i < dictionary.size(); i++) {
                ChannelId ch = dictionary.channel(i);
                if (ch != null) {
                    out.put(ch, dictionary.lastSequence(i));
                }
            }
            return out;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Applies new settings without closing the journal: commit interval, queue bound, budget and
     * entry size take effect at the next commit. The directory cannot change while open.
     *
     * @param changed the new settings
     * @throws IllegalArgumentException if the directory differs
     */
    public void reconfigure(Settings changed) {
        if (!changed.directory().equals(settings.directory())) {
            throw new IllegalArgumentException("the journal directory cannot change while the gateway runs (" + settings.directory()
                    + " -> " + changed.directory() + "): restart the gateway to move it");
        }
        if (!changed.equals(settings)) {
            LOG.info("journal settings changed: {}", changed);
            settings = changed;
        }
    }

    /**
     * Commits what is queued, stops the commit thread and closes the file. Idempotent.
     */
    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        closing.countDown();
        try {
            commitThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (commitThread.isAlive()) {
            LOG.error("journal commit thread did not finish within 30 s; closing the store anyway");
        }
        store.close();
        LOG.info("journal closed at {}: {} samples committed", settings.directory(), committed.committedSamples());
    }
}
