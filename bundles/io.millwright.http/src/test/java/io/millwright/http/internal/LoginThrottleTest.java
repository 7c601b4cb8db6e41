package io.millwright.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-30T08:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void fiveFailuresThenOnePerTwelveSecondsPerClientAndAccount() {
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).as("attempt " + (i + 1)).isZero();
            throttle.failed(LoginThrottle.key("10.0.0.9", "olga"));
        }
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).isEqualTo(12);
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "admin"))).as("another account from the same client").isZero();

        now = now.plus(Duration.ofSeconds(6));
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).isEqualTo(6);
        now = now.plus(Duration.ofSeconds(6));
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).isZero();
        throttle.failed(LoginThrottle.key("10.0.0.9", "olga"));
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).as("one attempt regained, spent").isEqualTo(12);

        now = now.plus(Duration.ofMinutes(2));
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).as("full budget after 60 s quiet").isZero();
            throttle.failed(LoginThrottle.key("10.0.0.9", "olga"));
        }
        assertThat(throttle.retryAfterSeconds(LoginThrottle.key("10.0.0.9", "olga"))).isPositive();
    }
}
