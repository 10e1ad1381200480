package dev.wskit.redis.internal.support;

import java.util.concurrent.TimeUnit;

/**
 * The time source of the classes that wait or throttle ({@code BackoffWait}, {@link ThrottledLog},
 * {@code Housekeeper}): {@link #SYSTEM} in production; tests pass a clock they advance by hand, so that a 30-s
 * quiet period or a 10-minute backoff takes no real time.
 *
 * <p>Public for the library's other internal packages; not API.
 */
public interface Clock {

    /** {@link System#nanoTime()} and {@link Object#wait(long, int)}. */
    Clock SYSTEM = new Clock() {

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void timedWait(Object monitor, long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };

    /**
     * The current time, like {@link System#nanoTime()}: only differences between two values mean something.
     *
     * @return the current value of the clock, in nanoseconds
     */
    long nanoTime();

    /**
     * Wait on {@code monitor}, whose lock the caller holds, up to {@code nanos} of this clock's time, like
     * {@link TimeUnit#timedWait}: a {@code notify} ends it early, and it may end early for no reason at all, so the
     * caller checks its condition and the time again in a loop.
     *
     * @param monitor the object to wait on; the caller holds its lock
     * @param nanos the longest wait; nothing happens if not positive
     * @throws InterruptedException if the thread is interrupted
     */
    void timedWait(Object monitor, long nanos) throws InterruptedException;
}
