package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.codec.Json;

/** The frames of history rooms: exact text, and valid JSON whatever the payload holds. */
class HistoryFramesTest {

    private static final StreamPosition P = StreamPosition.of(5, "Ab3");

    @Test
    void framesHaveTheDocumentedForm() {
        assertThat(HistoryFrames.message("lobby", P, "hello"))
                .isEqualTo("{\"wskit\":1,\"type\":\"message\",\"room\":\"lobby\",\"offset\":5,\"epoch\":\"Ab3\","
                        + "\"data\":\"hello\"}");
        assertThat(HistoryFrames.subscribed("lobby", P))
                .isEqualTo("{\"wskit\":1,\"type\":\"subscribed\",\"room\":\"lobby\",\"offset\":5,\"epoch\":\"Ab3\"}");
        assertThat(HistoryFrames.recovered("lobby", P, 7))
                .isEqualTo("{\"wskit\":1,\"type\":\"recovered\",\"room\":\"lobby\",\"offset\":5,\"epoch\":\"Ab3\","
                        + "\"replayed\":7}");
        assertThat(HistoryFrames.notRecovered("lobby", P, StreamPosition.of(2, "old"),
                HistoryFrames.Reason.HISTORY_RESET))
                .isEqualTo("{\"wskit\":1,\"type\":\"not-recovered\",\"room\":\"lobby\",\"offset\":5,"
                        + "\"epoch\":\"Ab3\",\"since\":\"2:old\",\"reason\":\"history-reset\"}");
        assertThat(HistoryFrames.lost("lobby", null, null, HistoryFrames.Reason.NOT_IN_HISTORY))
                .isEqualTo("{\"wskit\":1,\"type\":\"lost\",\"room\":\"lobby\",\"after\":null,"
                        + "\"reason\":\"not-in-history\"}");
        assertThat(HistoryFrames.lost("lobby", P, StreamPosition.of(2, "Ab3"), HistoryFrames.Reason.TOO_FAR_BEHIND))
                .startsWith(HistoryFrames.PREFIX)
                .endsWith(",\"offset\":5,\"epoch\":\"Ab3\",\"after\":\"2:Ab3\",\"reason\":\"too-far-behind\"}");
    }

    @Test
    void theDataIsEscapedSoThatAnyPayloadParsesBackUnchanged() {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 esc \u001b ls \u2028 ps \u2029 emoji \ud83d\ude00"
                + " {\"json\":[1,2]} é";
        String frame = HistoryFrames.message("room \"x\"\n", P, nasty);

        Object parsed = Json.parse(frame);

        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertThat(map.get("data")).isEqualTo(nasty);
        assertThat(map.get("room")).isEqualTo("room \"x\"\n");
        assertThat(frame).doesNotContain("\n").doesNotContain("\u2028");
    }
}
