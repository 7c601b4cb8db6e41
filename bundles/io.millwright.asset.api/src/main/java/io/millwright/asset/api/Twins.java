package io.millwright.asset.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The twins of the configured assets, provided as an OSGi service. Twins survive a restart (kept with the reader's
 * journal position); every change of operating state or health is journaled as the asset's {@code twin.state} and
 * {@code twin.health} channels.
 */
@ProviderType
public interface Twins {

    /** @return the twin of every configured asset, by asset id */
    List<Twin> twins();

    /**
     * @param asset an asset id
     * @return its twin, if the asset is configured
     */
    Optional<Twin> twin(String asset);

    /**
     * Puts an asset in maintenance: its operating state becomes {@link OperatingState#MAINTENANCE} (alarms that say
     * {@code suppressWhen=maintenance} are suppressed by design) until {@link #endMaintenance}. Audited.
     *
     * @param asset the asset
     * @param actor who
     * @param note what is to be done (required)
     * @return the twin after the change
     * @throws java.util.NoSuchElementException for an unknown asset
     * @throws IllegalStateException if it is already in maintenance
     */
    Twin startMaintenance(String asset, String actor, String note);

    /**
     * Ends the maintenance in progress; it becomes the asset's last maintenance. Audited.
     *
     * @param asset the asset
     * @param actor who
     * @param note what was done
     * @return the twin after the change
     * @throws java.util.NoSuchElementException for an unknown asset
     * @throws IllegalStateException if it is not in maintenance
     */
    Twin endMaintenance(String asset, String actor, String note);

    /**
     * Records what is asked of a writable tag; the write guard calls it. The twin's {@link Twin#desired()} shows the
     * request while it awaits approval or the device's read-back ({@code awaiting-approval}, {@code pending}), and once the
     * device reports the value, who set it ({@code confirmed} with {@link Twin.Desired#by()}). Kept in memory: after a
     * restart the desired state is what the device reports.
     *
     * @param asset the asset
     * @param desired the tag, the value asked for, its status and who asked
     * @since 1.1
     */
    void desire(String asset, Twin.Desired desired);
}
