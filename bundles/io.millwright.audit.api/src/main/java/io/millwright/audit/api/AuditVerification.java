package io.millwright.audit.api;

/**
 * What a check of the whole chain found.
 *
 * @param entries how many entries were read
 * @param firstBroken the sequence (or, when it cannot be read, the line number) of the first entry that does not
 *        chain, 0 when the chain is intact
 * @param line the line number of that entry in the trail's file, 0 when intact
 * @param reason why it is broken, empty when intact
 */
public record AuditVerification(long entries, long firstBroken, long line, String reason) {

    /** @return whether every entry chains to the one before */
    public boolean intact() {
        return firstBroken == 0 && reason.isEmpty();
    }
}
