package dev.wskit.redis.internal.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.testing.ManualClock;
import dev.wskit.redis.testing.RecordingLogger;
import dev.wskit.redis.testing.RecordingLogger.Entry;

/** A repeating failure is logged without flooding: the quiet period, the count of what was quieted, the recovery. */
class ThrottledLogTest {

    private static final Duration QUIET = Duration.ofSeconds(30);

    private final RecordingLogger logger = new RecordingLogger();
    private final ManualClock clock = new ManualClock();
    private final ThrottledLog log = new ThrottledLog(logger, "[test] ", clock);
    private final IOException cause = new IOException("connection refused");

    @Test
    void theFirstFailureIsAWarningWithoutStackAndItsCauseGoesToDebug() {
        assertThat(log.isFailing()).isFalse();

        log.failure("cannot connect", cause);

        assertThat(logger.entries()).containsExactly(
                new Entry(Level.WARNING, "[test] cannot connect", null),
                new Entry(Level.DEBUG, "[test] cause of the failure above", cause));
        assertThat(log.isFailing()).isTrue();
    }

    @Test
    void aFailureWithStackIsAWarningWithItsCause() {
        log.failureWithStack("the handler failed", cause);

        assertThat(logger.entries()).containsExactly(new Entry(Level.WARNING, "[test] the handler failed", cause));
    }

    @Test
    void failuresWithinTheQuietPeriodGoToDebug() {
        log.failure("cannot connect", cause);
        clock.advance(QUIET.minusNanos(1));
        log.failure("cannot connect again", cause);
        log.failureWithStack("still cannot connect", cause);

        assertThat(logger.at(Level.WARNING)).containsExactly("[test] cannot connect");
        assertThat(logger.entriesAt(Level.DEBUG)).endsWith(
                new Entry(Level.DEBUG, "[test] cannot connect again", cause),
                new Entry(Level.DEBUG, "[test] still cannot connect", cause));
    }

    @Test
    void afterTheQuietPeriodTheNextFailureIsAWarningAgainWithTheCountOfTheQuietedOnes() {
        log.failure("cannot connect", cause);
        clock.advance(Duration.ofSeconds(10));
        log.failure("cannot connect", cause);
        log.failure("cannot connect", cause);
        clock.advance(Duration.ofSeconds(20));
        log.failure("cannot connect", cause);
        log.failure("cannot connect", cause);

        assertThat(logger.at(Level.WARNING)).containsExactly("[test] cannot connect",
                "[test] cannot connect (2 similar messages at DEBUG since the last one)");
    }

    @Test
    void theQuietPeriodStartsAtTheLastWarningNotAtTheLastFailure() {
        log.failure("cannot connect", cause);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            log.failure("cannot connect", cause);
        }

        // warnings at 0 s and 30 s; the failures at 10, 20, 40 and 50 s are quiet
        assertThat(logger.at(Level.WARNING)).hasSize(2);
    }

    @Test
    void theRecoveryIsLoggedAtInfoAndTheNextFailureIsAWarningAtOnce() {
        log.failure("cannot connect", cause);
        log.failure("cannot connect", cause);
        log.recovered("connected");

        assertThat(log.isFailing()).isFalse();
        log.failure("lost the connection", cause);

        assertThat(logger.at(Level.INFO)).containsExactly("[test] connected");
        assertThat(logger.at(Level.WARNING)).as("no count carried over the recovery")
                .containsExactly("[test] cannot connect", "[test] lost the connection");
    }
}
