package io.millwright.deploy.api;

import java.time.Instant;

/**
 * A phase a deployment reached.
 *
 * @param phase the phase
 * @param at when
 * @param detail what happened in it (sizes, signer, the plan, a failed check)
 */
public record PhaseRecord(Phase phase, Instant at, String detail) {
}
