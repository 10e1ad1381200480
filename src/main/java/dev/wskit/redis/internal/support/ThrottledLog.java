package dev.wskit.redis.internal.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * Logs a repeating failure without flooding: the first one at WARN with its cause, then at most one WARN per quiet
 * period (30 s), everything else at DEBUG; the recovery once at INFO. Thread-safe.
 *
 * <p>Public for the library's WebSocket layer; not API.
 */
public final class ThrottledLog {

    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Logger logger;
    private final String prefix;
    private final Clock clock;
    private boolean failing;
    private long lastWarn;
    private long suppressed;

    /**
     * Create a log.
     *
     * @param logger where to log; must not be {@code null}
     * @param prefix put before every message, such as {@code "[name] "}; must not be {@code null}
     */
    public ThrottledLog(Logger logger, String prefix) {
        this(logger, prefix, Clock.SYSTEM);
    }

    /** A log whose quiet period is measured with {@code clock} (tests: virtual time). */
    ThrottledLog(Logger logger, String prefix, Clock clock) {
        this.logger = logger;
        this.prefix = prefix;
        this.clock = clock;
    }

    /**
     * Log a failure whose message says it all (a connection problem); the stack trace goes to DEBUG only.
     *
     * @param message the message, without the prefix
     * @param cause the failure; can be {@code null}
     */
    public void failure(String message, Throwable cause) {
        failure(message, cause, false);
    }

    /** Log a failure with its stack trace (a bug in user code, a malformed message). */
    public void failureWithStack(String message, Throwable cause) {
        failure(message, cause, true);
    }

    private synchronized void failure(String message, Throwable cause, boolean withStack) {
        long now = clock.nanoTime();
        if (!failing || now - lastWarn >= QUIET_NANOS) {
            String suffix = suppressed > 0 ? " (" + suppressed + " similar messages at DEBUG since the last one)" : "";
            if (withStack) {
                logger.log(Level.WARNING, prefix + message + suffix, cause);
            } else {
                logger.log(Level.WARNING, prefix + message + suffix);
                logger.log(Level.DEBUG, prefix + "cause of the failure above", cause);
            }
            failing = true;
            lastWarn = now;
            suppressed = 0;
        } else {
            suppressed++;
            logger.log(Level.DEBUG, prefix + message, cause);
        }
    }

    public synchronized void recovered(String message) {
        logger.log(Level.INFO, prefix + message);
        failing = false;
        suppressed = 0;
    }

    public synchronized boolean isFailing() {
        return failing;
    }
}
