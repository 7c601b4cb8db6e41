package io.millwright.audit.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The audit trail. Appends are durable (forced to disk) when {@link #record} returns. */
@ProviderType
public interface AuditTrail {

    /**
     * @param event what happened; values of secret-looking keys in before/after are masked
     * @return the entry as recorded
     * @throws java.io.UncheckedIOException when the trail cannot be written (the caller should refuse the action)
     */
    AuditEntry record(AuditEvent event);

    /**
     * @param fromSequence the first sequence wanted (1 for the oldest)
     * @param max at most this many
     * @return entries in order
     */
    List<AuditEntry> read(long fromSequence, int max);

    /** @return the sequence of the newest entry, 0 when the trail is empty */
    long lastSequence();

    /** @return what a check of the whole chain finds */
    AuditVerification verify();
}
