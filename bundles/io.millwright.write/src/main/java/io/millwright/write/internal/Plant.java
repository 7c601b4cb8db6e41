package io.millwright.write.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.driver.api.Device;
import java.util.Optional;

/** What the guard needs to know of the plant: the asset model's tags, the twins and the devices. */
public interface Plant {

    /**
     * @param asset an asset
     * @param tag one of its tags
     * @return the tag as the asset model has it
     */
    Optional<AssetTag> tag(String asset, String tag);

    /**
     * @param asset an asset
     * @return its twin (reported values, operating state, annunciated alarms)
     */
    Optional<Twin> twin(String asset);

    /**
     * @param source a device channel
     * @return the device that provides it
     */
    Optional<Device> device(ChannelId source);

    /**
     * @param asset the asset
     * @param desired what is asked of one of its tags, for the twin's desired state
     */
    void desire(String asset, Twin.Desired desired);
}
