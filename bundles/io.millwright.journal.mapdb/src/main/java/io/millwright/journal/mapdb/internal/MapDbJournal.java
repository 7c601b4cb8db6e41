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
import io.millwright.journal.api.JournalState;
import io.millwright.journal.api.JournalStatistics;
import java.io.IOException;
import java.nio.file.FileStore;
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
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal engine: appends go to an in-memory queue under a short lock, where each sample gets
 * its per-channel sequence; one {@code journal-commit} thread turns the queue into entries, writes
 * them to MapDB and commits at a bounded interval (group commit). Readers see only committed
 * entries. When the payload exceeds the disk budget the oldest entries are dropped and recorded as
 * gaps.
 *
 * <p>A full disk is a state, not a failure: before each commit the journal checks the free space of its filesystem;
 * below the reserve it drops its oldest entries to make room (gap reason {@code disk-space}), and when that is not
 * enough it is {@link JournalState#DISK_FULL}: it does not call MapDB (a failing MapDB commit leaves write-ahead-log
 * files that eat what space returns), refuses appends at once (each refused sample uses its sequence number and is
 * counted and reported as a {@code disk-full} gap), keeps what it had accepted, and resumes by itself when space
 * returns. A commit that fails anyway closes the store, removes the write-ahead log, reopens it and finds out from
 * the store whether the batch landed, so nothing is written twice and nothing accepted is lost while the process runs.
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

    /** Bytes a commit may write to MapDB at most; the rest of the queue waits for the next commit. */
    static final long MAX_COMMIT_BYTES = 8L << 20;
    /** The spare space file's size (see {@link SpareSpace}). */
    static final long SPARE_BYTES = 4L << 20;

    private volatile Settings settings;
    private final Clock clock;
    /** Replaced only by the commit thread, under the write lock, when a failed commit makes it reopen the store. */
    private volatile JournalStore store;
    /** Readers hold the read lock while they use the store; a reopen takes the write lock. */
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
    private final java.util.function.LongSupplier usableSpace;
    private final ChannelDictionary dictionary = new ChannelDictionary();
    private final ConcurrentHashMap<String, CursorState> cursors = new ConcurrentHashMap<>();
    /** Cursors deleted since the last commit: removed from the file by the commit thread. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> deletedCursors = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ReentrantLock appendLock = new ReentrantLock();
    private ArrayList<Sample> pending = new ArrayList<>();
    /** Estimated heap bytes of {@link #pending}. */
    private long pendingBytes;
    private long appendTicket;
    private long refusedBatches;
    /** Samples refused or lost since the last commit (counted, not yet persisted), and their gaps. */
    private long unpersistedDropped;
    /**
     * The batch the commit thread took and has neither committed nor given back (guarded by the append lock): the
     * statistics count its samples as pending and its drops as dropped, so that no figure dips while a commit is tried
     * (a fresh clone's disk-full test once saw 20 refused samples missing from one snapshot and back in the next).
     */
    private Batch inFlight;
    private List<Gap> unpersistedGaps = new ArrayList<>();
    private volatile JournalState state = JournalState.OK;
    /** Set while the journal drains its queue at close: the reserve may be used then. */
    private volatile boolean closingDrain;
    private final SpareSpace spare;
    private volatile long usableBytes = -1;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread commitThread;
    private volatile Committed committed;
    private volatile boolean closed;

    // commit-thread state
    private int persistedChannels;
    /** Per channel index, the last sequence in the file (commit thread). */
    private final Map<Integer, Long> persistedLast = new HashMap<>();
    /** Durations of the group commits that succeeded (encoding, MapDB, the commit marker). */
    private final io.millwright.api.LatencyRecorder commitLatency = new io.millwright.api.LatencyRecorder();
    /** The newest committed entries, decoded: tail readers skip MapDB and the decode (see RecentEntries). */
    private final RecentEntries recent = new RecentEntries(RECENT_BYTES, TimeUnit.SECONDS.toNanos(30));
    /** Heap the newest committed entries held for tail readers may take (about 130,000 scalar samples). */
    static final long RECENT_BYTES = 12L << 20;
    private volatile long epoch;
    private long commitNumber;
    private final ArrayDeque<long[]> rateWindow = new ArrayDeque<>();
    private volatile long commits;
    private volatile double lastCommitMillis;
    private volatile double commitRate;
    private volatile String lastError = "";
    private final List<Gap> gaps = new ArrayList<>();
    private long lastBudgetWarning;
    private boolean firstCommitLogged;
    /** The figures and batch of a commit MapDB was asked to make, until it returns. */
    private Committed attempted;
    private Batch attemptedBatch;
    private String lastReopenError = "";

    /**
     * Opens (recovering if needed) the journal and starts its commit thread.
     *
     * @param settings validated settings
     * @param clock time source for gap records and recovery names
     */
    public MapDbJournal(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /**
     * @param settings validated settings
     * @param clock time source
     * @param usableSpace what the free-space check reads instead of the filesystem (tests that blind the check so that a
     *     real write fails), null for the filesystem
     */
    MapDbJournal(Settings settings, Clock clock, java.util.function.LongSupplier usableSpace) {
        this.settings = settings;
        this.clock = clock;
        this.store = JournalStore.open(settings.directory(), clock);
        this.spare = new SpareSpace(settings.directory(), SPARE_BYTES);
        FileStore fs = fileStoreOf(settings.directory());
        this.usableSpace = usableSpace != null ? usableSpace : fs == null ? () -> Long.MAX_VALUE : () -> {
            try {
                return fs.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE;
            }
        };
        Map<Integer, ChannelId> names = new HashMap<>();
        Recovery.readDictionary(store, names, persistedLast);
        names.forEach((index, channel) -> dictionary.restore(index, channel, persistedLast.getOrDefault(index, 0L)));
        persistedChannels = store.channelRecords.isEmpty() ? 0 : dictionary.size();
        Records.HighWater mark = store.highWater();
        epoch = mark == null ? 1 : mark.epoch();
        commitNumber = mark == null ? 0 : mark.commit();
        long next = Math.max(1, store.counter(JournalStore.NEXT_POSITION));
        long first = Math.max(1, store.counter(JournalStore.FIRST_POSITION));
        committed = new Committed(first, next, store.counter(JournalStore.COMMITTED_SAMPLES),
                store.counter(JournalStore.RETAINED_SAMPLES), store.counter(JournalStore.PAYLOAD_BYTES),
                store.counter(JournalStore.DROPPED_SAMPLES), 0);
        for (Map.Entry<String, byte[]> e : store.cursors.entrySet()) {
            Records.Cursor c = Records.cursor(e.getKey(), e.getValue());
            if (c == null) {
                LOG.error("journal cursor {} is damaged: its reader starts again where it starts a new cursor", e.getKey());
                continue;
            }
            cursors.put(e.getKey(), new CursorState(e.getKey(), c.position(), c.samplesBefore()));
        }
        byte[] gapBlob = store.blobs.get("gaps");
        if (gapBlob != null) {
            gaps.addAll(GapCodec.decode(gapBlob));
        }
        long usable = this.usableSpace.getAsLong();
        if (usable != Long.MAX_VALUE) {
            spare.ensure(usable, settings.reserveBytes());
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
            if (state == JournalState.DISK_FULL) {
                refuseForDiskFull(samples);
                return AppendResult.DISK_FULL;
            }
            long bytes = heapBytes(samples);
            if (pending.size() + samples.size() > settings.maxPendingSamples() || pendingBytes + bytes > settings.maxPendingBytes()) {
                refusedBatches++;
                return AppendResult.FULL;
            }
            pending.ensureCapacity(pending.size() + samples.size());
            for (Sample s : samples) {
                int index = dictionary.indexOrAdd(s.channel());
                pending.add(s.withSequence(dictionary.nextSequence(index)));
            }
            pendingBytes += bytes;
            return new AppendResult(true, ++appendTicket);
        } finally {
            appendLock.unlock();
        }
    }

    /** Gives each refused sample its sequence number and records it as dropped, with a gap. Under the append lock. */
    private void refuseForDiskFull(List<Sample> samples) {
        List<Gap> refused = new ArrayList<>();
        for (Sample s : samples) {
            int index = dictionary.indexOrAdd(s.channel());
            long seq = dictionary.nextSequence(index);
            refused.add(new Gap(s.channel(), seq, seq, "disk-full", clock.instant()));
        }
        unpersistedDropped += samples.size();
        unpersistedGaps = mergeGaps(unpersistedGaps, refused);
    }

    /** @return the estimated heap bytes of these samples: what the commit queue's memory bound counts */
    static long heapBytes(List<Sample> samples) {
        long bytes = 0;
        for (Sample s : samples) {
            bytes += s.value() instanceof Waveform w ? 160L + 8L * w.length() : 160;
        }
        return bytes;
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
                byte[] entry = entryAt(position);
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

    /** @return the stored entry at this position, or null; waits while a failed commit reopens the store */
    private byte[] entryAt(long position) {
        storeLock.readLock().lock();
        try {
            return store.entries.get(position);
        } finally {
            storeLock.readLock().unlock();
        }
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
            JournalEntry held = recent.get(position);
            if (held != null) {
                out.add(held);
                samples += held.samples().size();
                position++;
                continue;
            }
            byte[] bytes = entryAt(position);
            if (bytes == null) {
                droppedEntries++;
            } else {
                try {
                    List<Sample> decoded = EntryCodec.decode(bytes, dictionary::channel);
                    out.add(new JournalEntry(position, decoded, EntryCodec.header(bytes).epoch()));
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
                if (failing && state != JournalState.DISK_FULL) {
                    LOG.info("journal commits succeed again");
                    failing = false;
                    lastError = "";
                    state = JournalState.OK;
                }
            } catch (RuntimeException | AssertionError e) {
                // MapDB reports a store it cannot write or read back (a full disk's short write) with an AssertionError
                // too: found by a fresh clone's GatewayDiskFullIT, where it ended the commit thread on a restart
                lastError = e.toString();
                state = JournalState.FAILING;
                if (!failing) {
                    LOG.error("journal commit failed in {} ({} bytes free); the samples stay queued and are retried at the next commit",
                            settings.directory(), usableBytes, e);
                    failing = true;
                }
                try {
                    reopenStore(e);
                } catch (RuntimeException reopenFailure) {
                    // the store stays closed: the next commit fails again and tries the reopen again
                    lastError = reopenFailure.toString();
                    LOG.debug("journal store reopen failed", reopenFailure);
                }
            }
            if (stop || closed) {
                return;
            }
        }
    }

    /** The next batch to commit: the head of the queue, up to {@link #MAX_COMMIT_BYTES} of encoded samples. */
    private record Batch(ArrayList<Sample> samples, long heapBytes, long encodedBytes, long ticket, long dropped, List<Gap> gaps) {
        boolean isEmpty() {
            return samples.isEmpty() && dropped == 0 && gaps.isEmpty();
        }
    }

    private Batch takeBatch() {
        appendLock.lock();
        try {
            ArrayList<Sample> batch;
            long bytes = 0;
            int n = 0;
            while (n < pending.size() && bytes < MAX_COMMIT_BYTES) {
                bytes += encodedEstimate(pending.get(n));
                n++;
            }
            if (n == pending.size()) {
                batch = pending;
                pending = new ArrayList<>(Math.max(16, batch.size()));
            } else {
                batch = new ArrayList<>(pending.subList(0, n));
                pending.subList(0, n).clear();
            }
            long heap = heapBytes(batch);
            pendingBytes -= heap;
            // a batch cut off before the end of the queue cannot tell which ticket it completes: it claims none new
            long ticket = pending.isEmpty() ? appendTicket : committed.ticket();
            Batch b = new Batch(batch, heap, bytes, ticket, unpersistedDropped, unpersistedGaps);
            unpersistedDropped = 0;
            unpersistedGaps = new ArrayList<>();
            inFlight = b;
            return b;
        } finally {
            appendLock.unlock();
        }
    }

    /** Puts a batch that could not be committed back at the head of the queue. */
    private void giveBack(Batch b) {
        appendLock.lock();
        try {
            b.samples().addAll(pending);
            pending = b.samples();
            pendingBytes += b.heapBytes();
            unpersistedDropped += b.dropped();
            unpersistedGaps = mergeGaps(b.gaps(), unpersistedGaps);
            inFlight = null;
        } finally {
            appendLock.unlock();
        }
    }

    /** The commit of the batch in flight is done: its figures move into the committed ones in one step. */
    private void publishCommitted(Committed c) {
        appendLock.lock();
        try {
            committed = c;
            inFlight = null;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * @return the estimated encoded size of a sample (a double sample is 15-18 bytes): what the commit cap, the
     *     free-space check and the entry size go by; an entry is checked again after encoding
     */
    private static long encodedEstimate(Sample x) {
        Value v = x.value();
        return v instanceof Waveform w ? 16L + 8L * w.length()
                : 16 + (v instanceof io.millwright.api.StringValue t ? t.value().length() : 0) + x.quality().reason().length();
    }

    /** @return bytes the journal may still write on its filesystem beyond the reserve, negative below the reserve */
    private long headroom() {
        long usable = usableSpace.getAsLong();
        usableBytes = usable == Long.MAX_VALUE ? -1 : usable;
        return usable == Long.MAX_VALUE ? Long.MAX_VALUE : usable - reserve();
    }

    /** @return the free space to keep: none while the queue drains at close */
    private long reserve() {
        return closingDrain ? 0 : settings.reserveBytes();
    }

    /** Writes the head of the queue as entries and commits. Runs on the commit thread only. */
    private void commitOnce() {
        boolean cursorsDirty = !deletedCursors.isEmpty() || cursors.values().stream().anyMatch(c -> c.dirty);
        Batch b = takeBatch();
        if (b.isEmpty() && !cursorsDirty && state == JournalState.OK) {
            return;
        }
        long payloadBytes = b.encodedBytes();
        // a commit writes its data twice (the write-ahead log, then the store) plus index pages
        long need = 2 * payloadBytes + (1L << 20);
        long headroom = headroom();
        long makeRoom = 0;
        if (headroom < need) {
            // below the reserve: the oldest entries make room inside the file so that it need not grow; the log
            // (deleted after the commit) may use the reserve. Once DISK_FULL, the journal waits for the whole reserve.
            boolean roomInFile = committed.payloadBytes() > payloadBytes;
            if ((state != JournalState.DISK_FULL || closingDrain) && roomInFile && headroom + reserve() >= payloadBytes + (1L << 20)) {
                makeRoom = payloadBytes;
            } else {
                enterDiskFull(b, headroom + reserve());
                return;
            }
        }
        if (state == JournalState.DISK_FULL) {
            state = JournalState.OK;
            if (!closingDrain) {
                LOG.info("journal: free space is back in {} ({} bytes usable): commits resume", settings.directory(), usableBytes);
                spare.ensure(usableBytes, settings.reserveBytes() + need);
            }
        }
        write(b, makeRoom);
    }

    /** The disk is full: nothing is written, the batch goes back, appends are refused until space returns. */
    private void enterDiskFull(Batch b, long usable) {
        giveBack(b);
        if (state != JournalState.DISK_FULL) {
            appendLock.lock();
            try {
                state = JournalState.DISK_FULL;
            } finally {
                appendLock.unlock();
            }
            LOG.error("journal DISK_FULL: {} has {} bytes free, below the reserve of {} bytes, and dropping the journal's oldest"
                    + " entries cannot make room; appends are refused (counted per channel as dropped, gap reason disk-full) until"
                    + " space returns; {} accepted samples wait in memory", settings.directory(), usable, settings.reserveBytes(),
                    b.samples().size());
        }
    }

    private void write(Batch b, long makeRoom) {
        ArrayList<Sample> batch = b.samples();
        long ticket = b.ticket();
        long started = System.nanoTime();
        Committed k = committed;
        long next = k.endPosition();
        long first = k.firstPosition();
        long total = k.committedSamples();
        long retained = k.retainedSamples();
        long payload = k.payloadBytes();
        long dropped = k.droppedSamples() + b.dropped();
        int channelsBefore = persistedChannels;
        List<Gap> newGaps = new ArrayList<>(b.gaps());
        JournalStore s = store;
        attemptedBatch = b;
        attempted = null;
        try {
            // read before this commit's puts: the marker around the commit says what the journal was before it
            Records.HighWater highWaterBefore = s.highWater();
            List<RecentEntries.Made> made = new ArrayList<>();
            int from = 0;
            while (from < batch.size()) {
                int to = entryEnd(batch, from);
                byte[] entry = EntryCodec.encode(batch, from, to, epoch, next, total, dictionary::index);
                while (entry.length > Settings.MAX_RECORD_BYTES && to - from > 1) {
                    // the estimate was short (long strings, quality reasons): halve until it fits in one MapDB record
                    to = from + (to - from) / 2;
                    entry = EntryCodec.encode(batch, from, to, epoch, next, total, dictionary::index);
                }
                made.add(RecentEntries.Made.of(new JournalEntry(next, batch.subList(from, to), epoch), entry.length));
                s.entries.put(next++, entry);
                payload += entry.length;
                total += to - from;
                retained += to - from;
                from = to;
            }
            int channelCount = dictionary.size();
            Map<Integer, Long> lastSeq = new HashMap<>();
            for (int i = persistedChannels; i < channelCount; i++) {
                lastSeq.put(i, persistedLast.getOrDefault(i, 0L));
            }
            for (Sample x : batch) {
                lastSeq.merge(dictionary.index(x.channel()), x.sequence(), Math::max);
            }
            for (Gap g : b.gaps()) {
                lastSeq.merge(dictionary.index(g.channel()), g.toSequence(), Math::max);
            }
            for (int i = persistedChannels; i < channelCount; i++) {
                // a second copy of a new channel's name, so that one damaged record does not lose a channel's entries
                s.channelRecords.put(-1 - i, new Records.Channel(i, dictionary.channel(i).toString(), 0).encode());
            }
            long sequenceTotal = persistedLast.values().stream().mapToLong(Long::longValue).sum();
            for (Map.Entry<Integer, Long> e : lastSeq.entrySet()) {
                sequenceTotal += e.getValue() - persistedLast.getOrDefault(e.getKey(), 0L);
                s.channelRecords.put(e.getKey(), new Records.Channel(e.getKey(), dictionary.channel(e.getKey()).toString(), e.getValue()).encode());
            }
            for (String gone = deletedCursors.poll(); gone != null; gone = deletedCursors.poll()) {
                if (!cursors.containsKey(gone)) {
                    s.cursors.remove(gone);
                }
            }
            List<CursorState> written = new ArrayList<>();
            for (CursorState c : cursors.values()) {
                if (c.dirty) {
                    c.dirty = false;
                    written.add(c);
                    Mark m = c.mark;
                    s.cursors.put(c.name, new Records.Cursor(c.name, m.position(), m.samplesBefore()).encode());
                }
            }
            long slowestReader = cursors.values().stream().mapToLong(CursorState::position).min().orElse(Long.MIN_VALUE);
            long budget = Math.min(settings.budgetBytes(), makeRoom > 0 ? payload - makeRoom : Long.MAX_VALUE);
            String reason = budget < settings.budgetBytes() ? "disk-space" : "disk-budget";
            long droppedBefore = dropped;
            while (payload > budget && first < next - 1) {
                byte[] old = s.entries.remove(first);
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
                    newGaps.addAll(gapsOf(old, reason));
                }
            }
            if (!newGaps.isEmpty()) {
                List<Gap> merged = mergeGaps(gaps, newGaps);
                s.blobs.put("gaps", GapCodec.encode(merged));
            }
            s.counters.put(JournalStore.NEXT_POSITION, next);
            s.counters.put(JournalStore.FIRST_POSITION, first);
            s.counters.put(JournalStore.COMMITTED_SAMPLES, total);
            s.counters.put(JournalStore.RETAINED_SAMPLES, retained);
            s.counters.put(JournalStore.PAYLOAD_BYTES, payload);
            s.counters.put(JournalStore.DROPPED_SAMPLES, dropped);
            s.blobs.put(JournalStore.HIGH_WATER, new Records.HighWater(epoch, commitNumber + 1, first, next, total - retained, total, dropped,
                    sequenceTotal).encode());
            attempted = new Committed(first, next, total, retained, payload, dropped, ticket);
            Map<Integer, Long> lastBefore = new HashMap<>();
            for (Integer channel : lastSeq.keySet()) {
                lastBefore.put(channel, persistedLast.getOrDefault(channel, 0L));
            }
            try {
                s.commit(new CommitMarker.Before(highWaterBefore, k.endPosition(), lastBefore));
            } catch (RuntimeException | AssertionError e) {
                written.forEach(c -> c.dirty = true);
                throw e;
            }
            attempted = null;
            attemptedBatch = null;
            recent.committed(made, first, System.nanoTime());
            persistedChannels = channelCount;
            persistedLast.putAll(lastSeq);
            commitNumber++;
            if (!newGaps.isEmpty()) {
                synchronized (gaps) {
                    List<Gap> merged = mergeGaps(gaps, newGaps);
                    gaps.clear();
                    gaps.addAll(merged);
                }
                long nowMillis = System.currentTimeMillis();
                if (dropped > droppedBefore && nowMillis - lastBudgetWarning > 60_000) {
                    lastBudgetWarning = nowMillis;
                    LOG.warn("journal {}: dropping the oldest entries ({} samples lost in total; each loss is listed as a gap in the"
                            + " journal statistics)", reason.equals("disk-space")
                                    ? "free space in " + settings.directory() + " is below the reserve of " + settings.reserveBytes() + " bytes"
                                    : "disk budget of " + settings.budgetBytes() + " bytes reached", dropped);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            // no MapDB rollback: it writes to the write-ahead log too, and on a full disk each attempt starts a new log
            // file; the commit loop reopens the store instead (reopenStore)
            persistedChannels = channelsBefore;
            throw e;
        }
        publishCommitted(new Committed(first, next, total, retained, payload, dropped, ticket));
        long now = System.nanoTime();
        if (!firstCommitLogged && !batch.isEmpty()) {
            firstCommitLogged = true;
            LOG.info("journal: first {} samples committed since open", batch.size());
        }
        commits++;
        lastCommitMillis = (now - started) / 1e6;
        commitLatency.recordNanos(now - started);
        rateWindow.addLast(new long[] {now, total});
        while (rateWindow.size() > 2 && now - rateWindow.peekFirst()[0] > TimeUnit.SECONDS.toNanos(5)) {
            rateWindow.removeFirst();
        }
        long[] oldest = rateWindow.peekFirst();
        commitRate = now == oldest[0] ? 0 : (total - oldest[1]) * 1e9 / (now - oldest[0]);
    }

    /**
     * After a failed MapDB commit the store's state in memory and on disk may differ (MapDB wrote its log, then
     * failed writing the store): close it, remove the log, open it again and take what the file says. If the file
     * holds the attempted commit, the batch landed; otherwise it goes back to the head of the queue.
     */
    private void reopenStore(Throwable cause) {
        Committed tried = attempted;
        Batch batch = attemptedBatch;
        attempted = null;
        attemptedBatch = null;
        if (batch == null) {
            return;
        }
        storeLock.writeLock().lock();
        try {
            store.close();
        } catch (RuntimeException | Error e) {
            LOG.debug("closing the journal store after a failed commit", e);
        } finally {
            JournalStore.removeWriteAheadLogs(settings.directory());
            try {
                store = JournalStore.open(settings.directory(), clock, false);
            } catch (RuntimeException e) {
                if (!e.toString().equals(lastReopenError)) {
                    lastReopenError = e.toString();
                    LOG.error("journal {} cannot be reopened after a failed commit (tried again at every commit): {}", settings.directory(),
                            e.toString());
                }
                storeLock.writeLock().unlock();
                giveBack(batch);
                throw e;
            }
            storeLock.writeLock().unlock();
        }
        recent.clear();
        JournalStore s = store;
        long next = s.counter(JournalStore.NEXT_POSITION);
        persistedLast.clear();
        Recovery.readDictionary(s, new HashMap<>(), persistedLast);
        persistedChannels = (int) s.channelRecords.keySet().stream().filter(k -> k >= 0).count();
        Records.HighWater mark = s.highWater();
        commitNumber = mark == null ? 0 : mark.commit();
        cursors.values().forEach(c -> c.dirty = true);
        if (tried != null && next == tried.endPosition() && s.counter(JournalStore.COMMITTED_SAMPLES) == tried.committedSamples()) {
            publishCommitted(tried);
            LOG.warn("journal: the failed commit had reached the file; its {} samples are committed", batch.samples().size());
        } else {
            committed = new Committed(Math.max(1, s.counter(JournalStore.FIRST_POSITION)), Math.max(1, next),
                    s.counter(JournalStore.COMMITTED_SAMPLES), s.counter(JournalStore.RETAINED_SAMPLES),
                    s.counter(JournalStore.PAYLOAD_BYTES), s.counter(JournalStore.DROPPED_SAMPLES), committed.ticket());
            giveBack(batch);
        }
    }

    private int entryEnd(List<Sample> batch, int from) {
        int limit = Math.min(batch.size(), from + settings.maxEntrySamples());
        long bytes = 0;
        int i = from;
        while (i < limit) {
            bytes += encodedEstimate(batch.get(i));
            i++;
            if (bytes >= Settings.MAX_ENTRY_BYTES) {
                break;
            }
        }
        return i;
    }

    private List<Gap> gapsOf(byte[] entry, String reason) {
        List<Gap> out = new ArrayList<>();
        try {
            Map<ChannelId, long[]> ranges = new HashMap<>();
            for (Sample s : EntryCodec.decode(entry, dictionary::channel)) {
                ranges.merge(s.channel(), new long[] {s.sequence(), s.sequence()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            ranges.forEach((ch, r) -> out.add(new Gap(ch, r[0], r[1], reason, clock.instant())));
        } catch (EntryCodec.DamagedEntryException e) {
            LOG.error("a damaged journal entry was dropped by the disk budget; its gap cannot be attributed to channels");
        }
        out.sort(Comparator.comparing(g -> g.channel().toString()));
        return out;
    }

    /**
     * Adds gaps to a list, extending a channel's newest gap when the added one continues it (a full disk refuses every
     * sample of every channel one by one: without this each would be a gap of its own). The newest {@value #MAX_GAPS}
     * gaps, by where they start, are kept.
     */
    static List<Gap> mergeGaps(List<Gap> existing, List<Gap> added) {
        List<Gap> out;
        synchronized (existing) {
            out = new ArrayList<>(existing);
        }
        // every channel's newest gap, wherever it is in the list (looking back 64 gaps only, a plant of more channels than
        // that made a gap per refused sample, and the oldest fell off the list: GatewayDiskFullIT with the quality channels)
        Map<ChannelId, Integer> newest = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            newest.put(out.get(i).channel(), i);
        }
        for (Gap g : added) {
            Integer last = newest.get(g.channel());
            if (last != null && out.get(last).toSequence() + 1 == g.fromSequence()) {
                out.set(last, new Gap(g.channel(), out.get(last).fromSequence(), g.toSequence(), g.reason(), g.at()));
            } else {
                out.add(g);
                newest.put(g.channel(), out.size() - 1);
            }
        }
        return out.size() > MAX_GAPS ? new ArrayList<>(out.subList(out.size() - MAX_GAPS, out.size())) : out;
    }

    @Override
    public JournalStatistics statistics() {
        Committed k;
        int pendingSamples;
        long refused;
        long unpersisted;
        List<Gap> recentGaps;
        appendLock.lock();
        try {
            k = committed;
            Batch b = inFlight;
            pendingSamples = pending.size() + (b == null ? 0 : b.samples().size());
            refused = refusedBatches;
            unpersisted = unpersistedDropped + (b == null ? 0 : b.dropped());
            recentGaps = b == null || b.gaps().isEmpty() ? unpersistedGaps : mergeGaps(b.gaps(), unpersistedGaps);
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
            gapCopy = recentGaps.isEmpty() ? List.copyOf(gaps) : mergeGaps(gaps, recentGaps);
        }
        String recovery = store.recovery();
        String error = lastError;
        return new JournalStatistics(settings.directory().toString(), fileBytes(), k.payloadBytes(), settings.budgetBytes(),
                k.endPosition() - k.firstPosition(), k.retainedSamples(), k.firstPosition(), k.endPosition(),
                k.committedSamples(), k.ticket(), pendingSamples, commitRate, commits, lastCommitMillis,
                k.droppedSamples() + unpersisted, refused, gapCopy, cursorStats,
                error.isEmpty() ? recovery : (recovery.isEmpty() ? "" : recovery + "; ") + "last commit failed: " + error,
                state, usableBytes, settings.reserveBytes(), epoch, commitLatency.snapshot());
    }

    private static FileStore fileStoreOf(Path directory) {
        try {
            return Files.getFileStore(directory);
        } catch (IOException e) {
            LOG.warn("journal: cannot watch the free space of {} ({}): only the disk budget limits the journal", directory, e.toString());
            return null;
        }
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
     * Commits what is still queued; what cannot be written (the disk is full, the store fails) is counted as dropped,
     * with its gaps, and the count is committed if the disk takes that much — and said in the log either way.
     */
    private void drainAtClose() {
        closingDrain = true;
        if (state != JournalState.OK) {
            long freed = spare.release();
            if (freed > 0) {
                LOG.info("journal closing in state {}: released {} bytes of spare space for the last commit", state, freed);
            }
        }
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int before;
            appendLock.lock();
            try {
                before = pending.size() + (unpersistedGaps.isEmpty() ? 0 : 1);
            } finally {
                appendLock.unlock();
            }
            // a cursor advanced while the commit thread was in its last commit (which had already looked at the cursors)
            // must still be written: without this, a reader's acknowledged position was lost at a clean close now and then
            // (MapDbJournalTest.sequencesCursorsAndDataSurviveAReopen in a fresh clone)
            if (!deletedCursors.isEmpty() || cursors.values().stream().anyMatch(c -> c.dirty)) {
                before++;
            }
            if (before == 0 || state == JournalState.FAILING) {
                break;
            }
            try {
                commitOnce();
            } catch (RuntimeException | AssertionError e) {
                LOG.error("journal: the last commit before close failed", e);
                try {
                    reopenStore(e);
                } catch (RuntimeException reopenFailure) {
                    e.addSuppressed(reopenFailure);
                }
                break;
            }
            if (state == JournalState.DISK_FULL) {
                break;
            }
        }
        List<Sample> lost;
        appendLock.lock();
        try {
            lost = pending;
            pending = new ArrayList<>();
            pendingBytes = 0;
            if (!lost.isEmpty()) {
                List<Gap> lostGaps = new ArrayList<>();
                for (Sample x : lost) {
                    lostGaps.add(new Gap(x.channel(), x.sequence(), x.sequence(), state == JournalState.DISK_FULL ? "disk-full" : "unwritable",
                            clock.instant()));
                }
                unpersistedDropped += lost.size();
                unpersistedGaps = mergeGaps(unpersistedGaps, lostGaps);
            }
        } finally {
            appendLock.unlock();
        }
        if (lost.isEmpty() && unpersistedDropped == 0) {
            return;
        }
        LOG.error("journal closing in state {}: {} accepted samples could not be written and are lost ({} bytes free in {});"
                + " they are counted as dropped, with gaps", state, lost.size(), usableBytes, settings.directory());
        try {
            write(takeBatch(), 0);
        } catch (RuntimeException e) {
            attempted = null;
            attemptedBatch = null;
            LOG.error("journal: the count of lost samples could not be written either ({}); {} samples are lost without a record"
                    + " in the file", e.toString(), unpersistedDropped + lost.size());
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
        } else {
            drainAtClose();
        }
        store.close();
        JournalStore.removeWriteAheadLogs(settings.directory());
        LOG.info("journal closed at {}: {} samples committed", settings.directory(), committed.committedSamples());
    }
}
