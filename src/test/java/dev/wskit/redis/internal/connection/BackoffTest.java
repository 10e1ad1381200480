package dev.wskit.redis.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void withoutJitterTheDelayDoublesUpToTheCap() {
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 12; attempt++) {
            delays.add(Backoff.delayMillis(attempt, 100, 30_000, 0.0, 0.5));
        }

        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 12_800L, 25_600L,
                30_000L, 30_000L, 30_000L);
    }

    @Test
    void randomZeroMeansNoJitter() {
        assertThat(Backoff.delayMillis(3, 100, 30_000, Backoff.DEFAULT_JITTER, 0.0)).isEqualTo(800);
    }

    @Test
    void jitterShortensTheDelayByAtMostItsFraction() {
        for (int attempt = 0; attempt < 20; attempt++) {
            long base = Backoff.delayMillis(attempt, 100, 30_000, 0.0, 0.0);
            for (double random = 0.0; random < 1.0; random += 0.01) {
                long delay = Backoff.delayMillis(attempt, 100, 30_000, 0.2, random);

                assertThat(delay).isBetween((long) Math.floor(base * 0.8), base);
            }
        }
    }

    @Test
    void jitterIsProportionalToTheRandomValue() {
        assertThat(Backoff.delayMillis(0, 1000, 30_000, 0.2, 0.5)).isEqualTo(900);
        assertThat(Backoff.delayMillis(0, 1000, 30_000, 0.2, 0.999_999)).isEqualTo(801);
        assertThat(Backoff.delayMillis(10, 1000, 30_000, 0.2, 0.5)).isEqualTo(27_000);
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        assertThat(Backoff.delayMillis(1000, 100, 30_000, 0.0, 0.0)).isEqualTo(30_000);
        assertThat(Backoff.delayMillis(Integer.MAX_VALUE, 100, 30_000, 0.0, 0.0)).isEqualTo(30_000);
        assertThat(Backoff.delayMillis(62, 1, Long.MAX_VALUE, 0.0, 0.0)).isEqualTo(1L << 62);
        assertThat(Backoff.delayMillis(63, 1, Long.MAX_VALUE, 0.0, 0.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(Backoff.delayMillis(40, 1L << 40, Long.MAX_VALUE, 0.0, 0.0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void delayIsAtLeastOneMillisecond() {
        assertThat(Backoff.delayMillis(0, 1, 1, 1.0, 0.999_999)).isEqualTo(1);
        assertThat(Backoff.delayMillis(70, 1, Long.MAX_VALUE, 1.0, Math.nextDown(1.0))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void capEqualToInitialDelayGivesAConstantDelay() {
        assertThat(Backoff.delayMillis(0, 500, 500, 0.0, 0.0)).isEqualTo(500);
        assertThat(Backoff.delayMillis(5, 500, 500, 0.0, 0.0)).isEqualTo(500);
    }

    @Test
    void argumentsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> Backoff.delayMillis(-1, 100, 1000, 0.2, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attempt must be at least 0, was -1");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 0, 1000, 0.2, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("initialMillis must be at least 1, was 0");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 100, 99, 0.2, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMillis must be at least initialMillis (100), was 99");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 100, 1000, 1.5, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 100, 1000, Double.NaN, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be between 0 and 1, was NaN");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 100, 1000, 0.2, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random must be at least 0 and below 1, was 1.0");
        assertThatThrownBy(() -> Backoff.delayMillis(0, 100, 1000, 0.2, -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random must be at least 0 and below 1, was -0.1");
    }
}
