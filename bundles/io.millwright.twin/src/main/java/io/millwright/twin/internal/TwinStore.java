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
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twin's MapDB file ({@code twin.db}, transactional): each alarm's record (states, running timers, condition
 * memory), each asset's twin, the durable alarm event log, the outbox of derived samples not yet accepted by ingest, and
 * the reader's journal position. {@link #commit} writes all of a batch's changes and the position after it in one
 * transaction: after {@code kill -9} the store is at its last commit and reading resumes from the position saved with
 * it, so no transition is lost or made twice. A store that does not open is set aside and the engine starts afresh (the
 * alarm log in it is then lost: the message says where the old file is).
 */
final class TwinStore implements AutoCloseable {

    static final String FILE = "twin.db";
    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);

    private final DB db;
    private final HTreeMap<String, byte[]> alarms;
    private final HTreeMap<String, byte[]> twins;
    private final BTreeMap<Long, byte[]> events;
    private final BTreeMap<Long, byte[]> outbox;
    private final HTreeMap<String, Long> meta;
    private volatile long committedEventSequence;

    private TwinStore(DB db) {
        this.db = db;
        this.alarms = db.hashMap("alarms", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.twins = db.hashMap("twins", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.events = db.treeMap("events", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.outbox = db.treeMap("outbox", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
        this.committedEventSequence = meta.getOrDefault("eventSequence", 0L);
    }

    static TwinStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the twin folder " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve(FILE);
        try {
            return new TwinStore(make(file));
        } catch (RuntimeException e) {
            if (!Files.exists(file)) {
                throw e;
            }
            Path aside = directory.resolve(FILE + ".damaged-" + clock.millis());
            LOG.error("twin store {} does not open ({}): set aside as {}; alarm states and the alarm log start afresh", file, e.toString(),
                    aside.getFileName());
            try {
                Files.move(file, aside);
            } catch (IOException io) {
                throw new IllegalStateException("cannot set aside the damaged twin store " + file + ": " + io.getMessage(), io);
            }
            return new TwinStore(make(file));
        }
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

    Map<String, AlarmRecord> loadAlarms() {
        Map<String, AlarmRecord> out = new LinkedHashMap<>();
        alarms.forEach((id, bytes) -> {
            try {
                out.put(id, AlarmRecord.read(new DataInputStream(new ByteArrayInputStream(bytes))));
            } catch (IOException e) {
                LOG.warn("alarm {}: stored state unreadable ({}); it starts NORMAL", id, e.getMessage());
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

    /** @return the derived samples not yet accepted by ingest, by outbox key */
    Map<Long, Sample> outbox() {
        Map<Long, Sample> out = new LinkedHashMap<>();
        outbox.forEach((k, v) -> out.put(k, EventCodec.decodeOut(v)));
        return out;
    }

    long outboxSequence() {
        return meta.getOrDefault("outboxSequence", 0L);
    }

    /**
     * Writes one batch's changes and the journal position after it in one transaction.
     *
     * @param position the journal position after the batch (-1: unchanged)
     * @param changedAlarms alarm records that changed
     * @param changedTwins twin records that changed
     * @param newEvents events of the batch, in sequence order
     * @param newOut derived samples to hand to ingest, by outbox key
     * @param doneOut outbox keys ingest has accepted
     * @param outboxSequence the newest outbox key
     */
    void commit(long position, Map<String, AlarmRecord> changedAlarms, Map<String, TwinRecord> changedTwins,
            List<AlarmEvent> newEvents, Map<Long, Sample> newOut, Collection<Long> doneOut, long outboxSequence) {
        changedAlarms.forEach((id, r) -> alarms.put(id, bytes(r::write)));
        changedTwins.forEach((id, t) -> twins.put(id, bytes(t::write)));
        long lastEvent = committedEventSequence;
        for (AlarmEvent e : newEvents) {
            events.put(e.sequence(), EventCodec.encode(e));
            lastEvent = e.sequence();
        }
        newOut.forEach((k, s) -> outbox.put(k, EventCodec.encodeOut(s)));
        doneOut.forEach(outbox::remove);
        if (position >= 0) {
            meta.put("position", position);
        }
        meta.put("eventSequence", lastEvent);
        meta.put("outboxSequence", outboxSequence);
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
        for (Map.Entry<Long, byte[]> e : events.tailMap(after, false).entrySet()) {
            if (e.getKey() > last || out.size() >= max) {
                break;
            }
            out.add(EventCodec.decode(e.getValue()));
        }
        return out;
    }

    /** @return committed events newest first, until the callback says stop */
    void eventsBackwards(java.util.function.Predicate<AlarmEvent> each) {
        for (Map.Entry<Long, byte[]> e : events.headMap(committedEventSequence, true).descendingMap().entrySet()) {
            if (!each.test(EventCodec.decode(e.getValue()))) {
                return;
            }
        }
    }

    /** Drops the oldest events beyond this many (the log's retention); committed with the next batch. */
    int trimEvents(long keep) {
        long first = committedEventSequence - keep;
        if (first <= 0) {
            return 0;
        }
        var old = events.headMap(first, false);
        int n = old.size();
        old.clear();
        return n;
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
