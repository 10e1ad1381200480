package dev.wskit.redis.internal.config;

import dev.wskit.redis.OptionProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.InvalidOptionsException;
import dev.wskit.redis.RedisPubSubOptions;

class ConfigProblemTest {

    private static final Map<String, String> KEYS = Map.of(
            "host", "wskit.redis.host",
            "url", "wskit.redis.url",
            "reconnectDelay", "wskit.redis.reconnect.initial-delay-ms",
            "maxReconnectDelay", "wskit.redis.reconnect.max-delay-ms",
            "namespace", "wskit.redis.namespace");
    private static final UnaryOperator<String> NAMING = KEYS::get;

    @Test
    void theMessageIsKeyRuleValueDetailHint() {
        assertThat(new ConfigProblem("k", "must be x", "\"v\"", "no such file", "do y").message())
                .isEqualTo("k must be x, was \"v\" (no such file); do y");
        assertThat(new ConfigProblem("k", "is set but j is not", null, null, "set both").message())
                .isEqualTo("k is set but j is not; set both");
        assertThat(ConfigProblem.of("k", "must be true or false", "redis://u:S3CRET@h").value())
                .isEqualTo("\"redis://u:***@h\"");
    }

    @Test
    void aProblemOfTheOptionsKeepsItsMessageWithTheKeysAndHasItsParts() {
        List<OptionProblem> problems = problems(RedisPubSubOptions.builder()
                .url("redis://h").host("a, was b; c").namespace("x:")
                .reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(50)));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(3);

        for (OptionProblem problem : problems) {
            ConfigProblem p = ConfigProblem.ofOption(problem, NAMING);
            assertThat(p.message()).isEqualTo(problem.message(NAMING));
            assertThat(p.value()).isEqualTo(problem.value());
            assertThat(p.key()).isEqualTo(KEYS.getOrDefault(problem.option(), problem.option()));
        }
        ConfigProblem delays = ConfigProblem.ofOption(problems.stream()
                .filter(p -> p.option().equals("maxReconnectDelay")).findFirst().orElseThrow(), NAMING);
        assertThat(delays.rule()).isEqualTo("must be at least wskit.redis.reconnect.initial-delay-ms (100 ms)");
        assertThat(delays.hint()).isNull();
        ConfigProblem host = ConfigProblem.ofOption(problems.stream()
                .filter(p -> p.option().equals("host")).findFirst().orElseThrow(), NAMING);
        assertThat(host.rule()).isEqualTo("must not be set together with wskit.redis.url");
        assertThat(host.value()).isEqualTo("\"a, was b; c\"");
        assertThat(host.hint()).isNotNull().doesNotContain("was b");
    }

    @Test
    void theExceptionJoinsTheMessagesAfterItsPrefix() {
        InvalidValuesException e = new InvalidValuesException("invalid: ", List.of(
                ConfigProblem.of("a", "must be x", "1"), new ConfigProblem("b", "must be y", null, null, "z")));
        assertThat(e).hasMessage("invalid: a must be x, was \"1\"; b must be y; z");
        assertThat(e.messages()).containsExactly("a must be x, was \"1\"", "b must be y; z");
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("a", "b");
    }

    private static List<OptionProblem> problems(RedisPubSubOptions.Builder builder) {
        InvalidOptionsException e = catchThrowableOfType(InvalidOptionsException.class, builder::build);
        assertThat(e).isNotNull();
        return e.problems();
    }
}
