package io.millwright.health.internal;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The wall clock every sample is stamped with: CRITICAL when it is obviously not set (before 2025), WARN for an hour
 * after it stepped — moved against the monotonic clock by more than two seconds between two checks (an NTP correction
 * or a person setting it): samples around the step are stamped out of order.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Clock", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=clock"})
public final class ClockHealthCheck implements HealthCheck {

    static final Instant NOT_SET_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final long STEP_MILLIS = 2_000;
    static final long REMEMBER_NANOS = 3_600_000_000_000L;

    private final Supplier<Instant> wall;
    private final LongSupplier monotonic;
    private Instant lastWall;
    private long lastMono;
    private String step;
    private long stepAt;

    /** The system clocks. */
    @Activate
    public ClockHealthCheck() {
        this(Instant::now, System::nanoTime);
    }

    ClockHealthCheck(Supplier<Instant> wall, LongSupplier monotonic) {
        this.wall = wall;
        this.monotonic = monotonic;
        this.lastWall = wall.get();
        this.lastMono = monotonic.getAsLong();
    }

    @Override
    public synchronized Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        Instant now = wall.get();
        long mono = monotonic.getAsLong();
        long wallMillis = now.toEpochMilli() - lastWall.toEpochMilli();
        long monoMillis = (mono - lastMono) / 1_000_000;
        long drift = wallMillis - monoMillis;
        if (Math.abs(drift) > STEP_MILLIS) {
            step = "the clock stepped by " + (drift > 0 ? "+" : "") + drift / 1000.0 + " s at about " + now;
            stepAt = mono;
        }
        lastWall = now;
        lastMono = mono;
        log.info("gateway time {}", now);
        if (now.isBefore(NOT_SET_BEFORE)) {
            log.critical("the clock is not set ({}): every sample is stamped with it", now);
        }
        if (step != null && mono - stepAt < REMEMBER_NANOS) {
            log.warn("{}: samples around it are stamped out of order", step);
        }
        return new Result(log);
    }
}
