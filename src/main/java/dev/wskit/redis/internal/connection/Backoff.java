package dev.wskit.redis.internal.connection;

/**
 * Exponential backoff with jitter, as a pure function: the caller supplies the attempt number and the random
 * value, so tests need neither a clock nor a seeded generator.
 *
 * <p>The base delay is {@code initialMillis} for attempt 0 and doubles with each attempt, capped at
 * {@code maxMillis}. Jitter then subtracts up to the fraction {@code jitter} of it, so a delay is never above the
 * cap and never below {@code base * (1 - jitter)}, and instances that lost Redis together do not reconnect in step.
 *
 * @since 0.1
 */
public final class Backoff {

    /** The default jitter: a delay is shortened by up to {@value} of itself. */
    public static final double DEFAULT_JITTER = 0.2;

    private Backoff() {
    }

    /**
     * Compute the delay before a reconnect attempt.
     *
     * @param attempt the number of failed attempts so far, 0 for the first retry; at least 0
     * @param initialMillis the delay of attempt 0; at least 1
     * @param maxMillis the cap; at least {@code initialMillis}
     * @param jitter the largest fraction of the delay to subtract, between 0 and 1
     * @param random a uniformly distributed value in {@code [0, 1)}, such as
     *        {@code ThreadLocalRandom.current().nextDouble()}
     * @return the delay in milliseconds, between {@code max(1, base * (1 - jitter))} and {@code base}
     * @throws IllegalArgumentException if an argument is out of its range
     */
    public static long delayMillis(int attempt, long initialMillis, long maxMillis, double jitter, double random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be at least 0, was " + attempt);
        }
        if (initialMillis < 1) {
            throw new IllegalArgumentException("initialMillis must be at least 1, was " + initialMillis);
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("maxMillis must be at least initialMillis (" + initialMillis
                    + "), was " + maxMillis);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be at least 0 and below 1, was " + random);
        }
        long base;
        // compare before shifting: initialMillis << attempt overflows long for large attempts
        if (attempt >= Long.SIZE - 1 || initialMillis > (maxMillis >> attempt)) {
            base = maxMillis;
        } else {
            base = Math.min(initialMillis << attempt, maxMillis);
        }
        long delay = base - (long) (base * jitter * random);
        return Math.max(1, delay);
    }
}
