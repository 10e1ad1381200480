package dev.wskit.redis.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.websocket.OverflowPolicy;

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
    void longAndControlCharacterValuesAreEchoedSafely() {
        assertThatThrownBy(() -> read(Map.of("wskit.redis.websocket.overflow-policy", "x\ny".repeat(40))))
                .hasMessageContaining("x\\u000ay")
                .hasMessageContaining("... (120 characters)");
    }

    @Test
    void readsMicroProfileConfigWhenPresent() {
        try (IsolatedConfig config = new IsolatedConfig(Map.of("wskit.redis.websocket.send-queue-capacity", "7"))) {
            assertThat(WebSocketSettings.fromMicroProfileConfig(config.loader).sendQueueCapacity()).isEqualTo(7);
        }
    }
}
