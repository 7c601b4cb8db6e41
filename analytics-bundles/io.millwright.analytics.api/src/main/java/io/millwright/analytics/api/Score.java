package io.millwright.analytics.api;

/**
 * One model's answer for one feature vector, with its lineage: which asset, model (id, version, SHA-256 of the
 * model file), feature set and window it came from, which threshold policy judged it, and what to do.
 *
 * @param asset the asset
 * @param modelId model id, e.g. {@code pump-bearing-rul}
 * @param modelVersion model version
 * @param modelSha256 SHA-256 of the deployed model file, hex
 * @param kind what the model estimates
 * @param featureSet feature set name
 * @param featureSetVersion feature set version
 * @param window the input window
 * @param thresholdPolicy how the result was judged, e.g. {@link UrgencyPolicy#describe()}
 * @param result the estimate: hours for remaining useful life, the class probability, the anomaly score
 * @param label the class or urgency name, e.g. {@code CRITICAL}, {@code tool_wear_failure}
 * @param urgency the urgency the policy assigns
 * @param recommendedAction what maintenance should do, in words an operator reads
 * @param shadow while a new version scores in shadow beside this one: its version and its answer for the same window,
 *     e.g. {@code 2.0.0=318.200}; empty otherwise
 */
public record Score(String asset, String modelId, String modelVersion, String modelSha256, ModelKind kind, String featureSet,
        int featureSetVersion, WindowRange window, String thresholdPolicy, double result, String label, Urgency urgency,
        String recommendedAction, String shadow) {

    /** A score with no shadow comparison. */
    public Score(String asset, String modelId, String modelVersion, String modelSha256, ModelKind kind, String featureSet,
            int featureSetVersion, WindowRange window, String thresholdPolicy, double result, String label, Urgency urgency,
            String recommendedAction) {
        this(asset, modelId, modelVersion, modelSha256, kind, featureSet, featureSetVersion, window, thresholdPolicy, result, label, urgency,
                recommendedAction, "");
    }

    /**
     * @param shadowVersion the version scoring in shadow
     * @param shadowResult its answer for the same window
     * @return this score with the shadow comparison
     */
    public Score withShadow(String shadowVersion, double shadowResult) {
        return new Score(asset, modelId, modelVersion, modelSha256, kind, featureSet, featureSetVersion, window, thresholdPolicy, result, label,
                urgency, recommendedAction, String.format(java.util.Locale.ROOT, "%s=%.3f", shadowVersion, shadowResult));
    }
}
