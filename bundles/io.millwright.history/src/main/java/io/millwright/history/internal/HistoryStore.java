package io.millwright.history.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Waveform;
import io.millwright.history.api.HistoryPoint;
import io.millwright.history.api.HistoryQuery;
import io.millwright.history.api.HistorySeries;
import io.millwright.history.api.Resolution;
import io.millwright.history.api.WaveformBlock;
import io.millwright.journal.api.JournalEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerArrayTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history's MapDB file ({@code history.db}, transactional): raw blocks (one per channel and minute), one-minute
 * and one-hour rollups, waveform blocks, the channel dictionary and the reader's own journal position. Samples are
 * added to in-memory copies of the windows they touch; {@link #commit} writes those windows and the position in one
 * transaction, so after a crash the store is at its last commit and reading resumes from the position saved with it:
 * no window is lost or counted twice. A crash inside a commit can leave MapDB's file part old and part new: the store
 * then starts from its checkpoint ({@code history.db.checkpoint}, {@link StoreCheckpoint}) and resumes from the
 * position saved with that. A store that no longer opens is set aside as {@code history.db.damaged-<time>} and history
 * continues from the checkpoint, or starts afresh from the journal's retained entries (it is derived data; the journal
 * is the record).
 *
 * <p>Keys are {@code channel << 40 | startSeconds}: of a raw block (a minute), a chunk of minute rollups (an hour) or a
 * chunk of hour rollups (a day) — {@link RollupChunk}. Written by one thread (the rollup reader); queried by any.
 */
public final class HistoryStore implements AutoCloseable {

    static final String FILE = "history.db";
    static final long MINUTE = 60_000_000L;
    static final long HOUR = 3_600_000_000L;
    static final long DAY = 24 * HOUR;
    /** Bytes counted per stored entry on top of its value (key, node share): the budget's estimate. */
    static final long ENTRY_OVERHEAD = 48;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final Path file;
    private final DB db;
    private final StoreCheckpoint checkpoint;
    private final HTreeMap<String, Integer> channelIds;
    private final Set<Integer> waveformChannels;
    private final BTreeMap<Long, byte[]> raw;
    private final BTreeMap<Long, byte[]> minutes;
    private final BTreeMap<Long, byte[]> hours;
    private final BTreeMap<Object[], byte[]> waveforms;
    private final HTreeMap<String, Long> meta;
    private final Map<ChannelId, Integer> channels = new ConcurrentHashMap<>();

    private final Map<Long, RollupChunk> dirtyMinutes = new HashMap<>();
    private final Map<Long, RollupChunk> dirtyHours = new HashMap<>();
    private Horizons horizons = Horizons.KEEP_ALL;
    private final Map<Long, RawBlock> dirtyRaw = new HashMap<>();
    private final Map<Long, Integer> rawOldLength = new HashMap<>();
    private final Map<Object[], byte[]> newWaveforms = new HashMap<>();
    private long pendingLost;

    private HistoryStore(Path file, DB db, StoreCheckpoint checkpoint) {
        this.file = file;
        this.db = db;
        this.checkpoint = checkpoint;
        this.channelIds = db.hashMap("channels", Serializer.STRING, Serializer.INTEGER).createOrOpen();
        this.waveformChannels = db.hashSet("waveformChannels", Serializer.INTEGER).createOrOpen();
        this.raw = db.treeMap("raw", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.minutes = db.treeMap("minute", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.hours = db.treeMap("hour", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.waveforms = db.treeMap("waveforms").keySerializer(new SerializerArrayTuple(Serializer.INTEGER, Serializer.LONG))
                .valueSerializer(Serializer.BYTE_ARRAY).createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
        channelIds.forEach((name, id) -> channels.put(ChannelId.parse(name), id));
    }

    /**
     * Opens the store in this directory: creating it; after a run that ended inside a commit, from its checkpoint
     * ({@link StoreCheckpoint}); when it does not open, setting it aside and starting from the checkpoint, or afresh.
     */
    public static HistoryStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the history folder " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve(FILE);
        StoreCheckpoint checkpoint;
        try {
            checkpoint = StoreCheckpoint.prepare(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the history store " + file + " (its state or checkpoint): " + e.getMessage(), e);
        }
        try {
            HistoryStore store = new HistoryStore(file, openOrSetAside(file, checkpoint, clock), checkpoint);
            if (!checkpoint.hasCheckpoint() || checkpoint.tag() != store.position()) {
                try {
                    store.checkpoint();
                } catch (IllegalStateException e) {
                    LOG.warn("{}; tried again at the next checkpoint", e.getMessage());
                }
            }
            return store;
        } catch (RuntimeException e) {
            closeQuietly(checkpoint);
            throw e;
        }
    }

    private static DB openOrSetAside(Path file, StoreCheckpoint checkpoint, Clock clock) {
        try {
            return make(file);
        } catch (RuntimeException e) {
            if (!Files.exists(file)) {
                throw e;
            }
            Path aside = file.resolveSibling(FILE + ".damaged-" + clock.millis());
            try {
                Files.move(file, aside);
                if (checkpoint.hasCheckpoint()) {
                    Files.copy(file.resolveSibling(FILE + StoreCheckpoint.CHECKPOINT), file);
                }
            } catch (IOException io) {
                throw new IllegalStateException("cannot set aside the damaged history store " + file + ": " + io.getMessage(), io);
            }
            if (checkpoint.hasCheckpoint()) {
                try {
                    LOG.warn("history store {} does not open ({}): set aside as {}; continuing from its checkpoint (journal position {})",
                            file, e.toString(), aside.getFileName(), checkpoint.tag());
                    return make(file);
                } catch (RuntimeException again) {
                    LOG.warn("history store's checkpoint does not open either ({}): history is rebuilt from the journal's retained entries",
                            again.toString());
                    try {
                        Files.delete(file);
                    } catch (IOException io) {
                        throw new IllegalStateException("cannot remove the damaged copy of the history checkpoint " + file + ": " + io.getMessage(), io);
                    }
                }
            } else {
                LOG.warn("history store {} does not open ({}): set aside as {}; history is rebuilt from the journal's retained entries",
                        file, e.toString(), aside.getFileName());
            }
            return make(file);
        }
    }

    private static void closeQuietly(StoreCheckpoint checkpoint) {
        try {
            checkpoint.close();
        } catch (IOException e) {
            LOG.debug("closing the history store's state", e);
        }
    }

    private static DB make(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileLockDisable().make();
    }

    /** @return the journal position saved with the last commit, or -1 for a new store */
    long position() {
        return meta.getOrDefault("position", -1L);
    }

    long counter(String name) {
        return meta.getOrDefault(name, 0L);
    }

    int channelCount() {
        return channels.size();
    }

    long fileBytes() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Source times before which each level keeps nothing (now minus its retention): a backlog of old samples is not
     * written only to be trimmed at the next retention pass.
     */
    record Horizons(long waveformMicros, long rawMicros, long minuteMicros, long hourMicros) {
        static final Horizons KEEP_ALL = new Horizons(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);

        static Horizons of(long nowMicros, Retention r) {
            return new Horizons(nowMicros - r.waveformMicros(), nowMicros - r.rawMicros(), nowMicros - r.minuteMicros(), nowMicros - r.hourMicros());
        }
    }

    /** Adds the samples of these entries to the windows they touch (in memory until {@link #commit}). */
    void add(List<JournalEntry> entries, long droppedSamples) {
        add(entries, droppedSamples, Horizons.KEEP_ALL);
    }

    void add(List<JournalEntry> entries, long droppedSamples, Horizons keep) {
        this.horizons = keep;
        pendingLost += droppedSamples;
        for (JournalEntry entry : entries) {
            for (Sample s : entry.samples()) {
                add(s);
            }
        }
    }

    private void add(Sample s) {
        long t = s.sourceTimeMicros();
        if (t < 0 || s.value() instanceof StringValue) {
            return;
        }
        double v;
        int ch = channel(s.channel());
        boolean bad = s.quality().level() == QualityLevel.BAD;
        if (t < horizons.hourMicros()) {
            return;
        }
        if (s.value() instanceof Waveform w) {
            v = rms(w);
            if (!waveformChannels.contains(ch)) {
                waveformChannels.add(ch);
            }
            ByteBuffer b = ByteBuffer.allocate(Double.BYTES + 1 + w.length() * Double.BYTES).putDouble(w.sampleRateHz()).put((byte) (bad ? 1 : 0));
            for (int i = 0; i < w.length(); i++) {
                b.putDouble(w.point(i));
            }
            if (t >= horizons.waveformMicros()) {
                newWaveforms.put(new Object[] {ch, t}, b.array());
            }
        } else {
            v = s.value().asDouble();
        }
        if (!Double.isFinite(v)) {
            return;
        }
        long base = (long) ch << 40;
        long minuteStart = Math.floorDiv(t, MINUTE) * MINUTE;
        long hourStart = Math.floorDiv(t, HOUR) * HOUR;
        long dayStart = Math.floorDiv(t, DAY) * DAY;
        dirtyHours.computeIfAbsent(base | (dayStart / 1_000_000L), k -> new RollupChunk(24, hours.get(k)))
                .add((int) ((hourStart - dayStart) / HOUR), t, v, bad);
        if (t < horizons.minuteMicros()) {
            return;
        }
        dirtyMinutes.computeIfAbsent(base | (hourStart / 1_000_000L), k -> new RollupChunk(60, minutes.get(k)))
                .add((int) ((minuteStart - hourStart) / MINUTE), t, v, bad);
        if (t < horizons.rawMicros()) {
            return;
        }
        long minuteKey = base | (minuteStart / 1_000_000L);
        dirtyRaw.computeIfAbsent(minuteKey, k -> {
            byte[] old = raw.get(k);
            rawOldLength.put(k, old == null ? -1 : old.length);
            return new RawBlock(old);
        }).add(t, v, bad);
    }

    static double rms(Waveform w) {
        double sum = 0;
        for (int i = 0; i < w.length(); i++) {
            double p = w.point(i);
            sum += p * p;
        }
        return w.length() == 0 ? Double.NaN : Math.sqrt(sum / w.length());
    }

    private int channel(ChannelId id) {
        Integer known = channels.get(id);
        if (known != null) {
            return known;
        }
        int next = (int) counter("nextChannel");
        if (next >= (1 << 22)) {
            throw new IllegalStateException("history holds " + next + " channels, its limit");
        }
        channelIds.put(id.toString(), next);
        meta.put("nextChannel", next + 1L);
        channels.put(id, next);
        return next;
    }

    /** Writes the touched windows and the journal position after them in one transaction. */
    void commit(long nextPosition) {
        long bytes = 0;
        long newMinutes = 0;
        long newHours = 0;
        long newRaw = 0;
        for (Map.Entry<Long, RollupChunk> e : dirtyMinutes.entrySet()) {
            if (minutes.put(e.getKey(), e.getValue().encode()) == null) {
                bytes += ENTRY_OVERHEAD;
            }
            newMinutes += e.getValue().added;
            bytes += (long) e.getValue().added * RollupChunk.ENTRY;
        }
        for (Map.Entry<Long, RollupChunk> e : dirtyHours.entrySet()) {
            if (hours.put(e.getKey(), e.getValue().encode()) == null) {
                bytes += ENTRY_OVERHEAD;
            }
            newHours += e.getValue().added;
            bytes += (long) e.getValue().added * RollupChunk.ENTRY;
        }
        long skipped = 0;
        for (Map.Entry<Long, RawBlock> e : dirtyRaw.entrySet()) {
            byte[] block = e.getValue().encode();
            raw.put(e.getKey(), block);
            skipped += e.getValue().skipped;
            int old = rawOldLength.get(e.getKey());
            if (old < 0) {
                newRaw++;
                bytes += block.length + ENTRY_OVERHEAD;
            } else {
                bytes += block.length - old;
            }
        }
        for (Map.Entry<Object[], byte[]> e : newWaveforms.entrySet()) {
            if (waveforms.put(e.getKey(), e.getValue()) == null) {
                bytes += e.getValue().length + ENTRY_OVERHEAD;
                increment("waveformBlocks", 1);
            }
        }
        increment("minuteWindows", newMinutes);
        increment("hourWindows", newHours);
        increment("rawBlocks", newRaw);
        increment("storedBytes", bytes);
        increment("lostSamples", pendingLost);
        increment("rawSkipped", skipped);
        meta.put("position", nextPosition);
        commitGuarded();
        dirtyMinutes.clear();
        dirtyHours.clear();
        dirtyRaw.clear();
        rawOldLength.clear();
        newWaveforms.clear();
        pendingLost = 0;
    }

    private void commitGuarded() {
        try {
            checkpoint.commit(db::commit);
        } catch (IOException e) {
            throw new IllegalStateException("history store " + file + ": cannot write its state before a commit: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the store as its last commit left it to its checkpoint, which a run that ends inside a later commit
     * starts from. Call between commits, on the thread that commits.
     *
     * @return bytes written
     */
    long checkpoint() {
        try {
            return checkpoint.checkpoint(position());
        } catch (IOException e) {
            throw new IllegalStateException("history store " + file + ": cannot write its checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * @return the journal position of the checkpoint (-1: none): what a run that ends inside a commit reads again
     *     from, so the journal must keep what follows it
     */
    long checkpointPosition() {
        return checkpoint.tag();
    }

    /** @return what the open found: a clean store, or one that started from its checkpoint */
    StoreCheckpoint.Opening opening() {
        return checkpoint.opening();
    }

    private void increment(String name, long delta) {
        if (delta != 0) {
            meta.put(name, counter(name) + delta);
        }
    }

    /** @return whether samples are waiting for {@link #commit} */
    boolean dirty() {
        return !dirtyHours.isEmpty() || !newWaveforms.isEmpty() || pendingLost != 0;
    }

    // ---------------------------------------------------------------- retention and budget

    /**
     * Removes what is older than each level's retention, then, while the stored bytes exceed the budget, the oldest
     * part of the finest level that still holds any (waveforms, raw, minutes, hours). Commits.
     *
     * @return windows removed because of the budget
     */
    long trim(long nowMicros, Retention retention) {
        removeBefore(Level.WAVEFORM, nowMicros - retention.waveformMicros());
        removeBefore(Level.RAW, nowMicros - retention.rawMicros());
        removeBefore(Level.MINUTE, nowMicros - retention.minuteMicros());
        removeBefore(Level.HOUR, nowMicros - retention.hourMicros());
        long byBudget = 0;
        for (Level level : Level.values()) {
            while (counter("storedBytes") > retention.budgetBytes()) {
                long oldest = oldest(level);
                if (oldest == Long.MAX_VALUE) {
                    break;
                }
                byBudget += removeBefore(level, oldest + level.budgetStepMicros);
            }
        }
        increment("trimmedByBudget", byBudget);
        commitGuarded();
        return byBudget;
    }

    enum Level {
        WAVEFORM(5 * HistoryStore.MINUTE), RAW(HistoryStore.HOUR), MINUTE(24 * HistoryStore.HOUR), HOUR(30 * 24 * HistoryStore.HOUR);

        final long budgetStepMicros;

        Level(long budgetStepMicros) {
            this.budgetStepMicros = budgetStepMicros;
        }
    }

    private long oldest(Level level) {
        long oldest = Long.MAX_VALUE;
        for (int ch : channels.values()) {
            long t = oldestOf(level, ch);
            oldest = Math.min(oldest, t);
        }
        return oldest;
    }

    /** @return the start of the channel's oldest stored window of this level in microseconds, or Long.MAX_VALUE */
    long oldestOf(Level level, int ch) {
        if (level == Level.WAVEFORM) {
            Object[] k = waveforms.ceilingKey(new Object[] {ch, Long.MIN_VALUE});
            return k == null || (int) k[0] != ch ? Long.MAX_VALUE : (long) k[1];
        }
        BTreeMap<Long, byte[]> map = level == Level.RAW ? raw : level == Level.MINUTE ? minutes : hours;
        Map.Entry<Long, byte[]> first = map.ceilingEntry((long) ch << 40);
        if (first == null || (first.getKey() >>> 40) != ch) {
            return Long.MAX_VALUE;
        }
        long start = (first.getKey() & ((1L << 40) - 1)) * 1_000_000L;
        // a chunk's first filled window
        return level == Level.RAW ? start : start + Math.max(0, RollupChunk.firstSlot(first.getValue())) * window(level);
    }

    private long removeBefore(Level level, long cutoffMicros) {
        if (cutoffMicros <= 0) {
            return 0;
        }
        long removed = 0;
        long bytes = 0;
        for (int ch : channels.values()) {
            if (level == Level.WAVEFORM) {
                NavigableMap<Object[], byte[]> old = waveforms.subMap(new Object[] {ch, Long.MIN_VALUE}, true, new Object[] {ch, cutoffMicros}, false);
                for (byte[] v : old.values()) {
                    bytes += v.length + ENTRY_OVERHEAD;
                    removed++;
                }
                old.clear();
                continue;
            }
            BTreeMap<Long, byte[]> map = level == Level.RAW ? raw : level == Level.MINUTE ? minutes : hours;
            long base = (long) ch << 40;
            // whole blocks and chunks only: those that end at or before the cutoff
            long span = level == Level.RAW ? MINUTE : level == Level.MINUTE ? HOUR : DAY;
            long before = Math.floorDiv(cutoffMicros, span) * span - span;
            if (before < 0) {
                continue;
            }
            NavigableMap<Long, byte[]> old = map.subMap(base, true, base | (before / 1_000_000L), true);
            for (byte[] v : old.values()) {
                bytes += v.length + ENTRY_OVERHEAD;
                removed += level == Level.RAW ? 1 : RollupChunk.windows(v);
            }
            old.clear();
        }
        if (removed > 0) {
            increment(level == Level.WAVEFORM ? "waveformBlocks" : level == Level.RAW ? "rawBlocks"
                    : level == Level.MINUTE ? "minuteWindows" : "hourWindows", -removed);
            increment("storedBytes", -bytes);
        }
        return removed;
    }

    // ---------------------------------------------------------------- queries

    public HistorySeries query(HistoryQuery q) {
        Integer ch = channels.get(q.channel());
        long from = q.from().getEpochSecond() * 1_000_000L + q.from().getNano() / 1000;
        long to = q.to().getEpochSecond() * 1_000_000L + q.to().getNano() / 1000;
        if (ch == null) {
            return new HistorySeries(q.channel(), Resolution.RAW, 0, List.of(), List.of());
        }
        if (q.raw() && waveformChannels.contains(ch)) {
            return waveformBlocks(q, ch, from, to);
        }
        Resolution level = level(ch, from, to, q.points());
        if (level == Resolution.RAW) {
            return rawSeries(q, ch, from, to);
        }
        BTreeMap<Long, byte[]> map = level == Resolution.MINUTE ? minutes : hours;
        long window = level == Resolution.MINUTE ? MINUTE : HOUR;
        long chunk = level == Resolution.MINUTE ? HOUR : DAY;
        Buckets buckets = Buckets.cut(from, to, q.points(), window);
        Rollup[] merged = new Rollup[buckets.count()];
        long base = (long) ch << 40;
        long firstChunk = Math.floorDiv(buckets.first(), chunk) * chunk;
        for (Map.Entry<Long, byte[]> e : map.subMap(base | (firstChunk / 1_000_000L), true, base | (buckets.end() / 1_000_000L), false).entrySet()) {
            long chunkStart = (e.getKey() & ((1L << 40) - 1)) * 1_000_000L;
            RollupChunk.forEach(e.getValue(), chunkStart, window, (start, buffer, offset) -> {
                if (start < buckets.first() || start >= buckets.end()) {
                    return;
                }
                int i = buckets.index(start);
                if (merged[i] == null) {
                    merged[i] = new Rollup();
                }
                merged[i].merge(buffer, offset);
            });
        }
        return new HistorySeries(q.channel(), level, buckets.width(), points(merged, buckets), List.of());
    }

    /**
     * The finest level whose windows are fine enough for the points asked for, unless it no longer holds the range's
     * start while a coarser level does.
     */
    private Resolution level(int ch, long from, long to, int points) {
        long needed = (to - from + points - 1) / points;
        Resolution level = needed < MINUTE ? Resolution.RAW : needed < HOUR ? Resolution.MINUTE : Resolution.HOUR;
        while (level != Resolution.HOUR) {
            Level here = level == Resolution.RAW ? Level.RAW : Level.MINUTE;
            Level coarser = level == Resolution.RAW ? Level.MINUTE : Level.HOUR;
            long oldestHere = oldestOf(here, ch);
            long oldestCoarser = oldestOf(coarser, ch);
            // coarser only when this level no longer holds the range's start and the coarser one holds whole windows
            // before this level's oldest (this level was trimmed by its retention or the budget)
            if (oldestHere <= from || oldestCoarser == Long.MAX_VALUE || oldestCoarser + window(coarser) > oldestHere) {
                break;
            }
            level = level == Resolution.RAW ? Resolution.MINUTE : Resolution.HOUR;
        }
        return level;
    }

    private static long window(Level level) {
        return level == Level.MINUTE ? MINUTE : level == Level.HOUR ? HOUR : 1;
    }

    private HistorySeries rawSeries(HistoryQuery q, int ch, long from, long to) {
        RawSamples inRange = new RawSamples(q.points());
        readRaw(ch, from, to, inRange);
        if (!inRange.overflow) {
            List<HistoryPoint> out = new ArrayList<>(inRange.size);
            for (int i = 0; i < inRange.size; i++) {
                double v = inRange.values[i];
                out.add(new HistoryPoint(inRange.times[i], v, v, v, 1, v, inRange.bad[i] ? 1 : 0));
            }
            out.sort(java.util.Comparator.comparingLong(HistoryPoint::timeMicros));
            return new HistorySeries(q.channel(), Resolution.RAW, 0, out, List.of());
        }
        Buckets buckets = Buckets.cut(from, to, q.points(), 1);
        Rollup[] merged = new Rollup[buckets.count()];
        readRaw(ch, buckets.first(), buckets.end(), (t, v, bad) -> {
            int i = buckets.index(t);
            if (merged[i] == null) {
                merged[i] = new Rollup();
            }
            merged[i].add(t, v, bad);
        });
        return new HistorySeries(q.channel(), Resolution.RAW, buckets.width(), points(merged, buckets), List.of());
    }

    /** Visits the raw samples of a channel with source times in [from, to), block by block (minutes in order). */
    private void readRaw(int ch, long from, long to, RawBlock.SampleVisitor visitor) {
        long base = (long) ch << 40;
        NavigableMap<Long, byte[]> blocks = raw.subMap(base | (Math.floorDiv(from, MINUTE) * 60), true,
                base | (Math.floorDiv(to - 1, MINUTE) * 60), true);
        for (byte[] block : blocks.values()) {
            RawBlock.forEach(block, (t, v, bad) -> {
                if (t >= from && t < to) {
                    visitor.sample(t, v, bad);
                }
            });
        }
    }

    /** Raw samples collected for an answer. */
    private static final class RawSamples implements RawBlock.SampleVisitor {
        long[] times = new long[64];
        double[] values = new double[64];
        boolean[] bad = new boolean[64];
        int size;
        boolean overflow;
        private final int limit;

        RawSamples(int limit) {
            this.limit = limit;
        }

        @Override
        public void sample(long timeMicros, double value, boolean isBad) {
            if (size == limit) {
                overflow = true;
                return;
            }
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
                bad = java.util.Arrays.copyOf(bad, size * 2);
            }
            times[size] = timeMicros;
            values[size] = value;
            bad[size] = isBad;
            size++;
        }
    }

    private HistorySeries waveformBlocks(HistoryQuery q, int ch, long from, long to) {
        NavigableMap<Object[], byte[]> range = waveforms.subMap(new Object[] {ch, from}, true, new Object[] {ch, to}, false);
        List<Map.Entry<Object[], byte[]>> all = new ArrayList<>(range.entrySet());
        List<WaveformBlock> out = new ArrayList<>();
        int n = all.size();
        int keep = Math.min(n, q.points());
        for (int i = 0; i < keep; i++) {
            // evenly spaced when there are more blocks than points
            Map.Entry<Object[], byte[]> e = all.get(keep == n ? i : (int) ((long) i * n / keep));
            ByteBuffer b = ByteBuffer.wrap(e.getValue());
            double rate = b.getDouble();
            boolean bad = b.get() != 0;
            double[] points = new double[b.remaining() / Double.BYTES];
            b.asDoubleBuffer().get(points);
            out.add(new WaveformBlock((long) e.getKey()[1], rate, points, bad));
        }
        return new HistorySeries(q.channel(), Resolution.RAW, 0, List.of(), out);
    }

    private static List<HistoryPoint> points(Rollup[] merged, Buckets buckets) {
        List<HistoryPoint> out = new ArrayList<>();
        for (int i = 0; i < merged.length; i++) {
            if (merged[i] != null && merged[i].count > 0) {
                out.add(merged[i].point(buckets.first() + i * buckets.width()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!db.isClosed()) {
            db.close();
        }
        closeQuietly(checkpoint);
    }
}
