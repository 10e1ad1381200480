package dev.wskit.redis.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.testing.ManualClock;
import dev.wskit.redis.testing.RecordingLogger;

/** The canary's judgement, in virtual time: sent, back, late, replaced once, forgotten across reconnects. */
class CanaryTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();
    private final RecordingLogger logger = new RecordingLogger();
    private final List<String> sent = new ArrayList<>();
    private final List<CompletableFuture<Void>> stages = new ArrayList<>();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger replaced = new AtomicInteger();
    private final Canary canary = new Canary("ws:__wskit:canary:abc", INTERVAL.toNanos(), clock, (wire, payload) -> {
        assertThat(new String(wire, StandardCharsets.UTF_8)).isEqualTo("ws:__wskit:canary:abc");
        sent.add(new String(payload, StandardCharsets.UTF_8));
        CompletableFuture<Void> stage = new CompletableFuture<>();
        stages.add(stage);
        return stage;
    }, connected::get, epoch::get, replaced::incrementAndGet, logger, "[test] ");

    @Test
    void aCanaryThatComesBackIsMeasured() {
        canary.tick();
        stages.get(0).complete(null);
        clock.advance(Duration.ofMillis(3));
        canary.received(sent.get(0));

        assertThat(canary.lastRoundTripNanos()).isEqualTo(Duration.ofMillis(3).toNanos());
        assertThat(canary.isLate()).isFalse();
        assertThat(canary.failures()).isZero();
        assertThat(canary.published()).isOne();
        assertThat(canary.received()).isOne();

        clock.advance(INTERVAL);
        canary.tick();
        assertThat(sent).containsExactly("1", "2");
        assertThat(replaced).hasValue(0);
    }

    @Test
    void aCanaryNotBackWithinTheIntervalIsLateAndReplacesTheSubscriberOnce() {
        canary.tick();
        clock.advance(INTERVAL.minusNanos(1));
        assertThat(canary.isLate()).as("before its deadline").isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(canary.isLate()).as("at its deadline, before the housekeeper judged it").isTrue();

        canary.tick();
        assertThat(canary.failures()).isOne();
        assertThat(replaced).hasValue(1);
        assertThat(logger.at(Level.WARNING)).singleElement().asString()
                .startsWith("[test] the loopback canary published on ws:__wskit:canary:abc did not come back within "
                        + "10000 ms (1 time)")
                .contains("replacing it");

        // the streak goes on: not replaced again at once
        clock.advance(INTERVAL);
        canary.tick();
        assertThat(canary.failures()).isEqualTo(2);
        assertThat(replaced).hasValue(1);
        assertThat(canary.isLate()).isTrue();
    }

    @Test
    void aLongStreakReplacesTheSubscriberEveryTenthLateCanary() {
        canary.tick();
        for (int i = 0; i < 1 + Canary.REPLACE_EVERY_INTERVALS; i++) {
            clock.advance(INTERVAL);
            canary.tick();
        }
        assertThat(canary.failures()).isEqualTo(1 + Canary.REPLACE_EVERY_INTERVALS);
        assertThat(replaced).hasValue(2);
    }

    @Test
    void theInstanceIsReadyAgainWhenACanaryComesBack() {
        canary.tick();
        clock.advance(INTERVAL);
        canary.tick();
        assertThat(canary.isLate()).isTrue();

        clock.advance(Duration.ofMillis(1));
        canary.received(sent.get(1));

        assertThat(canary.isLate()).isFalse();
        assertThat(canary.lastRoundTripNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
        assertThat(logger.at(Level.INFO)).singleElement().asString().contains("ready again");
    }

    @Test
    void aLateCanaryArrivingAfterItWasJudgedDoesNotEndTheStreak() {
        canary.tick();
        clock.advance(INTERVAL);
        canary.tick();

        canary.received(sent.get(0));

        assertThat(canary.isLate()).isTrue();
        assertThat(canary.lastRoundTripNanos()).isEqualTo(-1);
    }

    @Test
    void aCanarySentBeforeAReconnectIsForgottenNotCounted() {
        canary.tick();
        epoch.incrementAndGet();
        clock.advance(INTERVAL);
        canary.tick();

        assertThat(canary.failures()).isZero();
        assertThat(replaced).hasValue(0);
        assertThat(sent).as("a new one goes out").hasSize(2);
    }

    @Test
    void nothingIsSentWhileNotConnected() {
        connected.set(false);
        canary.tick();
        clock.advance(INTERVAL);
        canary.tick();

        assertThat(sent).isEmpty();
        assertThat(canary.isLate()).isFalse();
    }

    @Test
    void aCanaryWhosePublishFailedIsNotWaitedFor() {
        canary.tick();
        stages.get(0).completeExceptionally(new IllegalStateException("down"));
        clock.advance(INTERVAL);

        assertThat(canary.isLate()).isFalse();
        canary.tick();
        assertThat(canary.failures()).isZero();
        assertThat(canary.publishFailures()).isOne();
    }

    @Test
    void anUnexpectedPayloadIsCountedAndIgnored() {
        canary.tick();
        canary.received("not a number");

        assertThat(canary.received()).isOne();
        assertThat(canary.lastRoundTripNanos()).isEqualTo(-1);
    }
}
