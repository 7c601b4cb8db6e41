package io.millwright.write.api;

/** What became of a write request. */
public enum WriteStatus {
    /** a rule refused it (named in {@link WriteRecord#rule()}); nothing was written */
    REFUSED(true),
    /** a dry run: every rule passed, nothing was written */
    CHECKED(true),
    /** waits for a second person's approval */
    AWAITING_APPROVAL(false),
    /** the approver said no */
    REJECTED(true),
    /** nobody approved it in time */
    EXPIRED(true),
    /** sent to the device; the read-back is awaited */
    PENDING(false),
    /** the device reports the written value */
    CONFIRMED(true),
    /** the device accepted the write but reports another value, or none, within the read-back timeout */
    MISMATCH(true),
    /** the device refused the write or could not be reached */
    FAILED(true);

    private final boolean terminal;

    WriteStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** @return whether nothing more will happen to the request */
    public boolean terminal() {
        return terminal;
    }

    /** @return lower-case with dashes, as the twin's desired state and the REST API show it */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
