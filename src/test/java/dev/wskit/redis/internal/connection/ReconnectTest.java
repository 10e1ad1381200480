package dev.wskit.redis.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.testing.RecordingLogger;

/** The reconnect policy every connection uses: delays, reset on success, logging, and what ends a wait. */
class ReconnectTest {

    private static final long LONG_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final RecordingLogger logger = new RecordingLogger();
    private final Reconnect reconnect = new Reconnect(new ThrottledLog(logger, "[test] "), 100, 1000);

    @Test
    void delaysGrowWithEachFailureUpToTheCapAndStartOverAfterASuccess() {
        long first = reconnect.failed("connection refused", null);
        long second = reconnect.failedQuietly();
        long third = reconnect.failedQuietly();
        long fourth = reconnect.failedQuietly();
        long fifth = reconnect.failedQuietly();

        // exponential with up to 20% jitter subtracted: 100, 200, 400, 800, then the cap of 1000
        assertThat(first).isBetween(80L, 100L);
        assertThat(second).isBetween(160L, 200L);
        assertThat(third).isBetween(320L, 400L);
        assertThat(fourth).isBetween(640L, 800L);
        assertThat(fifth).isBetween(800L, 1000L);
        assertThat(reconnect.failures()).isEqualTo(5);

        assertThat(reconnect.succeeded(n -> "back after " + n)).isEqualTo(5);

        assertThat(reconnect.failures()).isZero();
        assertThat(reconnect.failed("connection refused", null)).isBetween(80L, 100L);
    }

    @Test
    void theFirstFailureIsAWarningTheRestIsQuietAndTheRecoveryIsLoggedOnce() {
        reconnect.failed("connection refused", null);
        reconnect.failed("connection refused", null);
        reconnect.succeeded(n -> "connected after " + n + " failed attempt(s)");
        reconnect.succeeded(n -> "connected again after " + n + " failed attempt(s)");

        assertThat(logger.at(Level.WARNING)).containsExactly("[test] connection refused; retrying with backoff");
        assertThat(logger.at(Level.INFO)).containsExactly("[test] connected after 2 failed attempt(s)");
    }

    @Test
    void aSuccessWithoutALoggedFailureLogsNothing() {
        reconnect.failedQuietly();
        reconnect.succeeded(n -> "connected after " + n + " failed attempt(s)");

        assertThat(logger.at(Level.INFO)).isEmpty();
        assertThat(logger.at(Level.WARNING)).isEmpty();
    }

    @Test
    void anotherConnectionsRecoveryDuringAFailedAttemptEndsTheWaitThatFollows() throws Exception {
        reconnect.attempting();
        long delay = reconnect.failed("connection refused", null);
        reconnect.retryNow();

        assertThat(delay).isPositive();
        assertThat(reconnect.await(LONG_MILLIS)).as("stopped").isFalse();
    }

    @Test
    void aRecoveryBeforeTheAttemptDoesNotEndItsWait() throws Exception {
        reconnect.retryNow();
        reconnect.attempting();
        reconnect.failed("connection refused", null);

        // only the delay (short here) or a stop ends it
        assertThat(reconnect.await(50)).as("stopped").isFalse();
        reconnect.stop();
        assertThat(reconnect.await(LONG_MILLIS)).as("stopped").isTrue();
    }

    @Test
    void aKickEndsTheNextWaitAtOnce() throws Exception {
        reconnect.attempting();
        reconnect.kick();

        assertThat(reconnect.await(LONG_MILLIS)).as("stopped").isFalse();
    }
}
