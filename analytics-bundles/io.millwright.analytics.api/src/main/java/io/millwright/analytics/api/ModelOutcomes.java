package io.millwright.analytics.api;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of the assets the models score, so that each model's realised accuracy can be judged after the fact:
 * a failure turns every score of the asset since its previous outcome into a known answer (the true remaining life at
 * each window); a maintenance sets those scores aside (their remaining life is unknown). Provided by the scoring
 * engine; told by whoever learns of the outcome — the twin when an asset trips or goes into maintenance, a
 * maintenance system's export.
 *
 * @since 1.5
 */
@ProviderType
public interface ModelOutcomes {

    /** What became of an asset. */
    enum Outcome {
        /** It failed (e.g. tripped): the scores before it are judged against it. */
        FAILURE,
        /** It was maintained before failing: the scores before it are set aside. */
        MAINTENANCE
    }

    /**
     * @param asset the asset
     * @param at when, in source time
     * @param outcome what happened
     */
    void record(String asset, Instant at, Outcome outcome);
}
