package io.millwright.driver.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleWithJitterUpToTheCap() {
        Backoff b = new Backoff(100, 1000);
        assertThat(b.due()).isTrue();
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            long d = b.failed();
            assertThat(d).isBetween(ceiling / 2, ceiling);
        }
        assertThat(b.failures()).isEqualTo(ceilings.length);
        assertThat(b.due()).isFalse();
        b.succeeded();
        assertThat(b.due()).isTrue();
        assertThat(b.failed()).isBetween(50L, 100L);
    }

    @Test
    void refusesAnUpsideDownRange() {
        assertThatThrownBy(() -> new Backoff(500, 100)).hasMessageContaining("500..100");
    }
}
