package dev.wskit.redis.internal.connection;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import dev.wskit.redis.internal.support.ThrottledLog;

/**
 * The reconnect policy of one connection, or of one group of connections that recover together (the masters of a
 * cluster, the slot map): every connection of the library goes through one of these, so attempts, delays, logging
 * and the reset on success work the same everywhere.
 *
 * <ul>
 * <li><b>Attempts:</b> {@link #failed} counts a failed attempt (or a lost connection) and returns the delay before
 * the next one: exponential backoff with jitter ({@link Backoff}), from {@code initialMillis} up to
 * {@code maxMillis}. {@link #succeeded} resets the count.
 * <li><b>Logging:</b> the first failure at WARN, then quietly ({@link ThrottledLog}); the recovery once at INFO,
 * saying how many attempts failed.
 * <li><b>Waiting</b> (for loops that block between attempts): {@link #await} ends early when stopped, kicked (Sentinel
 * reported a new master) or when another connection of the instance reached Redis after this attempt began
 * ({@link #attempting()}, see {@link BackoffWait}). Loops that do not block (they check a deadline between other
 * work) use the delay only.
 * </ul>
 *
 * <p>One thread makes the attempts ({@link #attempting()}, {@link #failed}, {@link #succeeded}, {@link #await});
 * {@link #retryNow()}, {@link #kick()} and {@link #stop()} may be called from any thread.
 */
public final class Reconnect {

    private final ThrottledLog log;
    private final long initialMillis;
    private final long maxMillis;
    private final BackoffWait wait = new BackoffWait();
    private int failures;
    private long mark;

    /**
     * @param log where failures and the recovery are logged
     * @param initialMillis the delay after the first failure; at least 1
     * @param maxMillis the longest delay; at least {@code initialMillis}
     */
    public Reconnect(ThrottledLog log, long initialMillis, long maxMillis) {
        this.log = log;
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
    }

    /** An attempt begins: a recovery of another connection from now on cuts the wait after its failure short. */
    public void attempting() {
        mark = wait.mark();
    }

    /**
     * The attempt failed, or a connection that was up is lost: log it (quietly after the first) and count it.
     *
     * @param message what failed, without "retrying"
     * @param cause the failure; can be {@code null}
     * @return the delay before the next attempt, in milliseconds
     */
    public long failed(String message, Throwable cause) {
        log.failure(message + "; retrying with backoff", cause);
        return failedQuietly();
    }

    /** Like {@link #failed}, with the stack trace in the log: an unexpected failure (a bug), not a connection's. */
    public long failedWithStack(String message, Throwable cause) {
        log.failureWithStack(message, cause);
        return failedQuietly();
    }

    /** Count a failed attempt without logging it (it was logged already, or is not worth it). */
    public long failedQuietly() {
        return Backoff.delayMillis(failures++, initialMillis, maxMillis, Backoff.DEFAULT_JITTER,
                ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The attempt succeeded: log the recovery if a failure was logged before, and reset the count. Recoveries of
     * other connections from now on no longer cut the next wait short.
     *
     * @param recovered the recovery's message, given the number of failed attempts; logged only after a logged
     *        failure
     * @return the number of failed attempts before this success
     */
    public int succeeded(IntFunction<String> recovered) {
        int failed = failures;
        if (log.isFailing()) {
            log.recovered(recovered.apply(failed));
        }
        failures = 0;
        mark = wait.mark();
        return failed;
    }

    /** The number of failed attempts since the last success. */
    public int failures() {
        return failures;
    }

    /** Whether the last failure was logged and no recovery since. */
    boolean isFailing() {
        return log.isFailing();
    }

    /**
     * Wait out a delay returned by {@link #failed}, or less (see the class doc).
     *
     * @return {@code true} if stopped, now or before
     * @throws InterruptedException if the thread is interrupted
     */
    public boolean await(long delayMillis) throws InterruptedException {
        return wait.await(delayMillis, mark);
    }

    /**
     * Wait out a delay returned by {@link #failed} (or less, see {@link #await}) before the next attempt.
     *
     * @return {@code false} if the loop must end: stopped, or the thread was interrupted (the interrupt is kept)
     */
    public boolean waitToRetry(long delayMillis) {
        try {
            return !await(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Another connection of the instance reached Redis: a wait after a failure ends now. */
    public void retryNow() {
        wait.retryNow();
    }

    /** End the current or next wait at once (the connection is dropped on purpose and must come back now). */
    public void kick() {
        wait.kick();
    }

    /** End every wait for good. */
    public void stop() {
        wait.stop();
    }
}
