package dev.wskit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The handlers made of two lambdas: each call goes to its part, and both parts are required. */
class HandlerCompositionTest {

    private static final SubscriptionGap GAP = SubscriptionGap.of("prices", false, Instant.EPOCH,
            Instant.EPOCH.plusSeconds(1), SubscriptionGap.Reason.CONNECTION_LOST);

    @Test
    void typedMessagesAndGapsGoToTheirOwnLambda() {
        List<String> calls = new ArrayList<>();
        TypedMessageHandler<Integer> handler = TypedMessageHandler.withGaps(
                (channel, m) -> calls.add("message " + channel + " " + m), gap -> calls.add("gap " + gap.channel()));

        handler.onMessage("prices", 42);
        handler.onGap(GAP);

        assertThat(calls).containsExactly("message prices 42", "gap prices");
    }

    @Test
    void untypedMessagesAndGapsGoToTheirOwnLambda() {
        List<String> calls = new ArrayList<>();
        MessageHandler handler = MessageHandler.withGaps((channel, m) -> calls.add("message " + m),
                gap -> calls.add("gap " + gap.reason()));

        handler.onMessage("prices", "up");
        handler.onGap(GAP);

        assertThat(calls).containsExactly("message up", "gap CONNECTION_LOST");
    }

    @Test
    void historyMessagesAndLossesGoToTheirOwnLambda() {
        List<String> calls = new ArrayList<>();
        HistoryHandler<String> handler = HistoryHandler.withLoss(
                (channel, m, position) -> calls.add("message " + m + " at " + position.offset()),
                loss -> calls.add("loss " + loss.reason()));
        MessageLoss loss = MessageLoss.of("orders", StreamPosition.of(3, "e1"), StreamPosition.of(9, "e1"),
                MessageLoss.Reason.NOT_IN_HISTORY);

        handler.onMessage("orders", "paid", StreamPosition.of(10, "e1"));
        handler.onLoss(loss);

        assertThat(calls).containsExactly("message paid at 10", "loss NOT_IN_HISTORY");
    }

    @Test
    void bothPartsAreRequired() {
        assertThatNullPointerException().isThrownBy(() -> TypedMessageHandler.withGaps(null, gap -> { }))
                .withMessage("onMessage");
        assertThatNullPointerException().isThrownBy(() -> TypedMessageHandler.withGaps((c, m) -> { }, null))
                .withMessage("onGap");
        assertThatNullPointerException().isThrownBy(() -> MessageHandler.withGaps(null, gap -> { }))
                .withMessage("onMessage");
        assertThatNullPointerException().isThrownBy(() -> HistoryHandler.withLoss((c, m, p) -> { }, null))
                .withMessage("onLoss");
    }
}
