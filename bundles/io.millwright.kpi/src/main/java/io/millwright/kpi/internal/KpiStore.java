package io.millwright.kpi.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The KPI reader's store, {@code <data>/kpi/kpi.db} (MapDB with transactions): buckets by {@code asset|start}, each
 * asset's state, the outbox of KPI samples not yet accepted by ingest, and the journal position — committed together,
 * so that a restart continues exactly where the committed state was (nothing counted twice).
 */
final class KpiStore implements AutoCloseable {

    static final String FILE = "kpi.db";
    private static final Logger LOG = LoggerFactory.getLogger(KpiStore.class);

    private final DB db;
    private final BTreeMap<String, byte[]> buckets;
    private final HTreeMap<String, byte[]> states;
    private final HTreeMap<String, String> outbox;
    private final HTreeMap<String, Long> meta;

    private KpiStore(DB db) {
        this.db = db;
        this.buckets = db.treeMap("buckets", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.states = db.hashMap("states", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.outbox = db.hashMap("outbox", Serializer.STRING, Serializer.STRING).createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.LONG).createOrOpen();
    }

    /**
     * Opens (or, when damaged, sets aside and recreates) the store.
     *
     * @param directory the folder
     * @param clock for the name of a damaged file set aside
     * @return the store
     */
    static KpiStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the KPI folder " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve(FILE);
        try {
            return new KpiStore(make(file));
        } catch (RuntimeException e) {
            if (!Files.exists(file)) {
                throw e;
            }
            Path aside = directory.resolve(FILE + ".damaged-" + clock.millis());
            LOG.error("KPI store {} does not open ({}): set aside as {}; KPIs start afresh", file, e.toString(), aside.getFileName());
            try {
                Files.move(file, aside);
            } catch (IOException io) {
                throw new IllegalStateException("cannot set aside the damaged KPI store " + file + ": " + io.getMessage(), io);
            }
            return new KpiStore(make(file));
        }
    }

    private static DB make(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileLockDisable().make();
    }

    /** @return the journal position of the last commit, -1 for a new store */
    long position() {
        return meta.getOrDefault("position", -1L);
    }

    Map<String, AssetState> states() {
        Map<String, AssetState> out = new HashMap<>();
        states.forEach((k, v) -> out.put(k, AssetState.decode(v)));
        return out;
    }

    Bucket bucket(String asset, long startMs) {
        byte[] b = buckets.get(KpiEngine.key(asset, startMs));
        return b == null ? null : Bucket.decode(asset, startMs, b);
    }

    /**
     * @param asset an asset
     * @param fromMs from (bucket start, inclusive)
     * @param toMs to (exclusive)
     * @return its committed buckets starting in [from, to)
     */
    List<Bucket> buckets(String asset, long fromMs, long toMs) {
        List<Bucket> out = new ArrayList<>();
        buckets.subMap(KpiEngine.key(asset, Math.max(0, fromMs)), true, KpiEngine.key(asset, Math.max(0, toMs)), false)
                .forEach((k, v) -> out.add(Bucket.decode(asset, Long.parseLong(k.substring(k.lastIndexOf('|') + 1)), v)));
        return out;
    }

    /** @return the outbox: id → encoded samples */
    Map<String, List<Sample>> outbox() {
        Map<String, List<Sample>> out = new java.util.TreeMap<>();
        outbox.forEach((k, v) -> out.put(k, decode(v)));
        return out;
    }

    /**
     * Commits in one transaction.
     *
     * @param position the journal position after what is committed (-1: unchanged)
     * @param dirty buckets to write
     * @param assetStates every asset's state
     * @param outId the id of new outbox samples (ignored when there are none)
     * @param newOut new KPI samples
     * @param doneOut outbox ids ingest has taken
     */
    void commit(long position, List<Bucket> dirty, Map<String, AssetState> assetStates, String outId, List<Sample> newOut, List<String> doneOut) {
        for (Bucket b : dirty) {
            buckets.put(KpiEngine.key(b.asset, b.startMs), b.encode());
        }
        assetStates.forEach((k, v) -> states.put(k, v.encode()));
        if (!newOut.isEmpty()) {
            outbox.put(outId, encode(newOut));
        }
        doneOut.forEach(outbox::remove);
        if (position >= 0) {
            meta.put("position", position);
        }
        db.commit();
    }

    /** Removes buckets that started before this time; committed at once. */
    int trim(long beforeMs) {
        List<String> old = new ArrayList<>();
        for (String k : buckets.keySet()) {
            if (Long.parseLong(k.substring(k.lastIndexOf('|') + 1)) < beforeMs) {
                old.add(k);
            }
        }
        old.forEach(buckets::remove);
        if (!old.isEmpty()) {
            db.commit();
        }
        return old.size();
    }

    private static String encode(List<Sample> samples) {
        StringBuilder sb = new StringBuilder();
        for (Sample s : samples) {
            sb.append(s.channel()).append('\t').append(s.sourceTimeMicros()).append('\t').append(s.value().asDouble()).append('\n');
        }
        return sb.toString();
    }

    private static List<Sample> decode(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t");
                out.add(Sample.of(ChannelId.parse(f[0]), Long.parseLong(f[1]), Value.of(Double.parseDouble(f[2])), Quality.GOOD));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!db.isClosed()) {
            db.close();
        }
    }
}
