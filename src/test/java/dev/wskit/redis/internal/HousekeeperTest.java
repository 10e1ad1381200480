package dev.wskit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.wskit.redis.testing.ManualClock;
import dev.wskit.redis.testing.RecordingLogger;

/** The housekeeping thread: one round per ping interval, measured from the end of the last, until stopped. */
class HousekeeperTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final RecordingLogger logger = new RecordingLogger();
    private final AtomicInteger rounds = new AtomicInteger();
    private Housekeeper housekeeper;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (housekeeper != null) {
            housekeeper.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void start(Runnable ping) {
        housekeeper = new Housekeeper(INTERVAL.toNanos(), ping, logger, "[test] ", clock);
        thread = new Thread(housekeeper, "housekeeper-test");
        thread.setDaemon(true);
        thread.start();
        clock.awaitWaiting(thread);
    }

    @Test
    void oneRoundPerInterval() {
        start(rounds::incrementAndGet);

        clock.advance(INTERVAL.minusNanos(1));
        clock.awaitWaiting(thread);
        assertThat(rounds).as("a round before the interval is over").hasValue(0);

        clock.advance(Duration.ofNanos(1));
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 1);
        clock.awaitWaiting(thread);

        clock.advance(INTERVAL);
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 2);
        clock.awaitWaiting(thread);
        assertThat(rounds).hasValue(2);
    }

    @Test
    void theIntervalCountsFromTheEndOfTheLastRound() {
        // a round that takes 3 s of the clock's time
        start(() -> {
            rounds.incrementAndGet();
            clock.advance(Duration.ofSeconds(3));
        });

        clock.advance(INTERVAL);
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 1);
        clock.awaitWaiting(thread);

        clock.advance(INTERVAL.minusNanos(1));
        clock.awaitWaiting(thread);
        assertThat(rounds).hasValue(1);
        clock.advance(Duration.ofNanos(1));
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 2);
    }

    @Test
    void aFailingRoundIsLoggedAndTheNextOneStillComes() {
        RuntimeException failure = new IllegalStateException("boom");
        start(() -> {
            rounds.incrementAndGet();
            throw failure;
        });

        clock.advance(INTERVAL);
        clock.awaitWaiting(thread);
        clock.advance(INTERVAL);
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 2);

        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> logger.entriesAt(Level.WARNING).size() == 2);
        assertThat(logger.entriesAt(Level.WARNING)).allSatisfy(e -> {
            assertThat(e.message()).isEqualTo("[test] the periodic PING failed; retrying next interval");
            assertThat(e.thrown()).isSameAs(failure);
        });
    }

    @Test
    void stopEndsTheWaitAtOnceWithoutARound() throws InterruptedException {
        start(rounds::incrementAndGet);

        housekeeper.stop();

        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).as("still running").isFalse();
        assertThat(rounds).hasValue(0);
    }

    @Test
    void aHousekeeperStoppedBeforeItStartsNeverRuns() throws InterruptedException {
        housekeeper = new Housekeeper(INTERVAL.toNanos(), rounds::incrementAndGet, logger, "[test] ", clock);
        housekeeper.stop();
        thread = new Thread(housekeeper, "housekeeper-test");
        thread.setDaemon(true);
        thread.start();

        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).as("still running").isFalse();
        assertThat(rounds).hasValue(0);
    }

    @Test
    void aSecondTaskRunsAtItsOwnInterval() {
        AtomicInteger other = new AtomicInteger();
        housekeeper = new Housekeeper(INTERVAL.toNanos(), rounds::incrementAndGet, logger, "[test] ", clock)
                .every(Duration.ofSeconds(2).toNanos(), other::incrementAndGet);
        thread = new Thread(housekeeper, "housekeeper-test");
        thread.setDaemon(true);
        thread.start();
        clock.awaitWaiting(thread);

        clock.advance(Duration.ofSeconds(2));
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> other.get() == 1);
        clock.awaitWaiting(thread);
        assertThat(rounds).as("PINGs after 2 s").hasValue(0);

        clock.advance(Duration.ofSeconds(2));
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> other.get() == 2);
        clock.awaitWaiting(thread);
        clock.advance(Duration.ofSeconds(1));
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 1);
        clock.awaitWaiting(thread);
        assertThat(other).as("second task runs after 5 s").hasValue(2);
    }
}
