package dev.wskit.redis.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.TestSecrets;
import dev.wskit.redis.testing.TestConfig;

/** Reading every key, its type conversion and the mapping to the options; the rules are in InvalidConfigTest. */
class ConfigReaderTest {

    @Test
    void everyKeyReachesItsOption() {
        Map<String, String> properties = new HashMap<>();
        properties.put("wskit.redis.host", "redis.example.com");
        properties.put("wskit.redis.port", " 6380 ");
        properties.put("wskit.redis.username", "ann");
        properties.put("wskit.redis.password", "secret");
        properties.put("wskit.redis.db", "3");
        properties.put("wskit.redis.tls", "ON");
        properties.put("wskit.redis.namespace", "app:prod");
        properties.put("wskit.redis.client-name", "app-1");
        properties.put("wskit.redis.reconnect.initial-delay-ms", "250");
        properties.put("wskit.redis.reconnect.max-delay-ms", "10000");
        properties.put("wskit.redis.ping.interval-ms", "1000");
        properties.put("wskit.redis.ping.timeout-ms", "800");
        properties.put("wskit.redis.connect-timeout-ms", "1500");
        properties.put("wskit.redis.command-timeout-ms", "2500");
        properties.put("wskit.redis.publish.max-pending", "100");
        properties.put("wskit.redis.publish.hold-while-connecting-ms", "0");
        properties.put("wskit.redis.publish.max-pending-bytes", "3000000000");
        properties.put("wskit.redis.receive.max-message-bytes", "1024");
        RedisPubSubOptions options = ConfigReader.read(config(properties)).toBuilder().build();

        assertThat(options.host()).isEqualTo("redis.example.com");
        assertThat(options.port()).isEqualTo(6380);
        assertThat(options.username()).isEqualTo("ann");
        assertThat(TestSecrets.password(options)).isEqualTo("secret");
        assertThat(options.db()).isEqualTo(3);
        assertThat(options.tls()).isTrue();
        assertThat(options.namespace()).isEqualTo("app:prod");
        assertThat(options.clientName()).isEqualTo("app-1");
        assertThat(options.reconnectDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.pingTimeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(options.commandTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(options.maxPendingPublishes()).isEqualTo(100);
        assertThat(options.holdPublishesWhileConnecting()).isZero();
        assertThat(options.maxPendingPublishBytes()).isEqualTo(3_000_000_000L);
        assertThat(options.maxReceivedMessageBytes()).isEqualTo(1024);
    }

    @Test
    void theSentinelKeysReachTheirOptions() {
        RedisPubSubOptions options = ConfigReader.read(config(Map.of(
                "wskit.redis.sentinel.nodes", "s1:26380, s2",
                "wskit.redis.sentinel.master", "main",
                "wskit.redis.sentinel.username", "watcher",
                "wskit.redis.sentinel.password", "secret"))).toBuilder().build();
        assertThat(options.topology()).isEqualTo(RedisPubSubOptions.Topology.SENTINEL);
        assertThat(options.sentinels()).containsExactly("s1:26380", "s2:26379");
        assertThat(options.sentinelMaster()).isEqualTo("main");
        assertThat(options.sentinelUsername()).isEqualTo("watcher");
        assertThat(TestSecrets.sentinelPassword(options)).isEqualTo("secret");
    }

    @Test
    void theConfigurationsToStringShowsNoSecret() {
        RedisPubSubConfig config = ConfigReader.read(config(Map.of(
                "wskit.redis.url", "redis-sentinel://ann:S3CRET-1@s1,s2?sentinels=main",
                "wskit.redis.username", "",
                "wskit.redis.sentinel.password", "S3CRET-2")));

        assertThat(config.toString()).doesNotContain("S3CRET")
                .contains("url=redis-sentinel://ann:***@s1,s2?sentinels=***")
                .contains("sentinelPassword=***");
    }

    @Test
    void theClusterKeysReachTheirOptions() {
        RedisPubSubOptions options = ConfigReader.read(config(Map.of(
                "wskit.redis.cluster.nodes", "n1,n2:7001",
                "wskit.redis.cluster.sharded-pubsub", "true"))).toBuilder().build();
        assertThat(options.topology()).isEqualTo(RedisPubSubOptions.Topology.CLUSTER);
        assertThat(options.clusterNodes()).containsExactly("n1:6379", "n2:7001");
        assertThat(options.shardedPubSub()).isTrue();
    }

    /** The keys are checked against the one declaration of the options, the setters of the builder. */
    @Test
    void everyOptionWithAValueHasAKeyAndEveryKeyNamesAnOption() {
        Set<String> notConfigurable = Set.of("sslContext", "client", "threadFactory", "onConnect", "onDisconnect",
                "onError", "serializeMessage", "deserializeMessage");
        Set<String> setters = new TreeSet<>();
        for (Method method : RedisPubSubOptions.Builder.class.getMethods()) {
            if (method.getReturnType() == RedisPubSubOptions.Builder.class && method.getParameterCount() == 1) {
                setters.add(method.getName());
            }
        }
        Set<String> keyed = new TreeSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.name().startsWith("TLS_")) {
                assertThat(setters).as(key.key()).contains(key.option());
                keyed.add(key.option());
            }
        }
        Set<String> expected = new TreeSet<>(setters);
        expected.removeAll(notConfigurable);
        // sslContext is made from the tls.* store keys
        assertThat(keyed).isEqualTo(expected);
    }

    @Test
    void everyKeyIsInTheDocumentationTable() throws IOException {
        Path doc = Path.of("docs", "cdi-config.md");
        assertThat(doc).as("run from the project directory").exists();
        String table = Files.readString(doc);
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(table).as(key.key()).contains("| `" + key.key() + "` |");
        }
    }

    @Test
    void theUrlSetsTheConnectionOptions() {
        RedisPubSubOptions options = ConfigReader.read(config(Map.of(
                "wskit.redis.url", "rediss://ann:secret@redis.example.com:6380/2",
                "wskit.redis.tls", "true"))).toBuilder().build();
        assertThat(options.host()).isEqualTo("redis.example.com");
        assertThat(options.port()).isEqualTo(6380);
        assertThat(options.username()).isEqualTo("ann");
        assertThat(TestSecrets.password(options)).isEqualTo("secret");
        assertThat(options.db()).isEqualTo(2);
        assertThat(options.tls()).isTrue();
    }

    @Test
    void noKeysMeansTheDefaultsOfTheOptions() {
        RedisPubSubConfig config = ConfigReader.read(config(Map.of("other.key", "x")));
        assertThat(config).isEqualTo(RedisPubSubConfig.defaults());
        assertThat(config.values()).isEmpty();
        RedisPubSubOptions options = config.toBuilder().build();
        assertThat(options.toString()).isEqualTo(RedisPubSubOptions.builder().build().toString());
    }

    @Test
    void booleansAcceptTheMicroProfileSpellingsAndNothingElse() {
        for (String yes : new String[] {"true", "TRUE", "yes", "Y", "on", "1"}) {
            assertThat(ConfigReader.read(config(Map.of("wskit.redis.tls", yes))).tls()).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "No", "n", "OFF", "0"}) {
            assertThat(ConfigReader.read(config(Map.of("wskit.redis.tls", no))).tls()).as(no).isFalse();
        }
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigReader.read(config(Map.of("wskit.redis.tls", "tru"))));
        assertThat(e.messages()).containsExactly("wskit.redis.tls must be true or false, was \"tru\"");
    }

    @Test
    void valuesAreEchoedEscapedAndShortened() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigReader.read(config(Map.of("wskit.redis.port", "6379\n\"x\"" + "9".repeat(80)))));
        assertThat(e.messages()).singleElement().asString()
                .startsWith("wskit.redis.port must be an integer, was \"6379\\n\\\"x\\\"999")
                .endsWith("\"... (88 characters)");
    }

    @Test
    void toStringMasksThePassword() {
        RedisPubSubConfig config = ConfigReader.read(config(Map.of(
                "wskit.redis.url", "redis://ann:secret@redis.example.com")));
        assertThat(config.toString()).contains("ann").contains("***").doesNotContain("secret");
        RedisPubSubConfig other = ConfigReader.read(config(Map.of("wskit.redis.password", "secret")));
        assertThat(other.toString()).contains("password=***").doesNotContain("secret");
    }

    @Test
    void theProblemsOfTheOptionsNameTheirKeys() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigReader.read(config(Map.of(
                        "wskit.redis.port", "70000",
                        "wskit.redis.host", "a; port b",
                        "wskit.redis.namespace", "x:"))));
        // a value that looks like the start of another problem is not one: the problems come as a list
        assertThat(e.messages()).containsExactly(
                "wskit.redis.host must not contain whitespace or control characters, was \"a; port b\"",
                "wskit.redis.port must be between 1 and 65535, was 70000",
                "wskit.redis.namespace must not end with ':', was \"x:\"; the ':' separator is added automatically");
    }

    @Test
    void optionsThatAProblemRefersToAreNamedByTheirKeys() {
        assertThat(problems("wskit.redis.reconnect.initial-delay-ms", "100", "wskit.redis.reconnect.max-delay-ms",
                "50")).containsExactly("wskit.redis.reconnect.max-delay-ms must be at least"
                        + " wskit.redis.reconnect.initial-delay-ms (100 ms), was 50 ms");
        assertThat(problems("wskit.redis.sentinel.master", "of url")).containsExactly("wskit.redis.sentinel.master"
                + " must only be set for Sentinel, was \"of url\"; use a redis-sentinel:// wskit.redis.url or"
                + " wskit.redis.sentinel.nodes");
        assertThat(problems("wskit.redis.host", "h:6380")).containsExactly("wskit.redis.host must be a host name or an"
                + " IP address, was \"h:6380\"; set the port with wskit.redis.port");
    }

    @Test
    void thePartsOfAUrlAreNotRenamed() {
        assertThat(problems("wskit.redis.url", "redis://h:0"))
                .containsExactly("wskit.redis.url port must be between 1 and 65535, was redis://h:0");
        assertThat(problems("wskit.redis.url", "redis://"))
                .containsExactly("wskit.redis.url must name a host, was redis://");
    }

    @Test
    void typeAndRuleProblemsAreReportedTogether() {
        assertThat(problems("wskit.redis.port", "x", "wskit.redis.db", "-1")).containsExactly(
                "wskit.redis.port must be an integer, was \"x\"",
                "wskit.redis.db must be at least 0, was -1");
    }

    @Test
    void theCanaryIntervalIsReadAndZeroTurnsItOff() {
        assertThat(ConfigReader.read(config(Map.of("wskit.redis.canary.interval-ms", "2500"))).toBuilder().build()
                .canaryInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(ConfigReader.read(config(Map.of("wskit.redis.canary.interval-ms", "0"))).toBuilder().build()
                .canaryInterval()).isZero();
        assertThat(ConfigReader.read(config(Map.of())).toBuilder().build().canaryInterval())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(problems("wskit.redis.canary.interval-ms", "5")).containsExactly(
                "wskit.redis.canary.interval-ms must be 0 (off) or at least 10 ms, was 5 ms");
        assertThat(problems("wskit.redis.canary.interval-ms", "-1")).containsExactly(
                "wskit.redis.canary.interval-ms must be at least 0 ms, was -1 ms");
    }

    @Test
    void theSelfCheckModeIsReadInAnyCase() {
        assertThat(ConfigReader.read(config(Map.of("wskit.redis.self-check", "Strict"))).toBuilder().build()
                .selfCheck()).isEqualTo(RedisPubSubOptions.SelfCheck.STRICT);
        assertThat(ConfigReader.read(config(Map.of("wskit.redis.self-check", "off"))).toBuilder().build()
                .selfCheck()).isEqualTo(RedisPubSubOptions.SelfCheck.OFF);
        assertThat(ConfigReader.read(config(Map.of())).toBuilder().build().selfCheck())
                .isEqualTo(RedisPubSubOptions.SelfCheck.LOG);
        assertThat(problems("wskit.redis.self-check", "yes")).containsExactly(
                "wskit.redis.self-check must be one of off, log, strict, was \"yes\"");
    }

    private static List<String> problems(String... keysAndValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigReader.read(config(properties)));
        assertThat(e).as("invalid configuration").isNotNull();
        return e.messages();
    }

    /** A MicroProfile Config with exactly these properties. */
    static Config config(Map<String, String> properties) {
        return TestConfig.config(properties);
    }
}
