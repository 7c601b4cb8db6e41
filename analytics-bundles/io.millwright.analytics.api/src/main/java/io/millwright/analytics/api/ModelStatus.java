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
 * @since 1.2
 */
public record ModelStatus(String id, String version, String sha256, ModelKind kind, String featureSet, String candidateVersion, int shadowLeft,
        String previousVersion, List<Comparison> comparisons, List<Event> events) {

    /** Copies the lists. */
    public ModelStatus {
        comparisons = List.copyOf(comparisons);
        events = List.copyOf(events);
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
