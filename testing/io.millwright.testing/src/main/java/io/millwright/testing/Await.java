package io.millwright.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a state that proves something happened, instead of sleeping and hoping. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} every 20 ms until it holds.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long at most
     * @param condition the state awaited
     * @throws AssertionError naming {@code what} if it does not hold in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
