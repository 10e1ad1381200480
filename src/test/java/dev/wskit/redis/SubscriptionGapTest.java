package dev.wskit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class SubscriptionGapTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = FROM.plusMillis(250);

    @Test
    void holdsWhatItWasCreatedWith() {
        SubscriptionGap gap = SubscriptionGap.of("chat:*", true, FROM, TO, SubscriptionGap.Reason.RESUBSCRIBED);

        assertThat(gap.channel()).isEqualTo("chat:*");
        assertThat(gap.isPattern()).isTrue();
        assertThat(gap.from()).isEqualTo(FROM);
        assertThat(gap.to()).isEqualTo(TO);
        assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.RESUBSCRIBED);
        assertThat(gap).isEqualTo(SubscriptionGap.of("chat:*", true, FROM, TO, SubscriptionGap.Reason.RESUBSCRIBED))
                .hasSameHashCodeAs(SubscriptionGap.of("chat:*", true, FROM, TO, SubscriptionGap.Reason.RESUBSCRIBED))
                .isNotEqualTo(SubscriptionGap.of("chat:*", false, FROM, TO, SubscriptionGap.Reason.RESUBSCRIBED));
        assertThat(gap).hasToString("SubscriptionGap{pattern=chat:*, from=2026-01-01T00:00:00Z,"
                + " to=2026-01-01T00:00:00.250Z, reason=RESUBSCRIBED}");
    }

    @Test
    void refusesAnEndBeforeItsStartAndMissingValues() {
        assertThatThrownBy(() -> SubscriptionGap.of("c", false, TO, FROM, SubscriptionGap.Reason.CONNECTION_LOST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("to must not be before from, was from=2026-01-01T00:00:00.250Z, to=2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> SubscriptionGap.of(null, false, FROM, TO, SubscriptionGap.Reason.CONNECTION_LOST))
                .isInstanceOf(NullPointerException.class).hasMessage("channel must not be null");
        assertThatThrownBy(() -> SubscriptionGap.of("c", false, FROM, TO, null))
                .isInstanceOf(NullPointerException.class).hasMessage("reason must not be null");
    }
}
