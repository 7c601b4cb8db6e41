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
     * @since 1.4
     */
    public record Monitoring(java.util.Map<String, String> card, int liveWindows, List<FeatureDrift> features, String retraining,
            ScoreDistribution scores) {
        /** Nothing known. */
        public static final Monitoring NONE = new Monitoring(java.util.Map.of(), 0, List.of(), "", ScoreDistribution.NONE);

        /** Copies the collections. */
        public Monitoring {
            card = java.util.Map.copyOf(card);
            features = List.copyOf(features);
            retraining = retraining == null ? "" : retraining;
            scores = scores == null ? ScoreDistribution.NONE : scores;
        }
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
