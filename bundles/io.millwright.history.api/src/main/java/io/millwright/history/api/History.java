package io.millwright.history.api;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's channel history, provided as an OSGi service. */
@ProviderType
public interface History {

    /**
     * Answers a time range of one channel with at most {@code points} points. The range is cut into equal buckets
     * aligned to multiples of their width (a whole number of the level's windows), so a bucket always holds whole
     * windows; each point is the rollup of the bucket (min and max kept, so a spike survives any downsampling). When
     * the range holds no more raw samples than points, each raw sample is a point of its own.
     *
     * @param query what to answer
     * @return the points, oldest first
     * @throws IllegalArgumentException naming the bad field when the range or the number of points is invalid
     */
    HistorySeries query(HistoryQuery query);

    /** @return the rollup reader's figures: position, lag, stored windows, bytes, lost samples */
    HistoryStatus status();
}
