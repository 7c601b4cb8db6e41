package io.millwright.analytics.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named, versioned feature set: which features of which of an asset's channels, over what window, how often.
 * A model declares the feature set (name and version) it was trained on and is refused on any other.
 *
 * @param name e.g. {@code pump-bearing}
 * @param version incremented whenever the features or the window change
 * @param windowMicros window length
 * @param hopMicros time between the starts of consecutive windows (equal to the length: tumbling windows)
 * @param features feature names in vector order, {@code <tag>.<feature>}, e.g. {@code vibration.rms},
 *        {@code bearing_temp.slope}, {@code vibration.band_10_200}, {@code vibration.defect_bpfo}
 */
public record FeatureSetDefinition(String name, int version, long windowMicros, long hopMicros, List<String> features) {

    /** Checks the definition; messages name the feature set and the bad value. */
    public FeatureSetDefinition {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.\\-]{0,63}")) {
            throw new IllegalArgumentException("feature set name '" + name + "': 1-64 characters of [a-z0-9_.-]");
        }
        if (version < 1) {
            throw new IllegalArgumentException("feature set " + name + ": version " + version + " must be >= 1");
        }
        if (windowMicros <= 0 || hopMicros <= 0) {
            throw new IllegalArgumentException("feature set " + name + ": window " + windowMicros + " µs and hop " + hopMicros + " µs must be > 0");
        }
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("feature set " + name + " has no features");
        }
        Set<String> seen = new HashSet<>();
        for (String f : features) {
            if (!seen.add(f)) {
                throw new IllegalArgumentException("feature set " + name + ": feature " + f + " is listed twice");
            }
        }
    }

    /** @return {@code name@version} */
    public String id() {
        return name + "@" + version;
    }

    /**
     * The tag under which a streaming reader journals one of this set's features on an asset: {@code f.<set>.<feature>},
     * e.g. {@code f.pump-bearing.vibration.rms}. Qualified by the set, so two feature sets that share a feature on one
     * asset never write into the same channel.
     *
     * @param feature one of {@link #features()}
     * @return the tag
     * @since 1.1
     */
    public String featureTag(String feature) {
        return "f." + name + "." + feature;
    }

    /**
     * The tag under which a model's output on this feature set is journaled: {@code s.<set>.<model>.<part>}, e.g.
     * {@code s.pump-bearing.pump-bearing-rul.urgency}; parts are {@code result}, {@code urgency}, {@code lineage} and
     * {@code shadow}.
     *
     * @param modelId the model's id
     * @param part which output
     * @return the tag
     * @since 1.1
     */
    public String scoreTag(String modelId, String part) {
        return "s." + name + "." + modelId + "." + part;
    }
}
