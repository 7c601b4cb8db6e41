package io.millwright.api;

import java.time.Clock;
import java.time.Instant;

/** Conversions between {@link Clock}/{@link Instant} and the epoch microseconds of samples. */
public final class Clocks {
    private Clocks() {
    }

    /**
     * @param clock a clock
     * @return the clock's current time in epoch microseconds
     */
    public static long micros(Clock clock) {
        return toMicros(clock.instant());
    }

    /**
     * @param instant an instant
     * @return epoch microseconds
     */
    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /**
     * @param micros epoch microseconds
     * @return the instant
     */
    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
