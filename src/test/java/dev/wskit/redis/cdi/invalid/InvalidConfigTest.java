package dev.wskit.redis.cdi.invalid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.inject.spi.DeploymentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.TestConfig;

/**
 * Every configuration rule fails the deployment with a problem naming the key, the value and the rule; all problems
 * are reported at once; a password is never shown.
 */
class InvalidConfigTest {

    private static final String PASSWORD = "hunter2-Secret";

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                // key alone: types
                invalid(Map.of("wskit.redis.port", "abc"),
                        "wskit.redis.port must be an integer, was \"abc\""),
                invalid(Map.of("wskit.redis.port", "99999999999"),
                        "wskit.redis.port must be between -2147483648 and 2147483647, was \"99999999999\""),
                invalid(Map.of("wskit.redis.db", "one"),
                        "wskit.redis.db must be an integer, was \"one\""),
                invalid(Map.of("wskit.redis.tls", "maybe"),
                        "wskit.redis.tls must be true or false, was \"maybe\""),
                invalid(Map.of("wskit.redis.cluster.sharded-pubsub", "sometimes"),
                        "wskit.redis.cluster.sharded-pubsub must be true or false, was \"sometimes\""),
                invalid(Map.of("wskit.redis.publish.max-pending", "lots"),
                        "wskit.redis.publish.max-pending must be an integer, was \"lots\""),
                invalid(Map.of("wskit.redis.reconnect.initial-delay-ms", "5s"),
                        "wskit.redis.reconnect.initial-delay-ms must be a whole number of milliseconds, was \"5s\""),
                invalid(Map.of("wskit.redis.reconnect.max-delay-ms", "1.5"),
                        "wskit.redis.reconnect.max-delay-ms must be a whole number of milliseconds, was \"1.5\""),
                invalid(Map.of("wskit.redis.ping.interval-ms", "99999999999999999999"),
                        "wskit.redis.ping.interval-ms must be between -9223372036854775808 and"
                                + " 9223372036854775807 milliseconds, was \"99999999999999999999\""),
                invalid(Map.of("wskit.redis.ping.timeout-ms", "ten"),
                        "wskit.redis.ping.timeout-ms must be a whole number of milliseconds, was \"ten\""),
                invalid(Map.of("wskit.redis.connect-timeout-ms", "2 s"),
                        "wskit.redis.connect-timeout-ms must be a whole number of milliseconds, was \"2 s\""),
                invalid(Map.of("wskit.redis.command-timeout-ms", "-"),
                        "wskit.redis.command-timeout-ms must be a whole number of milliseconds, was \"-\""),
                // key alone: the rules of the options
                invalid(Map.of("wskit.redis.url", "http://redis.example.com"),
                        "wskit.redis.url scheme http is not supported, was http://redis.example.com"),
                invalid(Map.of("wskit.redis.url", "redis://redis.example.com:0"),
                        "wskit.redis.url port must be between 1 and 65535, was redis://redis.example.com:0"),
                invalid(Map.of("wskit.redis.url", "redis://redis.example.com/x"),
                        "wskit.redis.url database must be a number of at least 0, was redis://redis.example.com/x"),
                invalid(Map.of("wskit.redis.host", "redis example"),
                        "wskit.redis.host must not contain whitespace or control characters, was \"redis example\""),
                invalid(Map.of("wskit.redis.port", "0"),
                        "wskit.redis.port must be between 1 and 65535, was 0"),
                invalid(Map.of("wskit.redis.port", "70000"),
                        "wskit.redis.port must be between 1 and 65535, was 70000"),
                invalid(Map.of("wskit.redis.db", "-1"),
                        "wskit.redis.db must be at least 0, was -1"),
                invalid(Map.of("wskit.redis.namespace", "my app"),
                        "wskit.redis.namespace must not contain whitespace or control characters, was \"my app\""),
                invalid(Map.of("wskit.redis.namespace", "chat:*"),
                        "wskit.redis.namespace must not contain the glob characters * ? [ ], was \"chat:*\""),
                invalid(Map.of("wskit.redis.namespace", "app:"),
                        "wskit.redis.namespace must not end with ':', was \"app:\""),
                invalid(Map.of("wskit.redis.namespace", "n".repeat(257)),
                        "wskit.redis.namespace must be at most 256 characters, was \"" + "n".repeat(64)
                                + "\"... (257 characters)"),
                invalid(Map.of("wskit.redis.client-name", "my client"),
                        "wskit.redis.client-name must not contain whitespace or control characters, was"
                                + " \"my client\""),
                invalid(Map.of("wskit.redis.client-name", "c".repeat(129)),
                        "wskit.redis.client-name must be at most 128 characters"),
                invalid(Map.of("wskit.redis.reconnect.initial-delay-ms", "0"),
                        "wskit.redis.reconnect.initial-delay-ms must be at least 1 ms, was 0 ms"),
                invalid(Map.of("wskit.redis.reconnect.max-delay-ms", "86400001"),
                        "wskit.redis.reconnect.max-delay-ms must be at most 24 h, was 86400001 ms"),
                invalid(Map.of("wskit.redis.ping.interval-ms", "9"),
                        "wskit.redis.ping.interval-ms must be at least 10 ms, was 9 ms"),
                invalid(Map.of("wskit.redis.ping.timeout-ms", "-5"),
                        "wskit.redis.ping.timeout-ms must be at least 10 ms, was -5 ms"),
                invalid(Map.of("wskit.redis.connect-timeout-ms", "1"),
                        "wskit.redis.connect-timeout-ms must be at least 10 ms, was 1 ms"),
                invalid(Map.of("wskit.redis.command-timeout-ms", "90000000"),
                        "wskit.redis.command-timeout-ms must be at most 24 h, was 90000000 ms"),
                invalid(Map.of("wskit.redis.publish.max-pending", "0"),
                        "wskit.redis.publish.max-pending must be at least 1, was 0"),
                invalid(Map.of("wskit.redis.publish.hold-while-connecting-ms", "-1"),
                        "wskit.redis.publish.hold-while-connecting-ms must be at least 0 ms, was -1 ms"),
                // rules that combine keys
                invalid(Map.of("wskit.redis.url", "redis://a:6379", "wskit.redis.host", "b"),
                        "wskit.redis.host must not be set together with wskit.redis.url, was \"b\""),
                invalid(Map.of("wskit.redis.url", "redis://a:6379", "wskit.redis.port", "6380"),
                        "wskit.redis.port must not be set together with wskit.redis.url, was 6380"),
                invalid(Map.of("wskit.redis.url", "redis://ann:pw@a", "wskit.redis.username", "bob"),
                        "wskit.redis.username must not be set together with a wskit.redis.url that has a user name,"
                                + " was \"bob\""),
                invalid(Map.of("wskit.redis.url", "redis://a/1", "wskit.redis.db", "2"),
                        "wskit.redis.db must be the database of wskit.redis.url (1) when both are set, was 2"),
                invalid(Map.of("wskit.redis.url", "rediss://a", "wskit.redis.tls", "false"),
                        "wskit.redis.tls must not be false with a rediss:// wskit.redis.url, was false"),
                invalid(Map.of("wskit.redis.sentinel.nodes", "s1,s2"),
                        "wskit.redis.sentinel.master must be set for Sentinel, was null"),
                invalid(Map.of("wskit.redis.sentinel.nodes", "s1,", "wskit.redis.sentinel.master", "m"),
                        "wskit.redis.sentinel.nodes entry must name a host, was \"\""),
                invalid(Map.of("wskit.redis.sentinel.master", "m"),
                        "wskit.redis.sentinel.master must only be set for Sentinel, was \"m\"; use a"
                                + " redis-sentinel:// wskit.redis.url or wskit.redis.sentinel.nodes"),
                invalid(Map.of("wskit.redis.sentinel.password", PASSWORD),
                        "wskit.redis.sentinel.password must only be set for Sentinel, was ***"),
                invalid(Map.of("wskit.redis.sentinel.nodes", "s1", "wskit.redis.sentinel.master", "m",
                        "wskit.redis.cluster.nodes", "n1"),
                        "wskit.redis.sentinel.nodes must not be set together with wskit.redis.cluster.nodes"),
                invalid(Map.of("wskit.redis.cluster.nodes", "n1", "wskit.redis.db", "1"),
                        "wskit.redis.db must be 0 for a cluster, was 1"),
                invalid(Map.of("wskit.redis.cluster.sharded-pubsub", "true"),
                        "wskit.redis.cluster.sharded-pubsub must only be true for a cluster, was true; use a"
                                + " redis-cluster:// wskit.redis.url or wskit.redis.cluster.nodes"),
                invalid(Map.of("wskit.redis.cluster.nodes", "n1", "wskit.redis.host", "h"),
                        "wskit.redis.host must not be set together with wskit.redis.cluster.nodes, was \"h\""),
                invalid(Map.of("wskit.redis.url", "redis://a", "wskit.redis.sentinel.nodes", "s1"),
                        "wskit.redis.sentinel.nodes must not be set together with wskit.redis.url"),
                invalid(Map.of("wskit.redis.reconnect.initial-delay-ms", "500",
                        "wskit.redis.reconnect.max-delay-ms", "100"),
                        "wskit.redis.reconnect.max-delay-ms must be at least wskit.redis.reconnect.initial-delay-ms"
                                + " (500 ms), was 100 ms"));
    }

    private static Arguments invalid(Map<String, String> properties, String expectedProblem) {
        return Arguments.of(properties, expectedProblem);
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void anInvalidValueFailsTheDeploymentNamingKeyValueAndRule(Map<String, String> properties,
            String expectedProblem) {
        Throwable failure;
        try (TestConfig config = TestConfig.of(properties)) {
            failure = CdiTesting.deploymentFailure();
        }
        assertThat(failure).as("the deployment must fail").isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("[wskit-redis-pubsub] the RedisPubSub bean cannot be deployed, 1 problem:")
                .contains("  - " + expectedProblem);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("wskit.redis.url", "redis://a:6379");
        properties.put("wskit.redis.host", "b");
        properties.put("wskit.redis.port", "abc");
        properties.put("wskit.redis.db", "-1");
        properties.put("wskit.redis.namespace", "my app");
        properties.put("wskit.redis.reconnect.initial-delay-ms", "500");
        properties.put("wskit.redis.reconnect.max-delay-ms", "100");
        properties.put("wskit.redis.publish.max-pending", "0");
        Throwable failure;
        try (TestConfig config = TestConfig.of(properties)) {
            failure = CdiTesting.deploymentFailure();
        }
        assertThat(failure).isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("the RedisPubSub bean cannot be deployed, 6 problems:")
                .contains("  - wskit.redis.port must be an integer, was \"abc\"")
                .contains("  - wskit.redis.db must be at least 0, was -1")
                .contains("  - wskit.redis.namespace must not contain whitespace")
                .contains("  - wskit.redis.publish.max-pending must be at least 1, was 0")
                .contains("  - wskit.redis.host must not be set together with wskit.redis.url")
                .contains("  - wskit.redis.reconnect.max-delay-ms must be at least"
                        + " wskit.redis.reconnect.initial-delay-ms (500 ms), was 100 ms");
    }

    @Test
    void aPortWithAUrlIsReportedEvenWhenTheUrlIsInvalid() {
        Throwable failure;
        try (TestConfig config = TestConfig.of("wskit.redis.url", "nonsense", "wskit.redis.port", "6380")) {
            failure = CdiTesting.deploymentFailure();
        }
        assertThat(failure).isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("the RedisPubSub bean cannot be deployed, 2 problems:")
                .contains("  - wskit.redis.url must start with redis:// or rediss://, was nonsense")
                .contains("  - wskit.redis.port must not be set together with wskit.redis.url, was 6380;"
                        + " use one or the other");
    }

    @Test
    void aPasswordIsNeverShownInProblemsOrLogs() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("wskit.redis.url", "redis://user:" + PASSWORD + "@redis.example.com:99999");
        properties.put("wskit.redis.password", PASSWORD);
        Throwable failure;
        try (LogCapture log = LogCapture.start(); TestConfig config = TestConfig.of(properties)) {
            failure = CdiTesting.deploymentFailure();
            assertThat(log.text()).doesNotContain(PASSWORD);
        }
        String messages = CdiTesting.allMessages(failure);
        assertThat(messages).contains("wskit.redis.url port must be between 1 and 65535, was"
                + " redis://user:***@redis.example.com:99999");
        assertThat(messages).doesNotContain(PASSWORD);

        properties.put("wskit.redis.url", "redis://user:" + PASSWORD + "@redis.example.com:6379");
        try (LogCapture log = LogCapture.start(); TestConfig config = TestConfig.of(properties)) {
            failure = CdiTesting.deploymentFailure();
            assertThat(log.text()).doesNotContain(PASSWORD);
        }
        messages = CdiTesting.allMessages(failure);
        assertThat(messages).contains("wskit.redis.password must not be set together with a wskit.redis.url that"
                + " has a password, was ***");
        assertThat(messages).doesNotContain(PASSWORD);
    }

    static Stream<Arguments> valuesHoldingSecrets() {
        return Stream.of(
                invalid(Map.of("wskit.redis.url", "redis-sentinel://s1,s2?sentinels=m&password=" + PASSWORD),
                        "wskit.redis.url parameter \"password\" is not supported, was"
                                + " redis-sentinel://s1,s2?sentinels=***&password=***"),
                invalid(Map.of("wskit.redis.cluster.nodes", "redis://:" + PASSWORD + "@n1:6379"),
                        "wskit.redis.cluster.nodes entry must be host[:port], was \"redis://:***@n1:6379\""),
                invalid(Map.of("wskit.redis.cluster.nodes", "n0,redis://:pass,word-" + PASSWORD + "@n1:6379"),
                        "wskit.redis.cluster.nodes entry must be host[:port], was"),
                invalid(Map.of("wskit.redis.sentinel.nodes", "user:" + PASSWORD + "@s1",
                        "wskit.redis.sentinel.master", "m"),
                        "wskit.redis.sentinel.nodes entry must be host[:port], was \"user:***@s1\""),
                invalid(Map.of("wskit.redis.host", "user:" + PASSWORD + "@redis.example.com"),
                        "wskit.redis.host must be a host name or an IP address, was \"user:***@redis.example.com\""),
                invalid(Map.of("wskit.redis.port", "user:" + PASSWORD + "@6379"),
                        "wskit.redis.port must be an integer, was \"user:***@6379\""),
                invalid(Map.of("wskit.redis.url", "redis://:" + PASSWORD + "@h", "wskit.redis.sentinel.nodes",
                        "redis://:" + PASSWORD + "@s1"),
                        "wskit.redis.sentinel.nodes must not be set together with wskit.redis.url"));
    }

    @ParameterizedTest
    @MethodSource("valuesHoldingSecrets")
    void aSecretInAnyValueIsMaskedInTheDeploymentErrorAndTheLog(Map<String, String> properties,
            String expectedProblem) {
        Throwable failure;
        try (LogCapture log = LogCapture.start(); TestConfig config = TestConfig.of(properties)) {
            failure = CdiTesting.deploymentFailure();
            assertThat(log.text()).doesNotContain(PASSWORD).doesNotContain("word-");
        }
        assertThat(failure).as("the deployment must fail").isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure)).contains("  - " + expectedProblem)
                .doesNotContain(PASSWORD).doesNotContain("word-");
    }

    @Test
    void unsetAndEmptyKeysKeepTheDefaults() {
        try (LogCapture log = LogCapture.start(); TestConfig config = TestConfig.of(
                "wskit.redis.host", "",
                "wskit.redis.port", Integer.toString(CdiTesting.freePort()))) {
            assertThat(CdiTesting.deploymentFailure()).as("the deployment succeeds").isNull();
            assertThat(log.text()).contains("host=localhost").contains("namespace=ws,")
                    .contains("reconnectDelay=100 ms").contains("maxReconnectDelay=30000 ms")
                    .contains("maxPendingPublishes=65536").contains("clientName=wskit-redis-pubsub");
        }
    }
}
