package io.millwright.scoring.weka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.ModelOutcomes.Outcome;
import io.millwright.analytics.api.ModelStatus;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RealisedAccuracyTest {

    private static final long HOUR = 1_000_000L; // one second of source time is one plant hour at a time scale of 3600

    @Test
    void aPerfectModelIsJudgedPerfectEvenWhenItsLongHistoryWasThinned() {
        RealisedAccuracy judge = new RealisedAccuracy(ModelKind.REMAINING_USEFUL_LIFE, UrgencyPolicy.DEFAULT, 0);
        int answers = 50_000;
        long failure = answers * HOUR;
        for (int i = 0; i < answers; i++) {
            double truth = answers - i; // hours from this window's end to the failure
            judge.record("pump-1", i * HOUR, truth, UrgencyPolicy.DEFAULT.of(Duration.ofHours((long) truth)));
        }
        assertThat(judge.outcome("pump-1", failure, Outcome.FAILURE, 3600)).isEmpty();
        ModelStatus.Accuracy a = judge.snapshot();
        assertThat(a.windows()).as("thinned to at most " + RealisedAccuracy.KEPT).isBetween(RealisedAccuracy.KEPT / 2, RealisedAccuracy.KEPT);
        assertThat(a.rulMaeHours()).isLessThan(1e-6);
        assertThat(a.criticalPrecision()).isEqualTo(1.0);
        assertThat(a.criticalRecall()).isEqualTo(1.0);
        assertThat(a.warningRecall()).isEqualTo(1.0);
    }

    @Test
    void answersAfterTheFailureWaitForTheNextOutcomeAndOtherAssetsAreNotJudged() {
        RealisedAccuracy judge = new RealisedAccuracy(ModelKind.REMAINING_USEFUL_LIFE, UrgencyPolicy.DEFAULT, 336);
        judge.record("pump-1", 10 * HOUR, 500, Urgency.NORMAL);
        judge.record("pump-2", 10 * HOUR, 5, Urgency.CRITICAL);
        judge.record("pump-1", 30 * HOUR, 5, Urgency.CRITICAL);
        judge.outcome("pump-1", 20 * HOUR, Outcome.FAILURE, 3600);
        ModelStatus.Accuracy a = judge.snapshot();
        assertThat(a.windows()).as("pump-1's one window before its failure").isEqualTo(1);
        assertThat(a.rulMaeHours()).as("500 h capped at 336 h against 10 h").isEqualTo(326.0);
        assertThat(a.criticalRecall()).as("a CRITICAL window called NORMAL").isEqualTo(0.0);
        assertThat(a.criticalPrecision()).as("it called none CRITICAL").isNaN();
    }
}
