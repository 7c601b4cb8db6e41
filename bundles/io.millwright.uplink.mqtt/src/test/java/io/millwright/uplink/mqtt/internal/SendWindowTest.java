package io.millwright.uplink.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendWindowTest {

    private static final ChannelId CH = ChannelId.parse("pump-1/speed");

    /** Committed entries 1..n of the given sizes, served like the journal serves them. */
    static final class Entries implements JournalCursor {
        final List<JournalEntry> entries = new ArrayList<>();
        long position = 1;

        Entries(int... sizes) {
            long seq = 1;
            for (int i = 0; i < sizes.length; i++) {
                List<Sample> s = new ArrayList<>();
                for (int k = 0; k < sizes[i]; k++) {
                    s.add(new Sample(CH, seq, seq, seq, Value.of((double) seq), Quality.GOOD));
                    seq++;
                }
                entries.add(new JournalEntry(i + 1, s));
            }
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public JournalRead read(int maxSamples) {
            return readFrom(position, maxSamples);
        }

        @Override
        public JournalRead readFrom(long from, int maxSamples) {
            List<JournalEntry> out = new ArrayList<>();
            int n = 0;
            long p = from;
            while (p <= entries.size() && n < maxSamples) {
                JournalEntry e = entries.get((int) p - 1);
                out.add(e);
                n += e.samples().size();
                p++;
            }
            return new JournalRead(out, p, 0, 0);
        }

        @Override
        public void advance(long nextPosition) {
            position = nextPosition;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void batchesCutEntriesAndTheCursorMovesOnlyPastFullyAcknowledgedEntries() {
        Entries journal = new Entries(5, 3, 4);
        SendWindow w = new SendWindow();
        w.reset(1);
        SendWindow.Batch a = w.next(journal, 4, Long.MAX_VALUE);
        SendWindow.Batch b = w.next(journal, 4, Long.MAX_VALUE);
        SendWindow.Batch c = w.next(journal, 4, Long.MAX_VALUE);
        assertThat(a.samples()).extracting(Sample::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(b.samples()).extracting(Sample::sequence).containsExactly(5L, 6L, 7L, 8L);
        assertThat(c.samples()).extracting(Sample::sequence).containsExactly(9L, 10L, 11L, 12L);
        assertThat(w.next(journal, 4, Long.MAX_VALUE)).isNull();

        w.acknowledged(b);
        assertThat(w.acknowledgedUpTo()).as("entry 1 still has its first part unacknowledged").isEqualTo(1);
        w.acknowledged(a);
        assertThat(w.acknowledgedUpTo()).as("entries 1 and 2 done").isEqualTo(3);
        w.acknowledged(c);
        assertThat(w.acknowledgedUpTo()).isEqualTo(4);
    }

    @Test
    void aMessageNeverMixesJournalEpochs() {
        Entries journal = new Entries(3, 3, 3);
        // entry 3 was written after a recovery that started epoch 2
        JournalEntry third = journal.entries.get(2);
        journal.entries.set(2, new JournalEntry(third.position(), third.samples(), 2));
        SendWindow w = new SendWindow();
        w.reset(1);
        SendWindow.Batch a = w.next(journal, 100, Long.MAX_VALUE);
        SendWindow.Batch b = w.next(journal, 100, Long.MAX_VALUE);
        assertThat(a.samples()).hasSize(6);
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(b.samples()).extracting(Sample::sequence).containsExactly(7L, 8L, 9L);
        assertThat(b.epoch()).isEqualTo(2);
        assertThat(new String(Payloads.telemetry("gw", b), java.nio.charset.StandardCharsets.UTF_8)).contains("\"epoch\":2");
    }

    @Test
    void messagesStayWithinTheirByteBudget() {
        Entries journal = new Entries(100);
        SendWindow w = new SendWindow();
        w.reset(1);
        long perSample = SendWindow.estimatedBytes(journal.entries.get(0).samples().get(0));
        assertThat(w.next(journal, 1000, perSample * 30).samples()).hasSize(30);
        assertThat(w.next(journal, 1000, 1).samples()).as("one sample even if it alone exceeds the budget").hasSize(1);
    }

    @Test
    void liveFirstSendsNewEntriesFirstAndTheCursorStillWaitsForTheBacklog() {
        Entries journal = new Entries(2, 2, 2, 2, 2);
        SendWindow w = new SendWindow();
        w.reset(1, 4, SendWindow.Order.LIVE_FIRST);
        SendWindow.Batch live = w.next(journal, 4, Long.MAX_VALUE);
        assertThat(live.samples()).as("entries 4 and 5 (live) first").extracting(Sample::sequence).containsExactly(7L, 8L, 9L, 10L);
        w.acknowledged(live);
        assertThat(w.acknowledgedUpTo()).as("the backlog 1..3 is not sent yet").isEqualTo(1);

        SendWindow.Batch backlog1 = w.next(journal, 4, Long.MAX_VALUE);
        SendWindow.Batch backlog2 = w.next(journal, 4, Long.MAX_VALUE);
        assertThat(backlog1.samples()).extracting(Sample::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(backlog2.samples()).extracting(Sample::sequence).containsExactly(5L, 6L);
        assertThat(w.next(journal, 4, Long.MAX_VALUE)).isNull();
        w.acknowledged(backlog2);
        assertThat(w.acknowledgedUpTo()).isEqualTo(1);
        w.acknowledged(backlog1);
        assertThat(w.acknowledgedUpTo()).as("everything acknowledged").isEqualTo(6);
    }

    @Test
    void aResetResendsEverythingNotAcknowledged() {
        Entries journal = new Entries(2, 2, 2);
        SendWindow w = new SendWindow();
        w.reset(1);
        SendWindow.Batch a = w.next(journal, 2, Long.MAX_VALUE);
        w.next(journal, 2, Long.MAX_VALUE);
        w.acknowledged(a);
        journal.advance(w.acknowledgedUpTo());

        w.reset(journal.position());
        assertThat(w.next(journal, 10, Long.MAX_VALUE).samples()).extracting(Sample::sequence).containsExactly(3L, 4L, 5L, 6L);
    }
}
