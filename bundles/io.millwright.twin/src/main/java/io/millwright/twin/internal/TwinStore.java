package io.millwright.twin.internal;

import io.millwright.alarm.api.AlarmEvent;
import io.millwright.api.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twin's MapDB file ({@code twin.db}, transactional): the alarm records of each asset (states, running timers,
 * condition memory) as one value per asset, each asset's twin, the durable alarm event log and the outbox of derived
 * samples not yet accepted by ingest — both as one value per commit (a chunk) — and the reader's journal position.
 * {@link #commit} writes all of a batch's changes and the position after it in one transaction: after {@code kill -9}
 * the store is at its last commit and reading resumes from the position saved with it, so no transition is lost or made
 * twice. Few, larger values per commit because each MapDB operation on a RandomAccessFile volume costs several system
 * calls (measured: 100-200 µs per put; a commit of 3,000 events one by one took 1.7 s). A store that does not open is
 * set aside and the engine starts afresh (its alarm log is then in the file set aside, which the log names).
 *
 * <p>Public, like the reader, for the alarm benchmark.
 */
public final class TwinStore implements AutoCloseable {

    static final String FILE = "twin.db";
    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);

    private final DB db;
    private final HTreeMap<String, byte[]> alarms;
    private final HTreeMap<String, byte[]> twins;
    /** first sequence of the chunk → the chunk's events */
    private final BTreeMap<Long, byte[]> events;
    /** chunk number → the chunk's derived samples */
    private final BTreeMap<Long, byte[]> outbox;
    private final HTreeMap<String, Long> meta;
    private volatile long committedEventSequence;

    private TwinStore(DB db) {
        this.db = db;
        this.alarms = db.hashMap("alarmGroups", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.twins = db.hashMap("twins", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.events = db.treeMap("eventChunks", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        this.outbox = db.treeMap("outboxChunks", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
        this.committedEventSequence = meta.getOrDefault("eventSequence", 0L);
    }

    /**
     * Opens (creating or, when damaged, setting aside and recreating) the store in this directory.
     *
     * @param directory the folder
     * @param clock for the name of a damaged file set aside
     * @return the store
     */
    public static TwinStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the twin folder " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve(FILE);
        boolean existed = Files.exists(file);
        try {
            return new TwinStore(make(file));
        } catch (RuntimeException e) {
            if (!existed) {
                throw notCreated(file, directory, e);
            }
            Path aside = directory.resolve(FILE + ".damaged-" + clock.millis());
            LOG.error("twin store {} does not open ({}): set aside as {}; alarm states and the alarm log start afresh", file, e.toString(),
                    aside.getFileName());
            try {
                Files.move(file, aside);
            } catch (IOException io) {
                throw new IllegalStateException("cannot set aside the damaged twin store " + file + ": " + io.getMessage(), io);
            }
            try {
                return new TwinStore(make(file));
            } catch (RuntimeException again) {
                throw notCreated(file, directory, again);
            }
        }
    }

    /** A new store that cannot be made (typically a full disk): its few bytes are removed, or the next try would set them aside. */
    private static IllegalStateException notCreated(Path file, Path directory, RuntimeException e) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException io) {
            e.addSuppressed(io);
        }
        String free;
        try {
            free = Files.getFileStore(directory).getUsableSpace() + " bytes free";
        } catch (IOException io) {
            free = "free space unknown";
        }
        return new IllegalStateException("twin store " + file + " cannot be created (" + e + "; " + free
                + "): the twin and alarms do not run; free space, and it is tried again when they are next asked for or at the next start", e);
    }

    private static DB make(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileLockDisable().make();
    }

    /** @return the journal position saved with the last commit, or -1 for a new store */
    long position() {
        return meta.getOrDefault("position", -1L);
    }

    /** @return the sequence of the newest committed event */
    long eventSequence() {
        return committedEventSequence;
    }

    /** @return the sequence of the newest committed alarm event (public: the alarm benchmark counts events) */
    public long committedEvents() {
        return committedEventSequence;
    }

    Map<String, AlarmRecord> loadAlarms() {
        Map<String, AlarmRecord> out = new LinkedHashMap<>();
        alarms.forEach((asset, bytes) -> {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    String id = in.readUTF();
                    out.put(id, AlarmRecord.read(in));
                }
            } catch (IOException e) {
                LOG.warn("alarms of {}: stored states unreadable ({}); they start NORMAL", asset, e.getMessage());
            }
        });
        return out;
    }

    Map<String, TwinRecord> loadTwins() {
        Map<String, TwinRecord> out = new LinkedHashMap<>();
        twins.forEach((id, bytes) -> {
            try {
                out.put(id, TwinRecord.read(new DataInputStream(new ByteArrayInputStream(bytes))));
            } catch (IOException e) {
                LOG.warn("twin {}: stored state unreadable ({}); it starts empty", id, e.getMessage());
            }
        });
        return out;
    }

    /** @return the derived samples not yet accepted by ingest, by chunk */
    Map<Long, List<Sample>> outbox() {
        Map<Long, List<Sample>> out = new LinkedHashMap<>();
        outbox.forEach((k, v) -> out.put(k, decodeSamples(v)));
        return out;
    }

    long outboxSequence() {
        return meta.getOrDefault("outboxSequence", 0L);
    }

    /**
     * Writes one batch's changes and the journal position after it in one transaction.
     *
     * @param position the journal position after the batch (-1: unchanged)
     * @param alarmGroups per asset whose alarms changed: every alarm record of that asset
     * @param changedTwins twin records that changed
     * @param newEvents events of the batch, in sequence order (one chunk)
     * @param outboxChunk the key of the new outbox chunk
     * @param newOut derived samples to hand to ingest (the new chunk; empty: none)
     * @param doneOut outbox chunks ingest has accepted
     */
    void commit(long position, Map<String, Map<String, AlarmRecord>> alarmGroups, Map<String, TwinRecord> changedTwins, List<AlarmEvent> newEvents,
            long outboxChunk, List<Sample> newOut, Collection<Long> doneOut) {
        alarmGroups.forEach((asset, records) -> alarms.put(asset, bytes(out -> {
            out.writeInt(records.size());
            for (Map.Entry<String, AlarmRecord> e : records.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
        })));
        changedTwins.forEach((id, t) -> twins.put(id, bytes(t::write)));
        long lastEvent = committedEventSequence;
        if (!newEvents.isEmpty()) {
            events.put(newEvents.get(0).sequence(), bytes(out -> {
                out.writeInt(newEvents.size());
                for (AlarmEvent e : newEvents) {
                    byte[] b = EventCodec.encode(e);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }));
            lastEvent = newEvents.get(newEvents.size() - 1).sequence();
        }
        if (!newOut.isEmpty()) {
            outbox.put(outboxChunk, bytes(out -> {
                out.writeInt(newOut.size());
                for (Sample s : newOut) {
                    byte[] b = EventCodec.encodeOut(s);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }));
        }
        doneOut.forEach(outbox::remove);
        if (position >= 0) {
            meta.put("position", position);
        }
        meta.put("eventSequence", lastEvent);
        meta.put("outboxSequence", outboxChunk);
        db.commit();
        committedEventSequence = lastEvent;
    }

    /**
     * @param after events after this sequence
     * @param max at most this many
     * @return committed events in order
     */
    List<AlarmEvent> events(long after, int max) {
        List<AlarmEvent> out = new ArrayList<>();
        long last = committedEventSequence;
        Long start = events.floorKey(after + 1);
        NavigableMap<Long, byte[]> chunks = start == null ? events : events.tailMap(start, true);
        for (Map.Entry<Long, byte[]> chunk : chunks.entrySet()) {
            if (chunk.getKey() > last || out.size() >= max) {
                break;
            }
            for (AlarmEvent e : decodeEvents(chunk.getValue())) {
                if (e.sequence() > after && e.sequence() <= last && out.size() < max) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Committed events newest first, until the callback says stop. */
    void eventsBackwards(Predicate<AlarmEvent> each) {
        for (Map.Entry<Long, byte[]> chunk : events.headMap(committedEventSequence, true).descendingMap().entrySet()) {
            List<AlarmEvent> list = decodeEvents(chunk.getValue());
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).sequence() <= committedEventSequence && !each.test(list.get(i))) {
                    return;
                }
            }
        }
    }

    /** Drops the chunks of events older than the newest {@code keep} (the log's retention); committed with the next batch. */
    int trimEvents(long keep) {
        long first = committedEventSequence - keep;
        if (first <= 0) {
            return 0;
        }
        Long boundary = events.floorKey(first);
        if (boundary == null) {
            return 0;
        }
        var old = events.headMap(boundary, false);
        int n = old.size();
        old.clear();
        return n;
    }

    private static List<AlarmEvent> decodeEvents(byte[] chunk) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk));
            int n = in.readInt();
            List<AlarmEvent> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                out.add(EventCodec.decode(b));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Sample> decodeSamples(byte[] chunk) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk));
            int n = in.readInt();
            List<Sample> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                out.add(EventCodec.decodeOut(b));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(256);
            w.write(new DataOutputStream(b));
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!db.isClosed()) {
            db.close();
        }
    }
}
