package io.millwright.journal.mapdb.internal;

import io.millwright.journal.api.JournalArchive;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A scratch copy of a journal folder, opened with the gateway's journal code and deleted on close. */
public final class ReadOnlyJournal implements JournalArchive {

    private final Path scratch;
    private final MapDbJournal journal;

    private ReadOnlyJournal(Path scratch, MapDbJournal journal) {
        this.scratch = scratch;
        this.journal = journal;
    }

    /**
     * @param directory the journal folder
     * @return the archive
     */
    public static ReadOnlyJournal open(Path directory) {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(JournalStore.FILE) || n.startsWith(JournalStore.FILE + ".wal.");
            }).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("no journal folder at " + directory + ": " + e.getMessage(), e);
        }
        if (files.stream().noneMatch(p -> p.getFileName().toString().equals(JournalStore.FILE))) {
            throw new IllegalArgumentException("no journal in " + directory + ": " + JournalStore.FILE + " is missing");
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("millwright-journal-copy-");
            for (Path f : files) {
                Files.copy(f, scratch.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the journal in " + directory + " to read it: " + e.getMessage(), e);
        }
        // the budget is the largest allowed: opening must never thin what the copy holds
        MapDbJournal journal = new MapDbJournal(new Settings(scratch, Duration.ofMillis(50), 10_000, 1L << 50, 4096), Clock.systemUTC());
        return new ReadOnlyJournal(scratch, journal);
    }

    @Override
    public JournalStatistics statistics() {
        return journal.statistics();
    }

    @Override
    public JournalRead read(long fromPosition, int maxSamples) {
        return journal.readWithoutCursor(fromPosition, maxSamples);
    }

    @Override
    public void close() {
        journal.close();
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch folder left in the temp directory: harmless
        }
    }
}
