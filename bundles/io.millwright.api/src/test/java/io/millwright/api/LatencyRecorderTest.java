package io.millwright.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void eachDurationLandsInTheFirstBucketWhoseBoundHoldsIt() {
        LatencyRecorder r = new LatencyRecorder(List.of(0.001, 0.01, 0.1));
        r.recordNanos(500_000);      // 0.5 ms
        r.recordNanos(1_000_000);    // 1 ms: on the bound, in it (Prometheus' le)
        r.recordNanos(5_000_000);    // 5 ms
        r.recordNanos(2_000_000_000L); // 2 s: above the last bound
        r.recordNanos(-5);           // a clock that went back: 0
        LatencyHistogram h = r.snapshot();
        assertThat(h.upperBoundsSeconds()).containsExactly(0.001, 0.01, 0.1);
        assertThat(h.counts()).containsExactly(3L, 1L, 0L, 1L);
        assertThat(h.count()).isEqualTo(5);
        assertThat(h.sumSeconds()).isCloseTo(2.0065, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void badBoundsAndCountsAreRefused() {
        assertThatThrownBy(() -> new LatencyRecorder(List.of(0.1, 0.01))).hasMessageContaining("ascend");
        assertThatThrownBy(() -> new LatencyHistogram(List.of(0.1), List.of(1L), 0)).hasMessageContaining("one more");
        assertThat(LatencyHistogram.EMPTY.count()).isZero();
    }
}
