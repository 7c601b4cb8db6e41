package io.millwright.journal.mapdb;

import io.millwright.journal.api.JournalArchive;
import io.millwright.journal.mapdb.internal.ReadOnlyJournal;
import java.nio.file.Path;

/** Opens a gateway's journal folder for reading only. */
public final class MapDbJournalArchive {

    private MapDbJournalArchive() {
    }

    /**
     * Opens the journal in a folder for reading only. The journal's files are copied into a scratch folder first and
     * the copy is opened (recovered there if it was taken mid-commit), so the folder itself is never written: no
     * cursor is added, nothing is thinned, and a gateway that holds the folder keeps running undisturbed.
     *
     * @param directory the journal folder, e.g. {@code data/journal}
     * @return the archive; close it to delete the scratch copy
     * @throws IllegalArgumentException if the folder holds no journal (the message names it)
     * @throws java.io.UncheckedIOException if the files cannot be copied
     */
    public static JournalArchive open(Path directory) {
        return ReadOnlyJournal.open(directory);
    }
}
