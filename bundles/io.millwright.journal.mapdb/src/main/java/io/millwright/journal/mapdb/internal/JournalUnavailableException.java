package io.millwright.journal.mapdb.internal;

/**
 * The journal's files cannot be opened or created (an I/O error, a full disk, a file in use): nothing was changed,
 * the message says what and where.
 */
public final class JournalUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
