package io.millwright.audit.api;

import java.time.Instant;

/**
 * One link of the trail.
 *
 * @param sequence 1 for the first entry, then one more per entry
 * @param time when it was recorded
 * @param event what happened
 * @param previousHash the hash of the entry before (64 zeros for the first)
 * @param hash SHA-256 over the previous hash and this entry's recorded text
 */
public record AuditEntry(long sequence, Instant time, AuditEvent event, String previousHash, String hash) {
}
