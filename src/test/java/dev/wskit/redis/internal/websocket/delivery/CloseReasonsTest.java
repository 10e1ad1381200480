package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;

class CloseReasonsTest {

    @Test
    void aShortPhraseIsKept() {
        CloseReason reason = CloseReasons.of(CloseCodes.TRY_AGAIN_LATER, "slow");

        assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(reason.getReasonPhrase()).isEqualTo("slow");
    }

    @Test
    void aLongPhraseIsShortenedToWhatAFrameCarries() {
        String phrase = "not allowed to join channel " + "é".repeat(200);

        String shortened = CloseReasons.of(CloseCodes.VIOLATED_POLICY, phrase).getReasonPhrase();

        assertThat(shortened.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(shortened).startsWith("not allowed to join channel é").endsWith("...");
    }

    @Test
    void aPhraseOfExactly123BytesIsKept() {
        String phrase = "x".repeat(123);

        assertThat(CloseReasons.of(CloseCodes.NORMAL_CLOSURE, phrase).getReasonPhrase()).isEqualTo(phrase);
    }

    @Test
    void surrogatePairsAreNotCut() {
        String phrase = "\uD83D\uDE00".repeat(100);

        String shortened = CloseReasons.shorten(phrase);

        assertThat(shortened.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(shortened.substring(0, shortened.length() - 3).codePoints()).allMatch(cp -> cp == 0x1F600);
    }
}
