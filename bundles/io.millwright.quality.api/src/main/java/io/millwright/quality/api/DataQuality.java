package io.millwright.quality.api;

import io.millwright.api.ChannelId;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The data-quality reader's latest judgement of each measured channel. */
@ProviderType
public interface DataQuality {

    /** @return the last report of every channel that has one, by asset and tag */
    List<QualityReport> channels();

    /**
     * @param channel a measured channel
     * @return its last report, if it has one yet (a channel's first report comes at the end of its first window)
     */
    Optional<QualityReport> channel(ChannelId channel);

    /** @return the last physical-consistency judgement of every rule of every asset, by asset and tag */
    default List<ConsistencyReport> consistency() {
        return List.of();
    }

    /**
     * Forgets a consistency rule's reference and learns it again from the next windows — after a repair, a recalibrated
     * sensor or a planned new operating point.
     *
     * @param asset the asset
     * @param tag the measured tag of the rule
     * @return false if the asset has no rule on that tag
     */
    default boolean relearn(String asset, String tag) {
        return false;
    }
}
