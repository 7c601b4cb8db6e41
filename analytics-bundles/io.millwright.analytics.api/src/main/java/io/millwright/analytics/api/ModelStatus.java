package io.millwright.analytics.api;

import java.time.Instant;
import java.util.List;

/**
 * One model as the engine serves it.
 *
 * @param id the model's id
 * @param version the version in service
 * @param sha256 the SHA-256 of the version in service
 * @param kind what it answers
 * @param featureSet its feature set and version, e.g. {@code pump-bearing@1}
 * @param candidateVersion the version scoring in shadow before it takes over, or empty
 * @param shadowLeft shadow windows still to score before the candidate takes over
 * @param previousVersion the version it replaced (kept to fall back to), or empty
 * @param comparisons the latest shadow comparisons, oldest first
 * @param events what happened to the model (versions validated, switched, refused, withdrawn), oldest first
 * @param scores windows scored since the engine started (its rate is the scores per second) (since 1.3)
 * @param scoringLatency how long scoring a window took, shadow scoring included (since 1.3)
 * @param monitoring the version in service's card and how the live feature vectors compare with its training reference
 *     (since 1.4)
 * @since 1.2
 */
public record ModelStatus(String id, String version, String sha256, ModelKind kind, String featureSet, String candidateVersion, int shadowLeft,
        String previousVersion, List<Comparison> comparisons, List<Event> events, long scores, io.millwright.api.LatencyHistogram scoringLatency,
        Monitoring monitoring) {

    /** Copies the lists; no latency histogram is an empty one, no monitoring {@link Monitoring#NONE}. */
    public ModelStatus {
        comparisons = List.copyOf(comparisons);
        events = List.copyOf(events);
        scoringLatency = scoringLatency == null ? io.millwright.api.LatencyHistogram.EMPTY : scoringLatency;
        monitoring = monitoring == null ? Monitoring.NONE : monitoring;
    }

    /**
     * A model's status without monitoring (before 1.4).
     *
     * @param id the model's id
     * @param version the version in service
     * @param sha256 its SHA-256
     * @param kind what it answers
     * @param featureSet its feature set and version
     * @param candidateVersion the candidate in shadow, or empty
     * @param shadowLeft shadow windows still to score
     * @param previousVersion the version it replaced, or empty
     * @param comparisons the latest shadow comparisons
     * @param events what happened to the model
     * @param scores windows scored
     * @param scoringLatency how long scoring took
     */
    public ModelStatus(String id, String version, String sha256, ModelKind kind, String featureSet, String candidateVersion, int shadowLeft,
            String previousVersion, List<Comparison> comparisons, List<Event> events, long scores, io.millwright.api.LatencyHistogram scoringLatency) {
        this(id, version, sha256, kind, featureSet, candidateVersion, shadowLeft, previousVersion, comparisons, events, scores, scoringLatency,
                null);
    }

    /**
     * A model's status without scoring figures.
     *
     * @param id the model's id
     * @param version the version in service
     * @param sha256 its SHA-256
     * @param kind what it answers
     * @param featureSet its feature set and version
     * @param candidateVersion the candidate in shadow, or empty
     * @param shadowLeft shadow windows still to score
     * @param previousVersion the version it replaced, or empty
     * @param comparisons the latest shadow comparisons
     * @param events what happened to the model
     */
    public ModelStatus(String id, String version, String sha256, ModelKind kind, String featureSet, String candidateVersion, int shadowLeft,
            String previousVersion, List<Comparison> comparisons, List<Event> events) {
        this(id, version, sha256, kind, featureSet, candidateVersion, shadowLeft, previousVersion, comparisons, events, 0, null, null);
    }

    /**
     * The answers of the version in service and of the candidate for the same window.
     *
     * @param asset the asset
     * @param windowEnd the end of the window
     * @param activeVersion the version in service
     * @param active its answer
     * @param candidateVersion the candidate
     * @param candidate its answer
     */
    public record Comparison(String asset, Instant windowEnd, String activeVersion, double active, String candidateVersion, double candidate) {
    }

    /**
     * The model card of the version in service and its feature drift: the live feature vectors it scored lately against
     * the distribution it was trained on.
     *
     * @param card what the package says of itself: {@code intendedUse}, {@code trainingData}, {@code limitations}, and its
     *     training metrics ({@code metrics.<name>}); empty for a package without a card
     * @param liveWindows the scored windows the drift figures cover (the latest, up to the monitor's window)
     * @param features per feature with a training reference: its drift
     * @param retraining empty, or why retraining is recommended (the evidence: features, PSI, share outside the training
     *     range)
     * @param scores the distribution of the answers over the same windows
     * @param accuracy how right it was, judged after failures and maintenance ({@link ModelOutcomes}; since 1.5)
     * @since 1.4
     */
    public record Monitoring(java.util.Map<String, String> card, int liveWindows, List<FeatureDrift> features, String retraining,
            ScoreDistribution scores, Accuracy accuracy) {
        /** Nothing known. */
        public static final Monitoring NONE = new Monitoring(java.util.Map.of(), 0, List.of(), "", ScoreDistribution.NONE, Accuracy.NONE);

        /** Copies the collections. */
        public Monitoring {
            card = java.util.Map.copyOf(card);
            features = List.copyOf(features);
            retraining = retraining == null ? "" : retraining;
            scores = scores == null ? ScoreDistribution.NONE : scores;
            accuracy = accuracy == null ? Accuracy.NONE : accuracy;
        }

        /**
         * Monitoring without realised accuracy (1.4).
         *
         * @param card the model card
         * @param liveWindows windows covered
         * @param features feature drift
         * @param retraining why retraining is recommended, or empty
         * @param scores the answers' distribution
         */
        public Monitoring(java.util.Map<String, String> card, int liveWindows, List<FeatureDrift> features, String retraining,
                ScoreDistribution scores) {
            this(card, liveWindows, features, retraining, scores, Accuracy.NONE);
        }
    }

    /**
     * A model's realised accuracy: its answers judged once the asset's failure made the truth known. For a remaining
     * useful life model, each window before a failure has a true remaining life (failure time minus window end, in the
     * plant's hours) and a true urgency by the same policy; for an anomaly model, whether it was raised at the failure
     * and since when. Windows followed by a maintenance before any failure are set aside.
     *
     * @param failures failures judged
     * @param maintenances maintenances that set scores aside
     * @param windows windows judged
     * @param rulMaeHours mean absolute error of the remaining life over the judged windows whose true remaining life was
     *     below the model's training cap (NaN if none, or not a remaining-life model)
     * @param criticalPrecision of the windows it called CRITICAL, the share truly CRITICAL (NaN if it called none)
     * @param criticalRecall of the truly CRITICAL windows, the share it called CRITICAL (NaN if none)
     * @param warningPrecision of the windows it called WARNING or CRITICAL, the share truly within the warning horizon
     * @param warningRecall of the windows truly within the warning horizon, the share it called WARNING or CRITICAL
     * @param detected anomaly models: failures at which its last answer was WARNING or CRITICAL
     * @param leadHoursMedian anomaly models: median plant hours from the start of that raised episode to the failure
     * @since 1.5
     */
    public record Accuracy(int failures, int maintenances, int windows, double rulMaeHours, double criticalPrecision, double criticalRecall,
            double warningPrecision, double warningRecall, int detected, double leadHoursMedian) {
        /** Nothing judged yet. */
        public static final Accuracy NONE = new Accuracy(0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
    }

    /**
     * How a model answered lately: its results' mean and quantiles, and the share of each urgency.
     *
     * @param windows the windows counted
     * @param mean the results' mean (NaN without windows)
     * @param p10 10th percentile
     * @param p50 median
     * @param p90 90th percentile
     * @param normal share of NORMAL answers
     * @param warning share of WARNING answers
     * @param critical share of CRITICAL answers
     * @since 1.4
     */
    public record ScoreDistribution(int windows, double mean, double p10, double p50, double p90, double normal, double warning, double critical) {
        /** No windows. */
        public static final ScoreDistribution NONE = new ScoreDistribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0);
    }

    /**
     * One feature's drift.
     *
     * @param feature the feature
     * @param psi the population stability index of the live windows against the training rows, over the training's
     *     decile bins and one bin below and one above its range (below 0.1 stable, 0.1-0.25 moderate shift, above 0.25
     *     large; a plant running steadily at one point of a wider trained range also reads large — see outsideShare)
     * @param outsideShare the share of live windows outside the training rows' range
     * @param trainingMin the training rows' smallest value
     * @param trainingMax their largest
     * @param liveMean the live windows' mean
     * @since 1.4
     */
    public record FeatureDrift(String feature, double psi, double outsideShare, double trainingMin, double trainingMax, double liveMean) {
    }

    /**
     * Something that happened to the model.
     *
     * @param time when
     * @param what what, in words
     */
    public record Event(Instant time, String what) {
    }
}
