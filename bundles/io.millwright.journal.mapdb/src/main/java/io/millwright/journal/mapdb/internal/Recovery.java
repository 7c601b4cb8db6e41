package io.millwright.journal.mapdb.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.Gap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finding damage at open and recovering from it.
 *
 * <p>{@link #checkOpened}: a journal that MapDB opens is scanned entry by entry (CRC-32C of each) before the gateway
 * uses it; damaged entries are removed, and what they held is counted as dropped and reported as gaps with reason
 * {@code damaged} — found at open, not when a reader stumbles on them.
 *
 * <p>{@link #salvage}: a file MapDB cannot open (damaged header, first bytes, index or dictionary) is read byte by byte
 * for intact {@link Frames frames}: channel records, cursors, high-water marks, then entries, which name their own
 * position. Per-channel sequences are rebuilt from the channel records and the entries themselves, and proven against
 * the newest high-water mark (the sum of every channel's last sequence must match). If they cannot be proven, the
 * journal starts a new epoch instead of risking a sequence number being used twice.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final int CHUNK = 4 << 20;
    private static final int OVERLAP = Frames.MAX_SCANNED_BODY + Frames.OVERHEAD + 16;
    static final String DAMAGED = "damaged";

    private Recovery() {
    }

    // --- check at open --------------------------------------------------------------------------------------------

    /**
     * Checks every entry of a journal MapDB opened; removes and accounts for damaged ones.
     *
     * @return what was found, empty if nothing
     * @throws RuntimeException if MapDB's own structures are unreadable: the caller salvages the file
     */
    static String checkOpened(JournalStore s, Clock clock) {
        long started = System.nanoTime();
        List<Long> damaged = new ArrayList<>();
        long bytes = 0;
        long entries = 0;
        for (Long position : s.entries.keySet()) {
            byte[] e = s.entries.get(position);
            entries++;
            bytes += e == null ? 0 : e.length;
            if (!EntryCodec.intact(e)) {
                damaged.add(position);
            }
        }
        Map<Integer, ChannelId> channels = new HashMap<>();
        Map<Integer, Long> lastSeq = new HashMap<>();
        readDictionary(s, channels, lastSeq);
        Records.HighWater hwBefore = s.highWater();
        LOG.debug("journal check at open: {} entries, {} bytes in {} ms", entries, bytes, (System.nanoTime() - started) / 1_000_000);
        if (damaged.isEmpty()) {
            return "";
        }
        long damagedBytes = 0;
        for (Long p : damaged) {
            byte[] e = s.entries.remove(p);
            damagedBytes += e == null ? 0 : e.length;
        }
        long committed = s.counter(JournalStore.COMMITTED_SAMPLES);
        long retained = s.counter(JournalStore.RETAINED_SAMPLES);
        long first = Math.max(1, s.counter(JournalStore.FIRST_POSITION));
        List<Gap> known = GapCodec.decode(s.blobs.getOrDefault("gaps", new byte[0]));
        Loss loss = account(s, first, committed - retained, committed, channels::get, lastSeq, known, clock);
        List<Gap> gaps = new ArrayList<>(known);
        gaps.addAll(loss.gaps);
        s.blobs.put("gaps", GapCodec.encode(gaps.size() > 1000 ? gaps.subList(gaps.size() - 1000, gaps.size()) : gaps));
        s.counters.put(JournalStore.DROPPED_SAMPLES, s.counter(JournalStore.DROPPED_SAMPLES) + loss.samples);
        s.counters.put(JournalStore.RETAINED_SAMPLES, Math.max(0, retained - loss.samples));
        s.counters.put(JournalStore.PAYLOAD_BYTES, Math.max(0, s.counter(JournalStore.PAYLOAD_BYTES) - damagedBytes));
        s.commit(new CommitMarker.Before(hwBefore, s.counter(JournalStore.NEXT_POSITION), Map.of()));
        String report = "journal check at open found " + damaged.size() + " damaged entries (positions "
                + (damaged.size() > 8 ? damaged.subList(0, 8) + "…" : damaged) + ") of " + entries + ": " + loss.samples
                + " samples lost, counted as dropped and reported as " + loss.gaps.size() + " gaps (reason damaged)";
        LOG.error("{}", report);
        return report;
    }

    /** Reads the dictionary: channel records, else the maps of format 1. */
    static void readDictionary(JournalStore s, Map<Integer, ChannelId> channels, Map<Integer, Long> lastSeq) {
        if (!s.channelRecords.isEmpty()) {
            for (Map.Entry<Integer, byte[]> e : s.channelRecords.entrySet()) {
                if (e.getKey() < 0) {
                    continue; // the copy of a channel's name: read by a salvage only
                }
                Records.Channel c = Records.channel(e.getValue());
                if (c == null || c.index() != e.getKey()) {
                    throw new org.mapdb.DBException.DataCorruption("channel record " + e.getKey() + " is damaged");
                }
                channels.put(c.index(), ChannelId.parse(c.name()));
                lastSeq.put(c.index(), c.lastSequence());
            }
            return;
        }
        for (Map.Entry<Integer, String> e : s.channels.entrySet()) {
            channels.put(e.getKey(), ChannelId.parse(e.getValue()));
            Long last = s.lastSequence.get(e.getKey());
            lastSeq.put(e.getKey(), last == null ? 0 : last);
        }
    }

    // --- accounting -------------------------------------------------------------------------------------------------

    /**
     * @param damaged a damaged or half-written journal file
     * @return the gap list it holds, if MapDB can still read it (a commit torn by a kill usually leaves it whole), else none
     */
    static List<Gap> gapsOf(Path damaged) {
        // read-only: no write-ahead log is created beside the file
        try (org.mapdb.DB db = org.mapdb.DBMaker.fileDB(damaged.toFile()).readOnly().fileLockDisable().make()) {
            byte[] blob = db.hashMap("blobs", org.mapdb.Serializer.STRING, org.mapdb.Serializer.BYTE_ARRAY).open().get("gaps");
            return blob == null ? List.of() : GapCodec.decode(blob);
        } catch (RuntimeException | AssertionError e) {
            LOG.info("journal: the recorded gaps of {} cannot be read ({}); only gaps found by the salvage are reported", damaged, e.toString());
            return List.of();
        }
    }

    /** Samples lost to damage and the per-channel gaps they leave. */
    record Loss(long samples, List<Gap> gaps) {
    }

    /**
     * Walks the intact entries in position order: a difference between an entry's "samples before" and what the
     * entries before it hold is a loss; a channel whose sequence jumps across such a loss has a gap, and so has a
     * channel whose last sequence lies beyond its last intact sample when the loss is at the end.
     */
    static Loss account(JournalStore s, long first, long samplesBeforeFirst, long committed, IntFunction<ChannelId> channels,
            Map<Integer, Long> lastSeq, List<Gap> known, Clock clock) {
        long expected = samplesBeforeFirst;
        long lost = 0;
        int lossMark = 0;
        Map<ChannelId, long[]> seen = new HashMap<>();
        List<Gap> gaps = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : s.entries.tailMap(first, true).entrySet()) {
            EntryCodec.Header h = EntryCodec.header(e.getValue());
            if (h.samplesBefore() > expected) {
                lost += h.samplesBefore() - expected;
                lossMark++;
            }
            expected = h.samplesBefore() + h.count();
            List<Sample> samples;
            try {
                samples = EntryCodec.decode(e.getValue(), channels);
            } catch (EntryCodec.DamagedEntryException ex) {
                continue;
            }
            for (Sample x : samples) {
                long[] last = seen.get(x.channel());
                if (last != null && x.sequence() > last[0] + 1 && last[1] != lossMark) {
                    addGap(gaps, known, x.channel(), last[0] + 1, x.sequence() - 1, clock);
                }
                if (last == null) {
                    seen.put(x.channel(), new long[] {x.sequence(), lossMark});
                } else {
                    last[0] = Math.max(last[0], x.sequence());
                    last[1] = lossMark;
                }
            }
        }
        if (committed > expected) {
            lost += committed - expected;
            lossMark++;
            for (Map.Entry<Integer, Long> l : lastSeq.entrySet()) {
                ChannelId ch = channels.apply(l.getKey());
                long[] last = ch == null ? null : seen.get(ch);
                if (last != null && l.getValue() > last[0]) {
                    addGap(gaps, known, ch, last[0] + 1, l.getValue(), clock);
                }
            }
        }
        return new Loss(lost, gaps);
    }

    private static void addGap(List<Gap> gaps, List<Gap> known, ChannelId ch, long from, long to, Clock clock) {
        boolean covered = known.stream().anyMatch(g -> g.channel().equals(ch) && g.fromSequence() <= from && to <= g.toSequence());
        if (!covered) {
            gaps.add(new Gap(ch, from, to, DAMAGED, clock.instant()));
        }
    }

    // --- salvage of a file MapDB cannot open ------------------------------------------------------------------------

    /** Receives each intact frame a scan finds. */
    private interface FrameVisitor {
        void frame(int magic, byte[] buf, int offset, int length);
    }

    /** Reads the file in chunks and calls the visitor for every intact frame of the wanted kinds. */
    private static long scan(Path file, boolean entries, FrameVisitor visitor) throws IOException {
        long found = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] buf = new byte[CHUNK + OVERLAP];
            for (long base = 0; base < size; base += CHUNK) {
                ByteBuffer bb = ByteBuffer.wrap(buf);
                int n = 0;
                while (bb.hasRemaining()) {
                    int r = ch.read(bb, base + n);
                    if (r <= 0) {
                        break;
                    }
                    n += r;
                }
                int end = Math.min(n, CHUNK);
                for (int i = 0; i < end; i++) {
                    if (buf[i] != 'M' || i + 3 >= n || buf[i + 1] != 'W' || buf[i + 3] != '2') {
                        continue;
                    }
                    boolean entry = buf[i + 2] == 'J';
                    if (entry != entries) {
                        continue;
                    }
                    int length = Frames.lengthAt(buf, i, n);
                    if (length > 0) {
                        visitor.frame(Frames.getInt(buf, i), buf, i, length);
                        found++;
                        i += length - 1;
                    }
                }
            }
        }
        return found;
    }

    /**
     * Copies every intact record of a damaged journal file into a fresh store and makes its figures true.
     *
     * @param damaged the damaged file (kept, not changed)
     * @param fresh an empty store
     * @param interrupted null for a damaged file; for a file a commit was writing when the process died, what the journal
     *     was before that commit: what the commit wrote is left out (its high-water mark, its entries, its channels' last
     *     sequences), so that the journal is exactly what it was after the last commit that finished
     * @return what was recovered and lost, and whether sequences continue
     */
    static Salvage salvage(Path damaged, JournalStore fresh, Clock clock, CommitMarker.Before interrupted) throws IOException {
        Map<Integer, Records.Channel> channels = new HashMap<>();
        Map<String, Records.Cursor> cursors = new HashMap<>();
        Records.HighWater[] hw = new Records.HighWater[1];
        scan(damaged, false, (magic, buf, offset, length) -> {
            try {
                if (magic == Frames.CHANNEL) {
                    Records.Channel c = Records.channel(buf, offset, length);
                    channels.merge(c.index(), c, (a, b) -> a.lastSequence() >= b.lastSequence() ? a : b);
                } else if (magic == Frames.CURSOR) {
                    Records.Cursor c = Records.cursor(buf, offset, length);
                    cursors.merge(c.name(), c, (a, b) -> a.position() >= b.position() ? a : b);
                } else if (magic == Frames.HIGH_WATER && interrupted == null) {
                    Records.HighWater h = Records.highWater(buf, offset, length);
                    if (hw[0] == null || h.commit() > hw[0].commit()) {
                        hw[0] = h;
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("an intact frame that does not decode is skipped", e);
            }
        });
        Records.HighWater mark = interrupted != null ? interrupted.highWater() : hw[0];
        long limit = interrupted != null ? interrupted.firstNewPosition() : Long.MAX_VALUE;
        Map<Integer, ChannelId> names = new HashMap<>();
        Map<Integer, Long> lastSeq = new HashMap<>();
        channels.forEach((i, c) -> {
            names.put(i, ChannelId.parse(c.name()));
            lastSeq.put(i, interrupted != null ? interrupted.lastSequences().getOrDefault(i, c.lastSequence()) : c.lastSequence());
        });
        Map<ChannelId, Integer> indexOf = new HashMap<>();
        names.forEach((i, c) -> indexOf.put(c, i));
        long first = mark == null ? 1 : mark.firstPosition();
        long[] figures = new long[] {0, 0, 0, Long.MAX_VALUE, 0, 0, 0}; // entries, samples, payload, min, max, committed, undecodable
        long[] sinceCommit = {0};
        scan(damaged, true, (magic, buf, offset, length) -> {
            byte[] entry = java.util.Arrays.copyOfRange(buf, offset, offset + length);
            EntryCodec.Header h;
            List<Sample> samples;
            try {
                h = EntryCodec.header(entry);
                samples = EntryCodec.decode(entry, names::get);
            } catch (RuntimeException e) {
                figures[6]++;
                return;
            }
            if (h.position() < first || h.position() >= limit || fresh.entries.containsKey(h.position())) {
                return;
            }
            fresh.entries.put(h.position(), entry);
            figures[0]++;
            figures[1] += samples.size();
            figures[2] += entry.length;
            figures[3] = Math.min(figures[3], h.position());
            figures[4] = Math.max(figures[4], h.position());
            figures[5] = Math.max(figures[5], h.samplesBefore() + samples.size());
            for (Sample x : samples) {
                lastSeq.merge(indexOf.get(x.channel()), x.sequence(), Math::max);
            }
            sinceCommit[0] += entry.length;
            if (sinceCommit[0] > 32 << 20) {
                fresh.db.commit();
                sinceCommit[0] = 0;
            }
        });
        long next = interrupted != null ? Math.max(1, limit)
                : Math.max(mark == null ? 1 : mark.nextPosition(), figures[0] == 0 ? 1 : figures[4] + 1);
        long firstPosition = mark != null ? first : figures[0] == 0 ? next : figures[3];
        long committed = Math.max(mark == null ? 0 : mark.committedSamples(), figures[5]);
        Map.Entry<Long, byte[]> oldest = fresh.entries.firstEntry();
        long samplesBeforeFirst = mark != null ? mark.samplesBeforeFirst()
                : oldest == null ? committed : EntryCodec.samplesBefore(oldest.getValue());
        // the gaps the journal had recorded (samples dropped on a full disk, an overrun, damage found before): kept, but only
        // up to each channel's salvaged last sequence (a gap of the interrupted commit would cover sequences used again)
        List<Gap> known = new ArrayList<>();
        for (Gap g : gapsOf(damaged)) {
            Integer i = indexOf.get(g.channel());
            if (i != null && g.toSequence() <= lastSeq.getOrDefault(i, 0L)) {
                known.add(g);
            }
        }
        Loss loss = account(fresh, firstPosition, samplesBeforeFirst, committed, names::get, lastSeq, known, clock);
        long sequenceTotal = 0;
        for (Map.Entry<Integer, ChannelId> c : names.entrySet()) {
            long last = lastSeq.getOrDefault(c.getKey(), 0L);
            sequenceTotal += last;
            fresh.channelRecords.put(c.getKey(), new Records.Channel(c.getKey(), c.getValue().toString(), last).encode());
            fresh.channelRecords.put(-1 - c.getKey(), new Records.Channel(c.getKey(), c.getValue().toString(), 0).encode());
        }
        cursors.forEach((name, c) -> fresh.cursors.put(name, c.encode()));
        boolean proven = mark != null && sequenceTotal == mark.sequenceTotal() && loss.samples == 0;
        boolean sequencesKnown = mark != null && sequenceTotal == mark.sequenceTotal();
        long epoch = (mark == null ? 1 : mark.epoch()) + (sequencesKnown ? 0 : 1);
        long dropped = (mark == null ? 0 : mark.droppedSamples()) + loss.samples;
        fresh.counters.put(JournalStore.NEXT_POSITION, next);
        fresh.counters.put(JournalStore.FIRST_POSITION, firstPosition);
        fresh.counters.put(JournalStore.COMMITTED_SAMPLES, committed);
        fresh.counters.put(JournalStore.RETAINED_SAMPLES, figures[1]);
        fresh.counters.put(JournalStore.PAYLOAD_BYTES, figures[2]);
        fresh.counters.put(JournalStore.DROPPED_SAMPLES, dropped);
        List<Gap> gaps = new ArrayList<>(known);
        gaps.addAll(loss.gaps);
        fresh.blobs.put("gaps", GapCodec.encode(gaps.size() > 1000 ? gaps.subList(gaps.size() - 1000, gaps.size()) : gaps));
        fresh.blobs.put(JournalStore.HIGH_WATER, new Records.HighWater(epoch, mark == null ? 1 : mark.commit() + 1, firstPosition, next,
                samplesBeforeFirst, committed, dropped, sequenceTotal).encode());
        fresh.db.commit();
        StringBuilder report = new StringBuilder("recovered ").append(figures[0]).append(" entries (").append(figures[1])
                .append(" samples").append(figures[0] == 0 ? "" : ", positions " + figures[3] + ".." + figures[4])
                .append(") by scanning the file, ").append(names.size()).append(" channels, ").append(cursors.size()).append(" cursors; ")
                .append(loss.samples).append(" samples lost (counted as dropped, ").append(loss.gaps.size())
                .append(" gaps with reason damaged)");
        if (figures[6] > 0) {
            report.append("; ").append(figures[6]).append(" intact entries named channels no record was left of");
        }
        report.append(sequencesKnown ? (proven ? "; every sequence continues (proven by the journal's high-water mark)"
                : "; sequences continue (their sum matches the journal's high-water mark)")
                : "; sequence continuity cannot be proven" + (mark == null ? " (no high-water mark survived)" : "")
                        + ": the journal starts epoch " + epoch + " (see the MQTT contract)");
        return new Salvage(report.toString(), proven);
    }

    /**
     * @param report what was recovered and lost, and whether sequences continue
     * @param complete whether every committed sample is proven to be there (the high-water mark's figures match)
     */
    record Salvage(String report, boolean complete) {
    }
}
