package io.millwright.write.api;

import io.millwright.identity.api.Role;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one path by which anything writes to a machine: REST, the console, MQTT commands and the optimizer all call it.
 * Every request, approval, refusal (naming the rule) and result is recorded in the audit trail with the values before
 * and after; the twin's desired state shows requests awaiting approval, pending and confirmed.
 */
@ProviderType
public interface WriteGuard {

    /**
     * Checks a request against its tag's policy and, unless it is a dry run or needs approval, sends it to the device.
     * Returns without waiting for the read-back: see {@link #await}.
     *
     * @param request what to write
     * @return the record: {@link WriteStatus#REFUSED}, {@link WriteStatus#CHECKED}, {@link WriteStatus#AWAITING_APPROVAL},
     *     {@link WriteStatus#PENDING} or (the device refused at once) {@link WriteStatus#FAILED}
     */
    WriteRecord submit(WriteRequest request);

    /**
     * Approves a request awaiting approval: the approver must be an engineer or admin and not the requester; every rule
     * is checked again, then the value is sent.
     *
     * @param id the request
     * @param actor who approves
     * @param person the person behind the actor (a token's owner), who must not be the requester's
     * @param role the approver's role
     * @param comment why (may be empty)
     * @return the record after the approval ({@link WriteStatus#PENDING}, or {@link WriteStatus#REFUSED} with the rule)
     * @throws java.util.NoSuchElementException for an unknown id
     * @throws IllegalStateException if it does not await approval, naming its status
     * @throws SecurityException if this actor may not approve it, naming why
     */
    WriteRecord approve(String id, String actor, String person, Role role, String comment);

    /**
     * Rejects a request awaiting approval (an engineer or admin, or the requester withdrawing it).
     *
     * @param id the request
     * @param actor who
     * @param person the person behind the actor (a token's owner)
     * @param role its role
     * @param comment why (may be empty)
     * @return the record, {@link WriteStatus#REJECTED}
     * @throws java.util.NoSuchElementException for an unknown id
     * @throws IllegalStateException if it does not await approval
     * @throws SecurityException if this actor may not reject it
     */
    WriteRecord reject(String id, String actor, String person, Role role, String comment);

    /**
     * Waits until a request is no longer {@link WriteStatus#PENDING}, at most {@code timeout}.
     *
     * @param id the request
     * @param timeout how long at most
     * @return the record as it is then
     * @throws java.util.NoSuchElementException for an unknown id
     * @throws InterruptedException if interrupted
     */
    WriteRecord await(String id, Duration timeout) throws InterruptedException;

    /**
     * @param id a request id
     * @return the request, if it is among the kept ones
     */
    Optional<WriteRecord> record(String id);

    /**
     * @param max at most this many
     * @return the newest requests first (the guard keeps the last 1000; the audit trail keeps all)
     */
    List<WriteRecord> records(int max);

    /** @return the policy of every writable tag that has one */
    List<WritePolicy> policies();

    /** @return why configured policies could not be used (naming the PID and the value), empty if none */
    List<String> problems();
}
