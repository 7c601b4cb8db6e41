package io.millwright.analytics.api;

import java.util.Arrays;
import java.util.List;

/**
 * The features of one asset over one window, in the order of its feature set.
 *
 * @param asset the asset, e.g. {@code pump-1}
 * @param featureSet the feature set's name
 * @param featureSetVersion its version
 * @param window the journal and time range it was computed from
 * @param names feature names, as in the feature set
 * @param values feature values; NaN where a feature could not be computed (e.g. no samples of its channel)
 */
public record FeatureVector(String asset, String featureSet, int featureSetVersion, WindowRange window, List<String> names, double[] values) {

    /** Checks that names and values match. */
    public FeatureVector {
        names = List.copyOf(names);
        values = values.clone();
        if (names.size() != values.length) {
            throw new IllegalArgumentException(asset + " " + featureSet + ": " + names.size() + " names but " + values.length + " values");
        }
    }

    /**
     * @param name a feature name
     * @return its value
     * @throws IllegalArgumentException if the vector has no such feature
     */
    public double value(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("feature vector " + featureSet + "@" + featureSetVersion + " has no feature " + name);
        }
        return values[i];
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureVector v && asset.equals(v.asset) && featureSet.equals(v.featureSet)
                && featureSetVersion == v.featureSetVersion && window.equals(v.window) && names.equals(v.names) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * asset.hashCode() + window.hashCode()) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FeatureVector[" + asset + " " + featureSet + "@" + featureSetVersion + " " + window + " " + names + "=" + Arrays.toString(values) + "]";
    }
}
