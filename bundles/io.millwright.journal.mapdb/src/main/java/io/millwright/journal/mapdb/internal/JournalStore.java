package io.millwright.journal.mapdb.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's MapDB file and its maps, and the recovery of a file that no longer opens.
 *
 * <p>Recovery never deletes or overwrites what it found: the damaged files are renamed to
 * {@code journal.db.damaged-<time>*}, a scratch copy of them is opened with MapDB's header checksum
 * bypass, every entry whose own CRC still matches is copied into a fresh journal, and what was
 * recovered and what was lost is returned in {@link #recovery()}.
 */
final class JournalStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalStore.class);
    static final String FILE = "journal.db";

    static final String NEXT_POSITION = "nextPosition";
    static final String FIRST_POSITION = "firstPosition";
    static final String COMMITTED_SAMPLES = "committedSamples";
    static final String RETAINED_SAMPLES = "retainedSamples";
    static final String PAYLOAD_BYTES = "payloadBytes";
    static final String DROPPED_SAMPLES = "droppedSamples";

    final DB db;
    /** position → encoded entry. */
    final BTreeMap<Long, byte[]> entries;
    /** counter name → value. */
    final HTreeMap<String, Long> counters;
    /** channel index → "asset/tag". */
    final BTreeMap<Integer, String> channels;
    /** channel index → last committed sequence. */
    final HTreeMap<Integer, Long> lastSequence;
    /** cursor name → 16 bytes: position, samples before that position. */
    final HTreeMap<String, byte[]> cursors;
    /** name → blob, e.g. the encoded recent gaps. */
    final HTreeMap<String, byte[]> blobs;
    private final String recovery;

    private JournalStore(DB db, String recovery) {
        this.db = db;
        this.entries = db.treeMap("entries", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        this.counters = db.hashMap("counters", Serializer.STRING, Serializer.LONG).createOrOpen();
        this.channels = db.treeMap("channels", Serializer.INTEGER, Serializer.STRING).createOrOpen();
        this.lastSequence = db.hashMap("lastSequence", Serializer.INTEGER, Serializer.LONG).createOrOpen();
        this.cursors = db.hashMap("cursors", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.blobs = db.hashMap("blobs", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.recovery = recovery;
    }

    /** @return what recovery did at open, empty if the file opened cleanly */
    String recovery() {
        return recovery;
    }

    long counter(String name) {
        Long v = counters.get(name);
        return v == null ? 0 : v;
    }

    @Override
    public void close() {
        if (!db.isClosed()) {
            db.close();
        }
    }

    /**
     * File channel, not memory mapping: on a full disk a write to a mapped page that the filesystem cannot back kills
     * the writing thread with an {@link InternalError} (SIGBUS) and leaves the JVM spinning; a file channel throws an
     * {@link java.io.IOException} that the journal handles.
     */
    private static DB openDb(Path file, boolean bypassHeaderChecksum) {
        DBMaker.Maker maker = DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable();
        if (bypassHeaderChecksum) {
            maker = maker.checksumHeaderBypass();
        }
        return maker.make();
    }

    /**
     * Opens the journal in this directory, creating it if absent and recovering it if damaged.
     *
     * @throws UncheckedIOException if the directory cannot be created or the damaged files cannot be set aside
     */
    static JournalStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal directory " + directory, e);
        }
        Path file = directory.resolve(FILE);
        removeWriteAheadLogs(directory);
        DB db;
        try {
            db = openDb(file, false);
        } catch (RuntimeException | Error e) {
            if (!isDamage(e)) {
                throw new IllegalStateException("journal " + file + " cannot be opened: " + describe(e), e);
            }
            return recover(directory, file, e, clock);
        }
        try {
            return new JournalStore(db, "");
        } catch (RuntimeException e) {
            db.close();
            return recover(directory, file, e, clock);
        }
    }

    /**
     * Only damage leads to recovery. A file locked by another process, an I/O error (permissions, a
     * full disk) or a lack of memory leave the files alone: renaming them would break a journal that is fine.
     */
    static boolean isDamage(Throwable e) {
        return !(e instanceof DBException.FileLocked || e instanceof DBException.VolumeIOError
                || e instanceof DBException.OutOfMemory || e instanceof DBException.Interrupted
                || e instanceof DBException.VolumeClosed || e instanceof DBException.WrongConfiguration
                || e instanceof VirtualMachineError);
    }

    private static String describe(Throwable e) {
        if (e instanceof DBException.FileLocked) {
            return "it is in use by another process (another gateway on the same data folder?)";
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return e.getMessage() + (cause == e ? "" : " (" + cause + ")");
    }

    /**
     * Deletes MapDB's write-ahead-log files left by a commit that failed or a process that was killed. MapDB 3.1 never
     * replays them (its {@code StoreWAL} does not call {@code WriteAheadLog.open}; a commit writes the log, then the
     * store, then deletes the log), so they hold nothing the store needs, and on a full disk they hold the space that
     * the next commit needs. Truncated first: a handle still open on a deleted file would keep its space.
     *
     * @param directory the journal's directory
     * @return the bytes freed
     */
    static long removeWriteAheadLogs(Path directory) {
        long freed = 0;
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(FILE + ".wal.")).toList()) {
                long size = Files.size(p);
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                Files.delete(p);
                freed += size;
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            LOG.warn("journal: could not remove write-ahead-log files in {}: {}", directory, e.toString());
        }
        if (!names.isEmpty()) {
            LOG.info("journal: removed {} write-ahead-log file(s) of an unfinished commit ({} bytes): {}", names.size(), freed,
                    names.size() > 5 ? names.subList(0, 5) + "…" : names);
        }
        return freed;
    }

    private static List<Path> storeFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(FILE) || n.startsWith(FILE + ".wal.");
            }).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static JournalStore recover(Path directory, Path file, Throwable cause, Clock clock) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        String damagedName = FILE + ".damaged-" + stamp;
        List<Path> kept = new ArrayList<>();
        Path scratch;
        try {
            for (Path original : storeFiles(directory)) {
                Path target = directory.resolve(original.getFileName().toString().replace(FILE, damagedName));
                Files.move(original, target);
                kept.add(target);
            }
            scratch = Files.createTempDirectory(directory, "salvage-");
            for (Path k : kept) {
                Files.copy(k, scratch.resolve(k.getFileName().toString().replace(damagedName, FILE)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + file + " is damaged (" + cause + ") and could not be set aside", e);
        }
        JournalStore fresh = new JournalStore(openDb(file, false), "");
        String salvageReport = salvage(scratch.resolve(FILE), fresh);
        deleteScratch(scratch);
        String report = "journal " + file + " could not be opened (" + cause.getMessage() + "); the damaged files were kept as "
                + kept.stream().map(p -> p.getFileName().toString()).toList() + "; " + salvageReport;
        LOG.error("{}", report);
        JournalStore recovered = new JournalStore(fresh.db, report);
        return recovered;
    }

    private static String salvage(Path damaged, JournalStore fresh) {
        DB old;
        try {
            old = openDb(damaged, true);
        } catch (RuntimeException | Error e) {
            fresh.db.commit();
            return "nothing could be read from it (" + e.getMessage() + "): everything it held is lost and the journal starts empty";
        }
        try {
            JournalStore src = new JournalStore(old, "");
            Map<Integer, ChannelId> channels = new HashMap<>();
            Map<ChannelId, Integer> indexByChannel = new HashMap<>();
            copyEach(src.channels, (k, v) -> {
                fresh.channels.put(k, v);
                channels.put(k, ChannelId.parse(v));
                indexByChannel.put(ChannelId.parse(v), k);
            });
            copyEach(src.lastSequence, fresh.lastSequence::put);
            copyEach(src.cursors, fresh.cursors::put);
            copyEach(src.blobs, fresh.blobs::put);
            copyEach(src.counters, fresh.counters::put);
            long good = 0;
            long goodSamples = 0;
            long bad = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long payload = 0;
            long committed = fresh.counter(COMMITTED_SAMPLES);
            Map<Integer, Long> maxSeq = new HashMap<>();
            for (Long position : src.entries.keySet()) {
                byte[] entry;
                List<Sample> samples;
                try {
                    entry = src.entries.get(position);
                    samples = EntryCodec.decode(entry, channels::get);
                } catch (RuntimeException e) {
                    bad++;
                    continue;
                }
                fresh.entries.put(position, entry);
                good++;
                goodSamples += samples.size();
                payload += entry.length;
                first = Math.min(first, position);
                last = Math.max(last, position);
                committed = Math.max(committed, EntryCodec.samplesBefore(entry) + samples.size());
                for (Sample s : samples) {
                    maxSeq.merge(indexByChannel.get(s.channel()), s.sequence(), Math::max);
                }
            }
            maxSeq.forEach((index, seq) -> fresh.lastSequence.merge(index, seq, Math::max));
            long nextPosition = Math.max(fresh.counter(NEXT_POSITION), good == 0 ? 1 : last + 1);
            fresh.counters.put(NEXT_POSITION, Math.max(1, nextPosition));
            fresh.counters.put(FIRST_POSITION, good == 0 ? Math.max(1, nextPosition) : first);
            fresh.counters.put(COMMITTED_SAMPLES, committed);
            fresh.counters.put(RETAINED_SAMPLES, goodSamples);
            fresh.counters.put(PAYLOAD_BYTES, payload);
            fresh.db.commit();
            return "recovered " + good + " entries (" + goodSamples + " samples"
                    + (good == 0 ? "" : ", positions " + first + ".." + last) + "); " + bad + " entries were unreadable and are lost";
        } catch (RuntimeException | Error e) {
            fresh.db.rollback();
            fresh.db.commit();
            return "salvage failed (" + e + "): everything it held is lost and the journal starts empty";
        } finally {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the salvage copy failed", e);
            }
        }
    }

    private static <K, V> void copyEach(Map<K, V> from, java.util.function.BiConsumer<K, V> to) {
        for (K key : from.keySet()) {
            try {
                V value = from.get(key);
                if (value != null) {
                    to.accept(key, value);
                }
            } catch (RuntimeException e) {
                LOG.debug("unreadable record {} skipped during salvage", key, e);
            }
        }
    }

    private static void deleteScratch(Path scratch) {
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the salvage scratch copy {}", scratch, e);
        }
    }
}
