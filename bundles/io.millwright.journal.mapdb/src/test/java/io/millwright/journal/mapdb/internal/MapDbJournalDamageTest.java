package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.testing.Await;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the journal's file, as a failing disk or a torn write leaves it: the magic and header MapDB checks, the
 * channel dictionary, entries in the middle. Recovery keeps every entry whose own CRC matches, wherever the damage is;
 * per-channel sequences continue (proven) or the journal starts a new epoch; what is lost is counted and reported as
 * gaps, at open.
 */
class MapDbJournalDamageTest {

    private static final List<ChannelId> CHANNELS = List.of(ChannelId.parse("pump-1/speed"), ChannelId.parse("pump-1/temperature"),
            ChannelId.parse("motor-1/current"));

    @TempDir
    Path dir;
    private List<JournalEntry> written;
    private Map<ChannelId, Long> lastBefore;
    private long cursorBefore;

    private MapDbJournal open() {
        return new MapDbJournal(new Settings(dir, Duration.ofMillis(5), 100_000, 1L << 30, 40), Clock.systemUTC());
    }

    private static List<JournalEntry> readAll(MapDbJournal journal, String cursor) {
        List<JournalEntry> out = new ArrayList<>();
        try (JournalCursor c = journal.openCursor(cursor, StartAt.EARLIEST)) {
            while (true) {
                JournalRead r = c.read(10_000);
                if (r.entries().isEmpty()) {
                    return out;
                }
                out.addAll(r.entries());
                c.advance(r.nextPosition());
            }
        }
    }

    /** 3,900 samples of three channels in about 100 entries of at most 40; a reader half way through. */
    @BeforeEach
    void writeAJournal() throws Exception {
        try (MapDbJournal journal = open()) {
            long t = 1_000_000;
            for (int i = 0; i < 3900; i++) {
                t += 1000;
                journal.append(new SampleBatch("plc", List.of(new Sample(CHANNELS.get(i % 3), 0, t, t, Value.of(i * 0.5), Quality.GOOD))));
                if (i % 40 == 39) {
                    long want = i + 1;
                    Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == want);
                }
            }
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 3900);
            try (JournalCursor uplink = journal.openCursor("uplink", StartAt.EARLIEST)) {
                JournalRead r = uplink.read(1950);
                uplink.advance(r.nextPosition());
                cursorBefore = r.nextPosition();
            }
            Await.until("cursor committed", Duration.ofSeconds(10), () -> journal.statistics().pendingSamples() == 0);
            Thread.sleep(50);
            written = readAll(journal, "writer-check");
            lastBefore = journal.lastSequences();
        }
        assertThat(written.size()).isGreaterThan(90);
    }

    /** Flips one byte inside every frame of this kind for which {@code which} holds (given the frame's offset). */
    private int damageFrames(int magic, java.util.function.Predicate<byte[]> which) throws Exception {
        Path file = dir.resolve("journal.db");
        byte[] bytes = Files.readAllBytes(file);
        int damaged = 0;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i + Frames.OVERHEAD <= bytes.length; i++) {
                if (Frames.getInt(bytes, i) != magic) {
                    continue;
                }
                int length = Frames.lengthAt(bytes, i, bytes.length);
                if (length > 0 && which.test(java.util.Arrays.copyOfRange(bytes, i, i + length))) {
                    raf.seek(i + 9);
                    raf.write(bytes[i + 9] ^ 0x5a);
                    damaged++;
                }
            }
        }
        return damaged;
    }

    private void overwrite(long at, int n) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("journal.db").toFile(), "rw")) {
            raf.seek(at);
            raf.write(new byte[n]);
        }
    }

    private void assertEverythingBack(MapDbJournal journal) {
        assertThat(readAll(journal, "check")).as("every entry recovered, unchanged").isEqualTo(written);
        assertThat(journal.lastSequences()).as("per-channel sequences where they were").isEqualTo(lastBefore);
        assertThat(journal.statistics().cursors()).anyMatch(c -> c.name().equals("uplink") && c.position() == cursorBefore);
    }

    private void assertSequencesContinue(MapDbJournal journal) throws Exception {
        ChannelId ch = CHANNELS.get(0);
        journal.append(new SampleBatch("plc", List.of(new Sample(ch, 0, 9_000_000_000L, 9_000_000_000L, Value.of(1.0), Quality.GOOD))));
        Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().pendingSamples() == 0);
        assertThat(journal.lastSequences().get(ch)).as("the next sample of %s continues its sequence", ch).isEqualTo(lastBefore.get(ch) + 1);
    }

    @Test
    void damagedMagicRecoversEveryEntryAndSequencesContinue() throws Exception {
        overwrite(0, 16);
        try (MapDbJournal journal = open()) {
            JournalStatistics s = journal.statistics();
            assertThat(s.recovery()).contains("could not be opened").contains("recovered " + written.size() + " entries (3900 samples")
                    .contains("every sequence continues");
            assertThat(s.epoch()).isEqualTo(1);
            assertThat(s.droppedSamples()).isZero();
            assertEverythingBack(journal);
            assertSequencesContinue(journal);
        }
    }

    @Test
    void damagedStoreHeaderRecoversEveryEntryAndSequencesContinue() throws Exception {
        overwrite(16, 48);
        try (MapDbJournal journal = open()) {
            assertThat(journal.statistics().recovery()).contains("recovered " + written.size() + " entries");
            assertEverythingBack(journal);
            assertSequencesContinue(journal);
        }
    }

    @Test
    void aDamagedChannelRecordRecoversTheChannelFromItsCopyAndItsEntries() throws Exception {
        int damaged = damageFrames(Frames.CHANNEL, f -> {
            Records.Channel c = Records.channel(f);
            return c.index() == 1 && c.lastSequence() > 0;
        });
        assertThat(damaged).isPositive();
        try (MapDbJournal journal = open()) {
            assertThat(journal.statistics().recovery()).contains("could not be opened").contains("recovered " + written.size() + " entries");
            assertEverythingBack(journal);
            assertSequencesContinue(journal);
        }
    }

    @Test
    void damagedEntriesInTheMiddleAreFoundAtOpenCountedAndReportedAsGaps() throws Exception {
        JournalEntry a = written.get(40);
        JournalEntry b = written.get(41);
        int damaged = damageFrames(Frames.ENTRY, f -> {
            long p = EntryCodec.header(f).position();
            return p == a.position() || p == b.position();
        });
        assertThat(damaged).isEqualTo(2);
        try (MapDbJournal journal = open()) {
            JournalStatistics s = journal.statistics();
            int lost = a.samples().size() + b.samples().size();
            assertThat(s.recovery()).as("found at open, before any reader").contains("found 2 damaged entries");
            assertThat(s.droppedSamples()).isEqualTo(lost);
            List<Sample> expected = new ArrayList<>();
            written.stream().filter(e -> e != a && e != b).forEach(e -> expected.addAll(e.samples()));
            List<Sample> read = new ArrayList<>();
            readAll(journal, "check").forEach(e -> read.addAll(e.samples()));
            assertThat(read).as("every intact entry is read").isEqualTo(expected);
            Map<ChannelId, List<Long>> missing = new HashMap<>();
            for (JournalEntry e : List.of(a, b)) {
                e.samples().forEach(x -> missing.computeIfAbsent(x.channel(), c -> new ArrayList<>()).add(x.sequence()));
            }
            for (Map.Entry<ChannelId, List<Long>> m : missing.entrySet()) {
                for (long seq : m.getValue()) {
                    assertThat(s.gaps()).as("%s #%d reported lost", m.getKey(), seq).anyMatch(g -> g.reason().equals("damaged")
                            && g.channel().equals(m.getKey()) && g.fromSequence() <= seq && seq <= g.toSequence());
                }
            }
            assertThat(s.gaps().stream().mapToLong(Gap::count).sum()).as("the gaps add up to what was lost").isEqualTo(lost);
            assertSequencesContinue(journal);
        }
        try (MapDbJournal again = open()) {
            assertThat(again.statistics().recovery()).as("the damage is dealt with once").isEmpty();
            assertThat(again.statistics().droppedSamples()).isEqualTo(a.samples().size() + b.samples().size());
        }
    }

    @Test
    void whenContinuityCannotBeProvenTheJournalStartsANewEpoch() throws Exception {
        overwrite(0, 16);
        assertThat(damageFrames(Frames.HIGH_WATER, f -> true)).isPositive();
        try (MapDbJournal journal = open()) {
            JournalStatistics s = journal.statistics();
            assertThat(s.recovery()).contains("cannot be proven").contains("epoch 2");
            assertThat(s.epoch()).isEqualTo(2);
            assertThat(readAll(journal, "check")).as("the entries themselves are all back").isEqualTo(written);
            assertThat(journal.lastSequences()).as("sequences rebuilt from the channel records and entries").isEqualTo(lastBefore);
        }
        try (MapDbJournal reopened = open()) {
            assertThat(reopened.statistics().epoch()).as("the epoch is durable").isEqualTo(2);
        }
    }

    @Test
    void entriesStayInOneMapDbRecordSoThatASalvageFindsThemAll() throws Exception {
        MapDbJournal journal = new MapDbJournal(new Settings(dir.resolve("big"), Duration.ofMillis(5), 100_000, 1L << 30, 4096),
                Clock.systemUTC());
        List<Sample> samples = new ArrayList<>();
        String text = "x".repeat(120);
        for (int i = 0; i < 3000; i++) {
            samples.add(new Sample(CHANNELS.get(i % 3), 0, i, i, Value.of(text + i), Quality.uncertain("clock skew of " + i + " ms")));
        }
        try (journal) {
            journal.append(new SampleBatch("plc", samples));
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 3000);
        }
        Path file = dir.resolve("big").resolve("journal.db");
        byte[] bytes = Files.readAllBytes(file);
        int found = 0;
        for (int i = 0; i + Frames.OVERHEAD <= bytes.length; i++) {
            int length = Frames.getInt(bytes, i) == Frames.ENTRY ? Frames.lengthAt(bytes, i, bytes.length) : -1;
            if (length > 0) {
                assertThat(length).isLessThanOrEqualTo(Settings.MAX_RECORD_BYTES);
                found += EntryCodec.sampleCount(java.util.Arrays.copyOfRange(bytes, i, i + length));
            }
        }
        assertThat(found).as("every sample lies in an entry found whole in the file").isEqualTo(3000);
    }
}
