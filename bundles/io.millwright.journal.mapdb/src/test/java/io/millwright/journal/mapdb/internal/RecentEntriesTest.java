package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.journal.api.JournalEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The newest committed entries held for tail readers: bounded by samples, by age, and by the journal's first position. */
class RecentEntriesTest {

    private static JournalEntry entry(long position, int samples) {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            s.add(new Sample(ChannelId.parse("a/b"), position * 100 + i, 1, 1, Value.of(i), Quality.GOOD));
        }
        return new JournalEntry(position, s, 1);
    }

    private static RecentEntries.Made made(long position, int bytes) {
        return new RecentEntries.Made(entry(position, 3), bytes);
    }

    @Test
    void aVibrationBlockWeighsItsPoints() {
        assertThat(RecentEntries.Made.of(entry(1, 10), 40_000).bytes()).isEqualTo(40_640);
    }

    @Test
    void holdsTheNewestWithinItsBounds() {
        RecentEntries r = new RecentEntries(250, 1_000);
        r.committed(List.of(made(1, 100), made(2, 100)), 1, 0);
        assertThat(r.get(1)).isEqualTo(entry(1, 3));
        r.committed(List.of(made(3, 100)), 1, 10);
        assertThat(r.get(1)).as("300 bytes > 250: the oldest goes").isNull();
        assertThat(r.get(2)).isNotNull();
        r.committed(List.of(), 3, 20);
        assertThat(r.get(2)).as("below the journal's first position").isNull();
        r.committed(List.of(made(4, 10)), 3, 1_015);
        assertThat(r.get(3)).as("older than the age bound").isNull();
        assertThat(r.get(4)).isNotNull();
        r.clear();
        assertThat(r.get(4)).isNull();
    }
}
