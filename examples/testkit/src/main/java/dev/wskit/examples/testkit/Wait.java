package dev.wskit.examples.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded polling. */
public final class Wait {

    private static final Duration POLL = Duration.ofMillis(100);

    private Wait() {
    }

    /**
     * Poll a condition every 100 ms until it holds.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long at most
     * @param condition the condition; an exception it throws ends the wait at once
     * @throws AssertionError if the condition does not hold in time
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, POLL, condition);
    }

    /**
     * Poll a condition until it holds.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long at most
     * @param poll the pause between two checks
     * @param condition the condition; an exception it throws ends the wait at once
     * @throws AssertionError if the condition does not hold in time
     */
    public static void until(String what, Duration timeout, Duration poll, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(poll.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
