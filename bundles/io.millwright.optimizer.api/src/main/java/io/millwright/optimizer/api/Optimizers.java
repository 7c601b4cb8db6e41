package io.millwright.optimizer.api;

import io.millwright.identity.api.Role;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The optimizers of the gateway's assets. Enabling and stopping are audited; what an optimizer writes goes through the
 * write guard under its own identity and is audited there.
 */
@ProviderType
public interface Optimizers {

    /** @return every configured optimizer's status */
    List<OptimizerStatus> statuses();

    /**
     * @param asset an asset
     * @return its optimizer's status, if one is configured
     */
    Optional<OptimizerStatus> status(String asset);

    /**
     * Enables an asset's optimizer with an envelope (persisted: it survives a restart).
     *
     * @param asset the asset
     * @param envelope what it may do: within the tag's write policy, which must not need two-person approval
     * @param actor who enables it
     * @param role their role: engineer or admin
     * @param source the way in ({@code web}, {@code mqtt})
     * @param address where from
     * @return the status
     * @throws SecurityException for a role below engineer
     * @throws java.util.NoSuchElementException for an unknown asset or tag
     * @throws IllegalArgumentException for an envelope the write policy does not allow, naming the value
     */
    OptimizerStatus enable(String asset, Envelope envelope, String actor, Role role, String source, String address);

    /**
     * The kill switch: stops the asset's optimizer at once and reverts its tag to the last value a person set (through the
     * write guard, in steps the tag's policy allows, retried until it is allowed).
     *
     * @param asset the asset
     * @param reason why (may be empty)
     * @param actor who stops it
     * @param role their role: operator or above
     * @param source the way in
     * @param address where from
     * @return the status
     * @throws SecurityException for a viewer
     * @throws java.util.NoSuchElementException if the asset has no optimizer
     */
    OptimizerStatus stop(String asset, String reason, String actor, Role role, String source, String address);
}
