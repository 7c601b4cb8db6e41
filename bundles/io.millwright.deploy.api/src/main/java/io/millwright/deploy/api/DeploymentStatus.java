package io.millwright.deploy.api;

import java.time.Instant;
import java.util.List;

/**
 * A deployment's state.
 *
 * @param id its id ({@code d-<yyyyMMdd-HHmmss>-<n>})
 * @param request what was asked
 * @param actor who asked
 * @param source how ({@code web}, {@code mqtt})
 * @param phase the phase it is in
 * @param progress 0-100 over the whole job
 * @param reason why it failed or rolled back; empty otherwise
 * @param plan the computed change; null before {@link Phase#RESOLVED}
 * @param phases the phases reached, oldest first
 * @param created when it was accepted
 * @param installedAfter what the agent's deployed set is once the deployment is over (after a rollback: the previous
 *     set, as checked in the framework)
 */
public record DeploymentStatus(String id, DeploymentRequest request, String actor, String source, Phase phase, int progress,
        String reason, DeploymentPlan plan, List<PhaseRecord> phases, Instant created, List<String> installedAfter) {
    /** Copies the lists. */
    public DeploymentStatus {
        phases = List.copyOf(phases);
        installedAfter = List.copyOf(installedAfter == null ? List.of() : installedAfter);
        reason = reason == null ? "" : reason;
    }
}
