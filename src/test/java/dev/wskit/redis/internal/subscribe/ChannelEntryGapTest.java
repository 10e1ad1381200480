package dev.wskit.redis.internal.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.SubscriptionGap;

/** The gap state of one subscription: opened when it stops being in force, closed when confirmed again. */
class ChannelEntryGapTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ChannelEntry entry = new ChannelEntry("ws:c", "c", false, -1);

    private static Instant t(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void theFirstConfirmationIsNoGap() {
        assertThat(entry.confirmed(t(0))).isFalse();
        assertThat(entry.takeGap()).isNull();
    }

    @Test
    void aSubscriptionNeverInForceHasNoGap() {
        entry.notInForce(t(0), SubscriptionGap.Reason.CONNECTION_LOST);

        assertThat(entry.confirmed(t(10))).isFalse();
        assertThat(entry.takeGap()).isNull();
    }

    @Test
    void aLossBetweenTwoConfirmationsIsOneGapFromTheLastKnownGoodToTheConfirmation() {
        entry.confirmed(t(0));
        entry.notInForce(t(5), SubscriptionGap.Reason.CONNECTION_LOST);

        assertThat(entry.confirmed(t(20))).isTrue();

        assertThat(entry.takeGap()).isEqualTo(SubscriptionGap.of("c", false, t(5), t(20),
                SubscriptionGap.Reason.CONNECTION_LOST));
        assertThat(entry.takeGap()).as("taken once").isNull();
        assertThat(entry.confirmed(t(30))).as("a second confirmation without a loss").isFalse();
    }

    @Test
    void failedAttemptsBeforeTheConfirmationKeepTheFirstStart() {
        entry.confirmed(t(0));
        entry.notInForce(t(5), SubscriptionGap.Reason.RESUBSCRIBED);
        entry.notInForce(t(15), SubscriptionGap.Reason.CONNECTION_LOST);

        entry.confirmed(t(20));

        SubscriptionGap gap = entry.takeGap();
        assertThat(gap.from()).isEqualTo(t(5));
        assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.RESUBSCRIBED);
    }

    @Test
    void twoGapsNotYetHandedOnAreMergedAndQueuedOnce() {
        entry.confirmed(t(0));
        entry.notInForce(t(5), SubscriptionGap.Reason.CONNECTION_LOST);
        assertThat(entry.confirmed(t(20))).isTrue();
        entry.notInForce(t(30), SubscriptionGap.Reason.RESUBSCRIBED);

        assertThat(entry.confirmed(t(40))).as("already queued").isFalse();

        assertThat(entry.takeGap()).isEqualTo(SubscriptionGap.of("c", false, t(5), t(40),
                SubscriptionGap.Reason.CONNECTION_LOST));
    }
}
