package dev.wskit.redis.internal.connection;

import java.util.concurrent.TimeUnit;

import dev.wskit.redis.internal.support.Clock;

/**
 * The wait between reconnect attempts of one thread: it ends early when the owner stops, once when it is kicked
 * (Sentinel reported a new master, so waiting out the backoff would only prolong the outage), or when another
 * connection of the same instance got through to Redis ({@link #retryNow()}).
 *
 * <p>A kick that arrives while no wait is in progress ends the next wait at once. A {@link #retryNow()} ends the
 * wait of an attempt only if it came after the attempt's {@link #mark()}: the thread takes a mark when it starts a
 * connection attempt and again once connected, so that another connection's recovery during a failing attempt still
 * cuts the following wait short, whereas recoveries seen while this connection was up do not.
 */
final class BackoffWait {

    private final Clock clock;
    private boolean stopped;
    private boolean kicked;
    private long retries;

    BackoffWait() {
        this(Clock.SYSTEM);
    }

    /** A wait that measures its delays with {@code clock} (tests: virtual time). */
    BackoffWait(Clock clock) {
        this.clock = clock;
    }

    /**
     * Return the current mark, to pass to {@link #await(long, long)}.
     *
     * @return the number of {@link #retryNow()} calls so far
     */
    synchronized long mark() {
        return retries;
    }

    /**
     * Wait up to {@code millis}; a {@link #retryNow()} does not end this wait.
     *
     * @return {@code true} if stopped (now or before), {@code false} after the delay or a kick
     * @throws InterruptedException if the thread is interrupted
     */
    synchronized boolean await(long millis) throws InterruptedException {
        return await(millis, -1);
    }

    /**
     * Wait up to {@code millis}, or less if {@link #retryNow()} was called since {@code mark} was taken.
     *
     * @param mark a value of {@link #mark()}; -1 to ignore {@link #retryNow()}
     * @return {@code true} if stopped (now or before), {@code false} after the delay, a kick or a retry request
     * @throws InterruptedException if the thread is interrupted
     */
    synchronized boolean await(long millis, long mark) throws InterruptedException {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopped && !kicked && (mark < 0 || retries == mark)) {
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                break;
            }
            clock.timedWait(this, left);
        }
        kicked = false;
        return stopped;
    }

    synchronized void kick() {
        kicked = true;
        notifyAll();
    }

    /** Another connection of the instance reached Redis: end the current wait, see the class doc. */
    synchronized void retryNow() {
        retries++;
        notifyAll();
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
