package io.millwright.optimizer.api;

import java.util.List;

/**
 * What an asset's optimizer is doing.
 *
 * @param asset the asset
 * @param state off, active or stopped
 * @param envelope what it is allowed to do
 * @param actor the identity it writes under, {@code optimizer:<asset>}
 * @param enabledBy who enabled it last, empty if nobody has
 * @param enabledMs when, epoch ms (0 if never)
 * @param humanValue the last value a person set (or the value when it was enabled): what a stop reverts to; NaN if unknown
 * @param value the tag's value the twin reports now, NaN if unknown
 * @param model the scoring model its decisions were made with ({@code id@version}), empty before the first
 * @param decisions its latest decisions, newest first (at most 20)
 * @param lastCheck the latest comparison of what the twin observes with what the last decision projected (the twin's
 *        accuracy, live), empty before the second decision
 * @param stopReason why it stopped, empty unless stopped
 * @param stoppedBy who or what stopped it ({@code p1-alarm}, {@code model-switch}, {@code mismatch}, {@code human-write},
 *        or the person who pressed the kill switch)
 * @param stoppedMs when, epoch ms (0 unless stopped)
 * @param revert the revert to the human value: empty when none is due, otherwise what became of it
 * @param problem why the configuration cannot be used, empty if it can
 */
public record OptimizerStatus(String asset, State state, Envelope envelope, String actor, String enabledBy, long enabledMs, double humanValue,
        double value, String model, List<Decision> decisions, String lastCheck, String stopReason, String stoppedBy, long stoppedMs,
        String revert, String problem) {

    /** Copies the list. */
    public OptimizerStatus {
        decisions = List.copyOf(decisions);
    }

    /** An optimizer's state. */
    public enum State {
        /** not enabled: it writes nothing */
        OFF,
        /** deciding every period */
        ACTIVE,
        /** stopped by a condition or the kill switch; an engineer must enable it again */
        STOPPED;

        /** @return lower case, as the API shows it */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One decision.
     *
     * @param timeMs when, epoch ms
     * @param from the value before
     * @param to the value chosen (equal to from when it kept the value)
     * @param why the reason, naming the objective and the figures
     * @param projectedRulHours the chosen candidate's projected remaining life, plant hours (infinite: beyond the horizon
     *        with no model to say more)
     * @param output the chosen candidate's output over the horizon
     * @param unit the output's unit
     * @param write the write request's id, empty when nothing was written
     * @param writeStatus what became of the write so far, empty when nothing was written
     * @param candidates every candidate tried
     */
    public record Decision(long timeMs, double from, double to, String why, double projectedRulHours, double output, String unit, String write,
            String writeStatus, List<Candidate> candidates) {

        /** Copies the list. */
        public Decision {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * One candidate of a decision.
     *
     * @param value the setpoint tried
     * @param projectedRulHours its projected remaining life (infinite: survives the horizon, no model to say more)
     * @param output its output over the horizon
     * @param energyKwh its energy over the horizon
     * @param feasible whether it meets the remaining-life target
     */
    public record Candidate(double value, double projectedRulHours, double output, double energyKwh, boolean feasible) {
    }
}
