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
 * @since 1.2
 */
public record ModelStatus(String id, String version, String sha256, ModelKind kind, String featureSet, String candidateVersion, int shadowLeft,
        String previousVersion, List<Comparison> comparisons, List<Event> events, long scores, io.millwright.api.LatencyHistogram scoringLatency) {

    /** Copies the lists; no latency histogram is an empty one. */
    public ModelStatus {
        comparisons = List.copyOf(comparisons);
        events = List.copyOf(events);
        scoringLatency = scoringLatency == null ? io.millwright.api.LatencyHistogram.EMPTY : scoringLatency;
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
        this(id, version, sha256, kind, featureSet, candidateVersion, shadowLeft, previousVersion, comparisons, events, 0, null);
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
     * Something that happened to the model.
     *
     * @param time when
     * @param what what, in words
     */
    public record Event(Instant time, String what) {
    }
}
