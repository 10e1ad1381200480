package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.testing.TestConfig;

import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;

class WebSocketSettingsTest {

    private static WebSocketSettings read(Map<String, String> values) {
        return WebSocketSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void unsetKeysGiveTheDefaults() {
        assertThat(read(Map.of())).isEqualTo(new WebSocketSettings(1024, OverflowPolicy.CLOSE, false))
                .isEqualTo(WebSocketSettings.DEFAULTS);
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(read(Map.of("wskit.redis.websocket.send-queue-capacity", " ",
                "wskit.redis.websocket.overflow-policy", "",
                "wskit.redis.websocket.exclude-sender", ""))).isEqualTo(WebSocketSettings.DEFAULTS);
    }

    @Test
    void readsEveryKey() {
        WebSocketSettings settings = read(Map.of(
                "wskit.redis.websocket.send-queue-capacity", " 16 ",
                "wskit.redis.websocket.overflow-policy", "Drop-Oldest",
                "wskit.redis.websocket.exclude-sender", "TRUE"));

        assertThat(settings).isEqualTo(new WebSocketSettings(16, OverflowPolicy.DROP_OLDEST, true));
    }

    @Test
    void acceptsEveryPolicyByItsConfigValue() {
        for (OverflowPolicy policy : OverflowPolicy.values()) {
            assertThat(read(Map.of("wskit.redis.websocket.overflow-policy", policy.configValue())).overflowPolicy())
                    .isEqualTo(policy);
        }
    }

    @Test
    void capacityMustBeAnIntegerInRange() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.send-queue-capacity", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid WebSocket configuration: wskit.redis.websocket.send-queue-capacity must be an"
                        + " integer between 1 and 1000000, was \"0\"");
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.send-queue-capacity", "1000001")))
                .hasMessageContaining("was \"1000001\"");
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.send-queue-capacity", "1k")))
                .hasMessageContaining("was \"1k\"");
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.send-queue-capacity", "-5")))
                .hasMessageContaining("was \"-5\"");
    }

    @Test
    void policyMustBeKnown() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.overflow-policy", "block")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid WebSocket configuration: wskit.redis.websocket.overflow-policy must be one of"
                        + " close, drop-newest, drop-oldest, was \"block\"");
    }

    @Test
    void excludeSenderMustBeTrueOrFalse() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.exclude-sender", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid WebSocket configuration: wskit.redis.websocket.exclude-sender must be true or"
                        + " false, was \"yes\"");
    }

    @Test
    void deliveryParallelismDefaultsToTheProcessorsAndIsReadInRange() {
        assertThat(read(Map.of()).deliveryParallelism())
                .isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 256));
        assertThat(read(Map.of("wskit.redis.websocket.delivery-parallelism", " 1 ")).deliveryParallelism()).isOne();
        assertThat(read(Map.of("wskit.redis.websocket.delivery-parallelism", "256")).deliveryParallelism())
                .isEqualTo(256);
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.delivery-parallelism", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid WebSocket configuration: wskit.redis.websocket.delivery-parallelism must be an"
                        + " integer between 1 and 256 (1: the Redis subscriber thread alone), was \"0\"");
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.delivery-parallelism", "257")))
                .hasMessageContaining("was \"257\"");
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.delivery-parallelism", "many")))
                .hasMessageContaining("was \"many\"");
        assertThatThrownBy(() -> new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery-parallelism must be between 1 and 256, was 0");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> read(Map.of(
                "wskit.redis.websocket.send-queue-capacity", "lots",
                "wskit.redis.websocket.overflow-policy", "wait",
                "wskit.redis.websocket.exclude-sender", "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("send-queue-capacity must be")
                .hasMessageContaining("; wskit.redis.websocket.overflow-policy must be")
                .hasMessageContaining("; wskit.redis.websocket.exclude-sender must be");
    }

    @Test
    void aSecretInAValueIsMasked() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.overflow-policy", "user:S3CRET@close",
                "wskit.redis.websocket.send-queue-capacity", "redis://h?password=S3CRET")))
                .hasMessageContaining("was \"user:***@close\"")
                .hasMessageContaining("was \"redis://h?password=***\"")
                .hasMessageNotContaining("S3CRET");
    }

    @Test
    void theLimitsForClientsHaveSafeDefaults() {
        WebSocketSettings d = read(Map.of());

        assertThat(d.maxMessageSize()).isEqualTo(65_536);
        assertThat(d.sendQueueMaxBytes()).isEqualTo(16_777_216);
        assertThat(d.publishRate()).isEqualTo(100);
        assertThat(d.publishBurst()).isEqualTo(200);
        assertThat(d.publishRateExceeded()).isEqualTo(RateLimitPolicy.CLOSE);
        assertThat(d.maxRoomsPerSession()).isEqualTo(64);
        assertThat(d.allowedOrigins()).isEmpty();
        assertThat(d).isEqualTo(WebSocketSettings.DEFAULTS);
    }

    @Test
    void readsTheLimitsForClients() {
        WebSocketSettings settings = read(Map.of(
                "wskit.redis.websocket.max-message-size", "1024",
                "wskit.redis.websocket.send-queue-max-bytes", "4096",
                "wskit.redis.websocket.publish-rate", "0",
                "wskit.redis.websocket.publish-burst", "5",
                "wskit.redis.websocket.publish-rate-exceeded", "DROP",
                "wskit.redis.websocket.max-rooms-per-session", "3",
                "wskit.redis.websocket.allowed-origins", " https://Chat.example.com/ , http://localhost:8080"));

        assertThat(settings.maxMessageSize()).isEqualTo(1024);
        assertThat(settings.sendQueueMaxBytes()).isEqualTo(4096);
        assertThat(settings.publishRate()).isZero();
        assertThat(settings.publishBurst()).isEqualTo(5);
        assertThat(settings.publishRateExceeded()).isEqualTo(RateLimitPolicy.DROP);
        assertThat(settings.maxRoomsPerSession()).isEqualTo(3);
        assertThat(settings.allowedOrigins()).containsExactlyInAnyOrder("https://chat.example.com",
                "http://localhost:8080");
        assertThat(read(Map.of("wskit.redis.websocket.allowed-origins", "*")).allowedOrigins()).isEmpty();
    }

    @Test
    void reportsEveryBadLimitAtOnceNamingKeyRuleAndValue() {
        assertThatThrownBy(() -> read(Map.of(
                "wskit.redis.websocket.max-message-size", "0",
                "wskit.redis.websocket.send-queue-max-bytes", "1g",
                "wskit.redis.websocket.publish-rate", "-1",
                "wskit.redis.websocket.publish-burst", "0",
                "wskit.redis.websocket.publish-rate-exceeded", "block",
                "wskit.redis.websocket.max-rooms-per-session", "0",
                "wskit.redis.websocket.allowed-origins", "https://ok.example, chat.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wskit.redis.websocket.max-message-size must be an integer between 1 and"
                        + " 268435456 bytes, was \"0\"")
                .hasMessageContaining("; wskit.redis.websocket.send-queue-max-bytes must be an integer between 1 and"
                        + " 536870912 bytes, was \"1g\"")
                .hasMessageContaining("; wskit.redis.websocket.publish-rate must be an integer between 0 and 1000000"
                        + " messages per second (0: no limit), was \"-1\"")
                .hasMessageContaining("; wskit.redis.websocket.publish-burst must be an integer between 1 and"
                        + " 1000000 messages, was \"0\"")
                .hasMessageContaining("; wskit.redis.websocket.publish-rate-exceeded must be one of close, drop, was"
                        + " \"block\"")
                .hasMessageContaining("; wskit.redis.websocket.max-rooms-per-session must be an integer between 1"
                        + " and 1000000 channels, was \"0\"")
                .hasMessageContaining("; wskit.redis.websocket.allowed-origins must be * or a comma-separated list"
                        + " of origins such as https://chat.example.com or http://localhost:8080, was"
                        + " \"chat.example.com\" in \"https://ok.example, chat.example.com\"");
    }

    @Test
    void anOriginWithAPathIsNotAnOrigin() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.allowed-origins", "https://a.example/chat")))
                .hasMessageContaining("allowed-origins must be");
    }

    @Test
    void longAndControlCharacterValuesAreEchoedSafely() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.overflow-policy", "x\ny".repeat(40))))
                .hasMessageContaining("x\\ny")
                .hasMessageContaining("... (120 characters)");
    }

    @Test
    void readsMicroProfileConfigWhenPresent() {
        try (TestConfig config = TestConfig.isolated(Map.of("wskit.redis.websocket.send-queue-capacity", "7"))) {
            assertThat(WebSocketSettings.fromMicroProfileConfig(config.loader()).sendQueueCapacity()).isEqualTo(7);
        }
    }

    @Test
    void historyRoomsAreNamesAndPrefixesNoneByDefault() {
        assertThat(read(Map.of()).historyRooms()).isEmpty();
        assertThat(read(Map.of()).isHistoryRoom("lobby")).isFalse();
        assertThat(read(Map.of()).historyMaxReplay()).isEqualTo(1000);

        WebSocketSettings s = read(Map.of("wskit.redis.websocket.history-rooms", " lobby , orders-* ",
                "wskit.redis.websocket.history-max-replay", "50"));

        assertThat(s.historyRooms()).containsExactly("lobby", "orders-*");
        assertThat(s.isHistoryRoom("lobby")).isTrue();
        assertThat(s.isHistoryRoom("lobby2")).isFalse();
        assertThat(s.isHistoryRoom("orders-7")).isTrue();
        assertThat(s.isHistoryRoom("order")).isFalse();
        assertThat(s.historyMaxReplay()).isEqualTo(50);
        assertThat(read(Map.of("wskit.redis.websocket.history-rooms", "*")).isHistoryRoom("any")).isTrue();
    }

    @Test
    void invalidHistorySettingsAreAllReported() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.history-rooms", "a,,b*c",
                "wskit.redis.websocket.history-max-replay", "-1")))
                .hasMessageContaining("wskit.redis.websocket.history-rooms must be a comma-separated list of room names")
                .hasMessageContaining("\"b*c\"")
                .hasMessageContaining("wskit.redis.websocket.history-max-replay");
    }

    @Test
    void missedRoomsAreNamesAndPrefixesNoneByDefault() {
        assertThat(read(Map.of()).missedRooms()).isEmpty();
        assertThat(read(Map.of()).isMissedRoom("lobby")).isFalse();

        WebSocketSettings s = read(Map.of("wskit.redis.websocket.missed-rooms", " lobby , orders-* "));

        assertThat(s.missedRooms()).containsExactly("lobby", "orders-*");
        assertThat(s.isMissedRoom("lobby")).isTrue();
        assertThat(s.isMissedRoom("orders-7")).isTrue();
        assertThat(s.isMissedRoom("order")).isFalse();
        assertThat(s.isHistoryRoom("lobby")).as("independent of history rooms").isFalse();
        assertThat(read(Map.of("wskit.redis.websocket.missed-rooms", "*")).isMissedRoom("any")).isTrue();
    }

    @Test
    void invalidMissedRoomsAreReportedWithTheirKey() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.missed-rooms", "a,,b*c")))
                .hasMessageContaining("wskit.redis.websocket.missed-rooms must be a comma-separated list of room names")
                .hasMessageContaining("\"b*c\"");
    }

    @Test
    void theDrainGivesFiveSecondsByDefaultNotSpread() {
        assertThat(read(Map.of()).drainTimeoutMillis()).isEqualTo(5000);
        assertThat(read(Map.of()).drainSpreadMillis()).isZero();

        WebSocketSettings s = read(Map.of("wskit.redis.websocket.drain-timeout-ms", "0",
                "wskit.redis.websocket.drain-spread-ms", "3000"));

        assertThat(s.drainTimeoutMillis()).isZero();
        assertThat(s.drainSpreadMillis()).isEqualTo(3000);
        assertThat(s.withHistory(List.of("h"), 5).drainSpreadMillis()).isEqualTo(3000);
    }

    @Test
    void invalidDrainSettingsAreAllReported() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.drain-timeout-ms", "-1",
                "wskit.redis.websocket.drain-spread-ms", "600001")))
                .hasMessageContaining("wskit.redis.websocket.drain-timeout-ms must be an integer between 0 and 600000"
                        + " ms (0: close at once), was \"-1\"")
                .hasMessageContaining("wskit.redis.websocket.drain-spread-ms must be an integer between 0 and 600000"
                        + " ms (0: all at once), was \"600001\"");
    }
}
