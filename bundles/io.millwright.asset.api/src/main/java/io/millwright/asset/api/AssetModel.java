package io.millwright.asset.api;

import io.millwright.api.ChannelId;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The configured asset model, provided as an OSGi service. It changes when its configuration changes; readers take a
 * fresh copy of what they need ({@link #assets()} returns an immutable snapshot).
 */
@ProviderType
public interface AssetModel {

    /** @return the assets that are configured and valid, by id */
    List<Asset> assets();

    /**
     * @param id an asset id
     * @return the asset, if configured and valid
     */
    Optional<Asset> asset(String id);

    /** @return the asset classes, by name */
    List<AssetClass> classes();

    /**
     * @param name a class name
     * @return the class, if configured and valid
     */
    Optional<AssetClass> assetClass(String name);

    /**
     * @param source a device channel
     * @return the asset tag bound to it, with the asset's id as the channel's asset part of the answer's key
     */
    Optional<Binding> binding(ChannelId source);

    /**
     * @param source a device channel
     * @return the device that publishes it now, with its driver and the address in the device, if known
     */
    Optional<Provenance> provenance(ChannelId source);

    /**
     * @return what is wrong with the configuration, one line each naming the PID, the attribute and the reason (assets
     *     and classes with problems are left out of the model; the rest works)
     */
    List<String> problems();

    /** @return a number that changes whenever the model changes */
    long revision();

    /**
     * A source channel's place in the model.
     *
     * @param asset the asset's id
     * @param tag the asset tag
     */
    record Binding(String asset, AssetTag tag) {
    }
}
