package io.millwright.journal.mapdb.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
 * <p>At open every entry is checked ({@link Recovery#checkOpened}). Recovery of a file MapDB cannot open never
 * deletes or overwrites what it found: the file is renamed to {@code journal.db.damaged-<time>}, read byte by byte
 * for intact frames ({@link Recovery#salvage}), and what was recovered and what was lost is returned in
 * {@link #recovery()}.
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
    /** Format 1 (read only): channel index → "asset/tag". */
    final BTreeMap<Integer, String> channels;
    /** Format 1 (read only): channel index → last committed sequence. */
    final HTreeMap<Integer, Long> lastSequence;
    /** channel index → {@link Records.Channel} frame: name and last sequence. */
    final HTreeMap<Integer, byte[]> channelRecords;
    /** cursor name → {@link Records.Cursor} frame (format 1: 16 bytes, position and samples before it). */
    final HTreeMap<String, byte[]> cursors;
    /** name → blob: the encoded recent gaps, the {@link Records.HighWater} frame. */
    final HTreeMap<String, byte[]> blobs;
    static final String HIGH_WATER = "high-water";
    String recovery;

    JournalStore(DB db, String recovery) {
        this.db = db;
        this.entries = db.treeMap("entries", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        this.counters = db.hashMap("counters", Serializer.STRING, Serializer.LONG).createOrOpen();
        this.channels = db.treeMap("channels", Serializer.INTEGER, Serializer.STRING).createOrOpen();
        this.lastSequence = db.hashMap("lastSequence", Serializer.INTEGER, Serializer.LONG).createOrOpen();
        this.channelRecords = db.hashMap("channelRecords", Serializer.INTEGER, Serializer.BYTE_ARRAY).createOrOpen();
        this.cursors = db.hashMap("cursors", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.blobs = db.hashMap("blobs", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.recovery = recovery;
    }

    /** @return the high-water mark of the last commit, or null (a journal of format 1, or a new one) */
    Records.HighWater highWater() {
        return Records.highWater(blobs.get(HIGH_WATER));
    }

    /** @return what recovery did at open, empty if the file opened cleanly */
    String recovery() {
        return recovery;
    }

    long counter(String name) {
        Long v = counters.get(name);
        return v == null ? 0 : v;
    }

    /**
     * Commits MapDB's transaction between writing and clearing the {@link CommitMarker}, so that a process that dies
     * while MapDB writes the store file in place is found out at the next start.
     *
     * @param before what the journal was before this commit
     */
    void commit(CommitMarker.Before before) {
        try {
            marker.set(before);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("journal: the commit marker " + CommitMarker.FILE + " cannot be written, so the"
                    + " commit is not started: " + e.getMessage(), e);
        }
        db.commit();
        try {
            marker.clear();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("journal: the commit marker " + CommitMarker.FILE + " cannot be cleared after a"
                    + " commit: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (!db.isClosed()) {
                db.close();
            }
        } finally {
            release(lock);
            lock = null;
            if (marker != null) {
                try {
                    marker.close();
                } catch (IOException e) {
                    LOG.debug("closing the commit marker", e);
                }
                marker = null;
            }
        }
    }

    /** Written around each commit: see {@link CommitMarker}. */
    private CommitMarker marker;

    /** The lock on {@code journal.lock}, held while the store is open (MapDB's own file lock is off: see openDb). */
    private java.nio.channels.FileChannel lock;
    static final String LOCK_FILE = "journal.lock";

    private static java.nio.channels.FileChannel lockDirectory(Path directory) {
        Path file = directory.resolve(LOCK_FILE);
        java.nio.channels.FileChannel c = null;
        try {
            c = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock l;
            try {
                l = c.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameJvm) {
                l = null;
            }
            if (l == null) {
                throw new JournalUnavailableException("journal " + directory.resolve(FILE)
                        + " cannot be opened: it is in use by another process (another gateway on the same data folder?)", null);
            }
            return c;
        } catch (IOException e) {
            release(c);
            throw new JournalUnavailableException("journal " + directory + " cannot be locked: " + e, e);
        } catch (RuntimeException e) {
            release(c);
            throw e;
        }
    }

    private static void release(java.nio.channels.FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the journal lock", e);
            }
        }
    }

    /**
     * MapDB on a {@code RandomAccessFile}: not memory mapping — on a full disk a write to a mapped page that the
     * filesystem cannot back kills the writing thread with an {@link InternalError} (SIGBUS) and leaves the JVM
     * spinning —, and not a {@code FileChannel} either — an interrupted reader (a component stopping its thread while
     * it reads) closes a FileChannel for every user, and the journal's store with it. A RandomAccessFile gets an
     * {@link java.io.IOException} on a full disk, which the journal handles, and ignores interrupts.
     */
    private static DB openDb(Path file) {
        // MapDB's file lock is off: a MapDB that fails to open a damaged file never releases its lock, which would keep
        // the file locked for this process; journal.lock (lockDirectory) keeps a second user out instead
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileLockDisable().make();
    }

    /**
     * Opens the journal in this directory, creating it if absent and recovering it if damaged.
     *
     * @throws JournalUnavailableException if the directory or files cannot be created, opened or set aside
     */
    static JournalStore open(Path directory, Clock clock) {
        return open(directory, clock, true);
    }

    /**
     * @param check whether to scan every entry for damage at open (the gateway does; a reopen after a failed commit
     *     does not)
     */
    static JournalStore open(Path directory, Clock clock, boolean check) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new JournalUnavailableException("cannot create journal directory " + directory + ": " + e, e);
        }
        java.nio.channels.FileChannel held = lockDirectory(directory);
        try {
            // at start-up: did the last run die inside a commit? (a reopen after a failed commit in this run knows better:
            // it finds out from the store whether the commit landed, see MapDbJournal.reopenStore)
            CommitMarker.Before interrupted = check ? CommitMarker.read(directory) : null;
            CommitMarker marker = CommitMarker.open(directory);
            JournalStore store;
            try {
                store = openLocked(directory, clock, check, interrupted, marker);
            } catch (RuntimeException | Error e) {
                marker.close();
                throw e;
            }
            store.lock = held;
            store.marker = marker;
            try {
                // what the last run left in it has been dealt with
                marker.clear();
            } catch (IOException e) {
                store.close();
                throw new JournalUnavailableException("journal " + directory.resolve(CommitMarker.FILE) + " cannot be written: " + e, e);
            }
            return store;
        } catch (IOException e) {
            release(held);
            throw new JournalUnavailableException("journal " + directory.resolve(CommitMarker.FILE) + " cannot be opened: " + e, e);
        } catch (RuntimeException | Error e) {
            release(held);
            throw e;
        }
    }

    private static JournalStore openLocked(Path directory, Clock clock, boolean check, CommitMarker.Before interrupted,
            CommitMarker marker) {
        Path file = directory.resolve(FILE);
        removeWriteAheadLogs(directory);
        if (interrupted != null && Files.isRegularFile(file)) {
            return recover(directory, file, null, clock, interrupted);
        }
        DB db;
        try {
            db = openDb(file);
        } catch (RuntimeException | Error e) {
            if (!isDamage(e)) {
                throw new JournalUnavailableException("journal " + file + " cannot be opened: " + describe(e), e);
            }
            return recover(directory, file, e, clock, null);
        }
        JournalStore store;
        try {
            store = new JournalStore(db, "");
            store.marker = marker;
            if (check) {
                store.recovery = Recovery.checkOpened(store, clock);
            }
            return store;
        } catch (RuntimeException | Error e) {
            if (!isDamage(e)) {
                closeQuietly(db);
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            closeQuietly(db);
            return recover(directory, file, e, clock, null);
        }
    }

    private static void closeQuietly(DB db) {
        try {
            if (!db.isClosed()) {
                db.close();
            }
        } catch (RuntimeException e) {
            LOG.debug("closing a damaged journal store", e);
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


    /**
     * @param cause why the file does not open (null: {@code interrupted} is set)
     * @param interrupted the journal before the commit the last run did not finish, or null (the file is damaged)
     */
    private static JournalStore recover(Path directory, Path file, Throwable cause, Clock clock, CommitMarker.Before interrupted) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        String damagedName = FILE + (interrupted != null ? ".interrupted-" : ".damaged-") + stamp;
        String why = interrupted != null
                ? "the last run ended during a commit (kill -9, a crash or a power cut) and MapDB does not replay its write-ahead log,"
                        + " so the file may be half written"
                : cause.getMessage();
        Path kept = directory.resolve(damagedName);
        try {
            Files.move(file, kept);
        } catch (IOException e) {
            throw new JournalUnavailableException("journal " + file + " is damaged (" + why + ") and could not be set aside: " + e, e);
        }
        JournalStore fresh;
        try {
            fresh = new JournalStore(openDb(file), "");
        } catch (RuntimeException e) {
            // no room for a new file (a full disk): put the damaged one back, so that the next start salvages it
            try {
                Files.deleteIfExists(file);
                Files.move(kept, file);
            } catch (IOException moveBack) {
                e.addSuppressed(moveBack);
            }
            throw new JournalUnavailableException("journal " + file + " is damaged (" + why + ") and no new journal file can be"
                    + " created next to it to salvage it into (" + describe(e) + "); the damaged file is left as it was, to be salvaged at the"
                    + " next start: free space in " + directory, e);
        }
        Recovery.Salvage salvage;
        try {
            salvage = Recovery.salvage(kept, fresh, clock, interrupted);
        } catch (IOException | RuntimeException e) {
            LOG.error("journal: salvage of {} failed", kept, e);
            fresh.db.rollback();
            fresh.db.commit();
            salvage = new Recovery.Salvage("salvage failed (" + e + "): everything it held is lost and the journal starts a new epoch", false);
        }
        String report;
        if (interrupted != null && salvage.complete()) {
            // every committed sample is in the new file, proven by the high-water mark: the set-aside copy holds nothing
            // more, and keeping one per crash would fill the disk of a gateway whose power is cut often
            String kept2 = "removed";
            try {
                Files.delete(kept);
            } catch (IOException e) {
                kept2 = "kept as " + kept.getFileName() + " (" + e + ")";
            }
            report = "journal " + file + ": " + why + ": salvaged up to the last complete commit, the half-written file " + kept2
                    + "; " + salvage.report();
            LOG.warn("{}", report);
        } else {
            report = "journal " + file + " could not be opened (" + why + "); the damaged file was kept as " + kept.getFileName() + "; "
                    + salvage.report();
            LOG.error("{}", report);
        }
        fresh.recovery = report;
        return fresh;
    }

}
