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
}
