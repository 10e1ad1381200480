package dev.wskit.redis.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Readiness from a view: each reason on its own, and the data shown. */
class HealthDataTest {

    private static HealthView view(boolean sub, boolean pub, boolean confirmed, boolean late) {
        return new HealthView(false, sub, pub, confirmed, true, late, sub && pub ? Instant.EPOCH : null, 1500, 2, 3,
                "h:6379", "STANDALONE", "ws");
    }

    @Test
    void readyWhenConnectedConfirmedAndTheCanaryOnTime() {
        HealthView ready = view(true, true, true, false);
        assertThat(ready.ready()).isTrue();
        assertThat(HealthData.of(ready)).containsExactly(
                Map.entry("endpoint", "h:6379"),
                Map.entry("topology", "STANDALONE"),
                Map.entry("namespace", "ws"),
                Map.entry("connected", true),
                Map.entry("connectedSince", "1970-01-01T00:00:00Z"),
                Map.entry("subscriptions", 3L),
                Map.entry("canary", true),
                Map.entry("lastCanaryRoundTripMicros", 1L),
                Map.entry("canaryFailures", 2L),
                Map.entry("selfCheck", "off"),
                Map.entry("selfCheckProblems", 0L));
    }

    @Test
    void eachReasonMakesItNotReady() {
        assertThat(view(false, true, true, false).reasons()).containsExactly("subscriber disconnected");
        assertThat(view(true, false, true, false).reasons()).containsExactly("publisher disconnected");
        assertThat(view(true, true, false, false).reasons()).containsExactly("subscriptions not confirmed");
        assertThat(view(true, true, true, true).reasons()).containsExactly("loopback canary late");
        assertThat(HealthData.of(view(false, false, false, true))).containsEntry("reasons",
                "subscriber disconnected, publisher disconnected, loopback canary late");
        assertThat(new HealthView(true, true, true, true, true, false, null, -1, 0, 0, "h", "STANDALONE", "ws")
                .reasons()).containsExactly("destroyed");
    }

    @Test
    void noInstanceIsNotStarted() {
        assertThat(HealthData.of(null)).containsExactly(Map.entry("reasons", "not started"));
    }
}
