package dev.wskit.redis.internal;

import java.util.concurrent.TimeUnit;

/**
 * The wait between reconnect attempts of one thread: it ends early when the owner stops, or once when it is
 * kicked (Sentinel reported a new master, so waiting out the backoff would only prolong the outage).
 *
 * <p>A kick that arrives while no wait is in progress ends the next wait at once.
 */
final class BackoffWait {

    private boolean stopped;
    private boolean kicked;

    /**
     * Wait up to {@code millis}.
     *
     * @return {@code true} if stopped (now or before), {@code false} after the delay or a kick
     * @throws InterruptedException if the thread is interrupted
     */
    synchronized boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopped && !kicked) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        kicked = false;
        return stopped;
    }

    synchronized void kick() {
        kicked = true;
        notifyAll();
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
