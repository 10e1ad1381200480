package dev.wskit.redis.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.internal.config.ConfigProblem;

/** The problems of InvalidConfigException come as parts (key, rule, value masked, hint), as the options' do. */
class InvalidConfigProblemsTest {

    @Test
    void aTypeProblemHasKeyRuleAndValue() {
        assertThat(problems(Map.of("wskit.redis.port", "x"))).containsExactly(
                new ConfigProblem("wskit.redis.port", "must be an integer", "\"x\"", null, null));
    }

    @Test
    void aProblemOfTheOptionsIsNamedByKeys() {
        assertThat(problems(Map.of("wskit.redis.reconnect.initial-delay-ms", "100",
                "wskit.redis.reconnect.max-delay-ms", "50"))).containsExactly(
                new ConfigProblem("wskit.redis.reconnect.max-delay-ms",
                        "must be at least wskit.redis.reconnect.initial-delay-ms (100 ms)", "50 ms", null, null));
        assertThat(problems(Map.of("wskit.redis.namespace", "x:"))).containsExactly(
                new ConfigProblem("wskit.redis.namespace", "must not end with ':'", "\"x:\"", null,
                        "the ':' separator is added automatically"));
    }

    @Test
    void aTlsStoreProblemHasKeyRuleAndHint() {
        assertThat(problems(Map.of("wskit.redis.tls.trust-store-password", "secret"))).containsExactly(
                new ConfigProblem("wskit.redis.tls.trust-store-password",
                        "is set but wskit.redis.tls.trust-store is not", null, null, "set both"));
    }

    @Test
    void theValueIsMaskedAndTheMessagesAreTheSentences() {
        InvalidConfigException e = invalid(Map.of("wskit.redis.db", "redis://u:S3CRET@h"));
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::value)
                .isEqualTo("\"redis://u:***@h\"");
        assertThat(e.messages()).containsExactly("wskit.redis.db must be an integer, was \"redis://u:***@h\"");
        assertThat(e).hasMessage("wskit.redis.db must be an integer, was \"redis://u:***@h\"");
    }

    private static List<ConfigProblem> problems(Map<String, String> keys) {
        return invalid(keys).problems();
    }

    private static InvalidConfigException invalid(Map<String, String> keys) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigReader.read(key -> Optional.ofNullable(keys.get(key))));
        assertThat(e).as("invalid configuration").isNotNull();
        return e;
    }
}
