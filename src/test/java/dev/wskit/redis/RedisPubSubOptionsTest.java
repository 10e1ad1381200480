package dev.wskit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubOptions.Topology;
import dev.wskit.redis.internal.codec.DefaultCodec;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

class RedisPubSubOptionsTest {

    private static RedisPubSubOptions url(String url) {
        return RedisPubSubOptions.builder().url(url).build();
    }

    private static String errorOf(RedisPubSubOptions.Builder builder) {
        try {
            builder.build();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("build() did not throw");
    }

    private static String urlError(String url) {
        return errorOf(RedisPubSubOptions.builder().url(url));
    }

    // defaults

    @Test
    void defaultsMatchTheOriginalLibrary() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().build();

        assertThat(o.url()).isNull();
        assertThat(o.host()).isEqualTo("localhost");
        assertThat(o.port()).isEqualTo(6379);
        assertThat(o.username()).isNull();
        assertThat(RedisPubSubOptions.password(o)).isNull();
        assertThat(o.db()).isZero();
        assertThat(o.tls()).isFalse();
        assertThat(o.sslContext()).isNull();
        assertThat(o.client()).isNull();
        assertThat(o.namespace()).isEqualTo("ws");
        assertThat(o.reconnectDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.pingTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxPendingPublishes()).isEqualTo(65536);
        assertThat(o.clientName()).isEqualTo("wskit-redis-pubsub");
        assertThat(o.threadFactory()).isNull();
        assertThat(o.serializeMessage()).isSameAs(DefaultCodec.INSTANCE);
        assertThat(o.deserializeMessage()).isSameAs(DefaultCodec.INSTANCE);
        assertThat(o.endpoint()).isEqualTo("localhost:6379");
        assertThat(o.topology()).isEqualTo(Topology.STANDALONE);
        assertThat(o.sentinels()).isEmpty();
        assertThat(o.sentinelMaster()).isNull();
        assertThat(o.sentinelUsername()).isNull();
        assertThat(RedisPubSubOptions.sentinelPassword(o)).isNull();
        assertThat(o.clusterNodes()).isEmpty();
        assertThat(o.shardedPubSub()).isFalse();
    }

    @Test
    void defaultCallbacksAreNoOpsNotNull() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().build();

        assertThat(o.onConnect()).isNotNull();
        assertThat(o.onDisconnect()).isNotNull();
        assertThat(o.onError()).isNotNull();
        o.onConnect().run();
        o.onDisconnect().run();
        o.onError().accept(new RuntimeException("ignored"));
    }

    @Test
    void defaultConstantsMatchTheDefaults() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().build();

        assertThat(o.host()).isEqualTo(RedisPubSubOptions.DEFAULT_HOST);
        assertThat(o.port()).isEqualTo(RedisPubSubOptions.DEFAULT_PORT);
        assertThat(o.db()).isEqualTo(RedisPubSubOptions.DEFAULT_DB);
        assertThat(o.namespace()).isEqualTo(RedisPubSubOptions.DEFAULT_NAMESPACE);
        assertThat(o.reconnectDelay()).isEqualTo(RedisPubSubOptions.DEFAULT_RECONNECT_DELAY);
        assertThat(o.maxReconnectDelay()).isEqualTo(RedisPubSubOptions.DEFAULT_MAX_RECONNECT_DELAY);
        assertThat(o.pingInterval()).isEqualTo(RedisPubSubOptions.DEFAULT_PING_INTERVAL);
        assertThat(o.pingTimeout()).isEqualTo(RedisPubSubOptions.DEFAULT_PING_TIMEOUT);
        assertThat(o.connectTimeout()).isEqualTo(RedisPubSubOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(o.commandTimeout()).isEqualTo(RedisPubSubOptions.DEFAULT_COMMAND_TIMEOUT);
        assertThat(o.maxPendingPublishes()).isEqualTo(RedisPubSubOptions.DEFAULT_MAX_PENDING_PUBLISHES);
        assertThat(o.clientName()).isEqualTo(RedisPubSubOptions.DEFAULT_CLIENT_NAME);
    }

    // explicit values

    @Test
    void explicitValuesAreKept() throws NoSuchAlgorithmException {
        Runnable onConnect = () -> { };
        Runnable onDisconnect = () -> { };
        Consumer<Throwable> onError = e -> { };
        ThreadFactory threadFactory = Thread::new;
        MessageSerializer serializer = String::valueOf;
        MessageDeserializer deserializer = payload -> payload;
        SSLContext ssl = SSLContext.getDefault();

        RedisPubSubOptions o = RedisPubSubOptions.builder()
                .host("redis.example.com")
                .port(6380)
                .username("app")
                .password("s3cret")
                .db(3)
                .tls(true)
                .sslContext(ssl)
                .namespace("myapp:prod")
                .onConnect(onConnect)
                .onDisconnect(onDisconnect)
                .onError(onError)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMinutes(1))
                .pingInterval(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(1))
                .commandTimeout(Duration.ofSeconds(2))
                .maxPendingPublishes(10)
                .clientName("chat-node-1")
                .threadFactory(threadFactory)
                .serializeMessage(serializer)
                .deserializeMessage(deserializer)
                .build();

        assertThat(o.host()).isEqualTo("redis.example.com");
        assertThat(o.port()).isEqualTo(6380);
        assertThat(o.username()).isEqualTo("app");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("s3cret");
        assertThat(o.db()).isEqualTo(3);
        assertThat(o.tls()).isTrue();
        assertThat(o.sslContext()).isSameAs(ssl);
        assertThat(o.namespace()).isEqualTo("myapp:prod");
        assertThat(o.onConnect()).isSameAs(onConnect);
        assertThat(o.onDisconnect()).isSameAs(onDisconnect);
        assertThat(o.onError()).isSameAs(onError);
        assertThat(o.reconnectDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.maxReconnectDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.pingTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.maxPendingPublishes()).isEqualTo(10);
        assertThat(o.clientName()).isEqualTo("chat-node-1");
        assertThat(o.threadFactory()).isSameAs(threadFactory);
        assertThat(o.serializeMessage()).isSameAs(serializer);
        assertThat(o.deserializeMessage()).isSameAs(deserializer);
        assertThat(o.endpoint()).isEqualTo("redis.example.com:6380");
    }

    @Test
    void toBuilderDerivesChangedOptionsAndKeepsTheOriginal() {
        RedisPubSubOptions original = RedisPubSubOptions.builder()
                .url("redis://:pw@h:6380/2")
                .namespace("a")
                .build();

        RedisPubSubOptions changed = original.toBuilder().namespace("b").build();

        assertThat(changed.namespace()).isEqualTo("b");
        assertThat(changed.url()).isEqualTo("redis://:***@h:6380/2");
        assertThat(changed.host()).isEqualTo("h");
        assertThat(changed.port()).isEqualTo(6380);
        assertThat(RedisPubSubOptions.password(changed)).isEqualTo("pw");
        assertThat(changed.db()).isEqualTo(2);
        assertThat(original.namespace()).isEqualTo("a");
    }

    @Test
    void builderCanBuildSeveralIndependentInstances() {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder().namespace("one");
        RedisPubSubOptions first = builder.build();

        RedisPubSubOptions second = builder.namespace("two").build();

        assertThat(first.namespace()).isEqualTo("one");
        assertThat(second.namespace()).isEqualTo("two");
    }

    @Test
    void ipv6HostIsShownInBracketsInTheEndpoint() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().host("::1").build();

        assertThat(o.host()).isEqualTo("::1");
        assertThat(o.endpoint()).isEqualTo("[::1]:6379");
    }

    @Test
    void ipv6HostMayBeGivenInBrackets() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().host("[fe80::1]").port(7000).build();

        assertThat(o.host()).isEqualTo("fe80::1");
        assertThat(o.endpoint()).isEqualTo("[fe80::1]:7000");
    }

    @Test
    void endpointNamesThePreConfiguredClient() {
        // nothing listens on port 1: the options never use the client, and creating it does not connect
        try (UnifiedJedis client = RedisClient.create("localhost", 1)) {
            RedisPubSubOptions o = RedisPubSubOptions.builder().client(client).url("redis://ignored:6379").build();

            assertThat(o.client()).isSameAs(client);
            assertThat(o.endpoint()).isEqualTo("pre-configured client");
            assertThat(o.toString()).contains("client=RedisClient");
        }
    }

    // URL parsing

    @Test
    void plainUrl() {
        RedisPubSubOptions o = url("redis://redis.example.com");

        assertThat(o.url()).isEqualTo("redis://redis.example.com");
        assertThat(o.host()).isEqualTo("redis.example.com");
        assertThat(o.port()).isEqualTo(6379);
        assertThat(o.username()).isNull();
        assertThat(RedisPubSubOptions.password(o)).isNull();
        assertThat(o.db()).isZero();
        assertThat(o.tls()).isFalse();
        assertThat(o.endpoint()).isEqualTo("redis.example.com:6379");
    }

    @Test
    void urlWithPortAndDb() {
        RedisPubSubOptions o = url("redis://10.0.0.5:6380/4");

        assertThat(o.host()).isEqualTo("10.0.0.5");
        assertThat(o.port()).isEqualTo(6380);
        assertThat(o.db()).isEqualTo(4);
    }

    @Test
    void urlWithTrailingSlashHasDefaultDb() {
        RedisPubSubOptions o = url("redis://h:6380/");

        assertThat(o.db()).isZero();
    }

    @Test
    void urlWithUserAndPassword() {
        RedisPubSubOptions o = url("redis://app:s3cret@h:6379");

        assertThat(o.username()).isEqualTo("app");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("s3cret");
    }

    @Test
    void urlWithPasswordOnly() {
        RedisPubSubOptions o = url("redis://:s3cret@h");

        assertThat(o.username()).isNull();
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("s3cret");
        assertThat(o.host()).isEqualTo("h");
    }

    @Test
    void urlUserAndPasswordArePercentDecoded() {
        RedisPubSubOptions o = url("redis://us%40er:p%3Aa%2Fs%40s%25w%C3%B6rd+1@h");

        assertThat(o.username()).isEqualTo("us@er");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("p:a/s@s%wörd+1");
    }

    @Test
    void urlPasswordMayContainAnUnencodedColon() {
        RedisPubSubOptions o = url("redis://user:pa:ss@h");

        assertThat(o.username()).isEqualTo("user");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("pa:ss");
    }

    @Test
    void redissUrlTurnsTlsOn() {
        RedisPubSubOptions o = url("rediss://secure.example.com:6380");

        assertThat(o.tls()).isTrue();
        assertThat(o.port()).isEqualTo(6380);
    }

    @Test
    void urlSchemeIsCaseInsensitive() {
        assertThat(url("REDISS://h").tls()).isTrue();
    }

    @Test
    void tlsTrueTurnsTlsOnForARedisUrl() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().url("redis://h").tls(true).build();

        assertThat(o.tls()).isTrue();
    }

    @Test
    void urlWithIpv6Host() {
        RedisPubSubOptions o = url("redis://[::1]:6380/1");

        assertThat(o.host()).isEqualTo("::1");
        assertThat(o.port()).isEqualTo(6380);
        assertThat(o.db()).isEqualTo(1);
        assertThat(o.endpoint()).isEqualTo("[::1]:6380");
    }

    @Test
    void urlWithIpv6HostWithoutPort() {
        RedisPubSubOptions o = url("redis://:pw@[2001:db8::7]");

        assertThat(o.host()).isEqualTo("2001:db8::7");
        assertThat(o.port()).isEqualTo(6379);
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("pw");
    }

    @Test
    void urlWithoutPortUsesDefaultPort() {
        assertThat(url("redis://h/2").port()).isEqualTo(6379);
    }

    @Test
    void urlPortOutOfRangeIsRejected() {
        assertThat(urlError("redis://h:70000"))
                .isEqualTo("url port must be between 1 and 65535, was redis://h:70000");
        assertThat(urlError("redis://h:0")).isEqualTo("url port must be between 1 and 65535, was redis://h:0");
    }

    @Test
    void urlPortNotANumberIsRejected() {
        assertThat(urlError("redis://h:abc")).isEqualTo("url port must be between 1 and 65535, was redis://h:***");
        assertThat(urlError("redis://h:")).isEqualTo("url port must be between 1 and 65535, was redis://h:");
    }

    @Test
    void urlDbNotANumberIsRejected() {
        assertThat(urlError("redis://h/abc"))
                .isEqualTo("url database must be a number of at least 0, was redis://h/abc");
        assertThat(urlError("redis://h/-1"))
                .isEqualTo("url database must be a number of at least 0, was redis://h/-1");
        assertThat(urlError("redis://h/1/2"))
                .isEqualTo("url database must be a number of at least 0, was redis://h/1/2");
        assertThat(urlError("redis://h/99999999999"))
                .isEqualTo("url database must be a number of at least 0, was redis://h/99999999999");
    }

    @Test
    void unknownSchemeIsRejected() {
        assertThat(urlError("http://h:6379"))
                .isEqualTo("url scheme http is not supported, was http://h:6379; use redis://, rediss://,"
                        + " redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://");
    }

    @Test
    void urlWithoutSchemeIsRejected() {
        assertThat(urlError("localhost:6379"))
                .isEqualTo("url must start with redis:// or rediss://, was localhost:6379");
    }

    @Test
    void emptyUrlIsRejected() {
        assertThat(urlError("")).isEqualTo("url must not be empty, was \"\"; leave it unset to use host and port");
    }

    // Sentinel

    @Test
    void sentinelUrlWithSeveralSentinelsCredentialsAndDb() {
        RedisPubSubOptions o = url("redis-sentinel://app:topsecret@s1:26379,s2:26380/2?sentinels=mymaster");

        assertThat(o.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(o.sentinels()).containsExactly("s1:26379", "s2:26380");
        assertThat(o.sentinelMaster()).isEqualTo("mymaster");
        assertThat(o.username()).isEqualTo("app");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("topsecret");
        assertThat(o.db()).isEqualTo(2);
        assertThat(o.tls()).isFalse();
        assertThat(o.host()).isEqualTo("s1");
        assertThat(o.port()).isEqualTo(26379);
        assertThat(o.clusterNodes()).isEmpty();
        assertThat(o.shardedPubSub()).isFalse();
        assertThat(o.endpoint()).isEqualTo("master mymaster via sentinels s1:26379,s2:26380");
        assertThat(o.toString())
                .doesNotContain("topsecret")
                .contains("url=redis-sentinel://app:***@s1:26379,s2:26380/2?sentinels=***")
                .contains("topology=SENTINEL")
                .contains("sentinels=[s1:26379, s2:26380]")
                .contains("sentinelMaster=mymaster");
    }

    @Test
    void sentinelUrlAcceptsMasterParameterAndDefaultsThePortTo26379() {
        RedisPubSubOptions o = url("redis-sentinel://s1,s2?master=mymaster");

        assertThat(o.sentinels()).containsExactly("s1:26379", "s2:26379");
        assertThat(o.sentinelMaster()).isEqualTo("mymaster");
        assertThat(o.db()).isZero();
    }

    @Test
    void sentinelUrlWithIpv6SentinelsAndDuplicates() {
        RedisPubSubOptions o = url("redis-sentinel://[::1]:26379,[2001:db8::1],[::1]:26379?sentinels=m");

        assertThat(o.sentinels()).containsExactly("[::1]:26379", "[2001:db8::1]:26379");
        assertThat(o.host()).isEqualTo("::1");
    }

    @Test
    void redissSentinelUrlTurnsTlsOn() {
        RedisPubSubOptions o = url("rediss-sentinel://s1:26379?sentinels=mymaster");

        assertThat(o.tls()).isTrue();
        assertThat(o.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(errorOf(RedisPubSubOptions.builder().url("rediss-sentinel://s1?master=m").tls(false)))
                .isEqualTo("tls must not be false with a rediss-sentinel:// url, was false;"
                        + " use a redis-sentinel:// url for a connection without TLS");
    }

    @Test
    void sentinelMasterNameIsPercentDecoded() {
        assertThat(url("redis-sentinel://s1?master=my%26master").sentinelMaster()).isEqualTo("my&master");
    }

    @Test
    void sentinelUrlWithoutMasterIsRejected() {
        assertThat(urlError("redis-sentinel://s1:26379,s2:26379"))
                .isEqualTo("sentinelMaster must be set for Sentinel, was null; add ?sentinels=NAME to the url or call"
                        + " sentinelMaster(NAME) with the name of 'sentinel monitor NAME ...'");
    }

    @Test
    void sentinelUrlWithoutMasterTakesTheMasterFromTheBuilder() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().url("redis-sentinel://s1").sentinelMaster("m1").build();

        assertThat(o.sentinelMaster()).isEqualTo("m1");
    }

    @Test
    void sentinelMasterDifferentFromTheUrlsIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis-sentinel://s1?sentinels=a").sentinelMaster("b")))
                .isEqualTo("sentinelMaster must be the master named in url when both are set, was \"b\";"
                        + " use one or the other");
        assertThat(RedisPubSubOptions.builder().url("redis-sentinel://s1?sentinels=a").sentinelMaster("a").build()
                .sentinelMaster()).isEqualTo("a");
    }

    @Test
    void sentinelUrlParameterProblemsAreRejected() {
        assertThat(urlError("redis-sentinel://:pw@s1?sentinels=m&timeout=5"))
                .isEqualTo("url parameter \"timeout\" is not supported, was"
                        + " redis-sentinel://:***@s1?sentinels=***&timeout=***;"
                        + " use sentinels=NAME or master=NAME");
        assertThat(urlError("redis-sentinel://s1?sentinels="))
                .isEqualTo("url parameter sentinels must have a value, was redis-sentinel://s1?sentinels=;"
                        + " use sentinels=NAME or master=NAME");
        assertThat(urlError("redis-sentinel://s1?master"))
                .isEqualTo("url parameters must have the form name=value, was redis-sentinel://s1?***;"
                        + " use sentinels=NAME or master=NAME");
        assertThat(urlError("redis-sentinel://s1?sentinels=a&master=b"))
                .isEqualTo("url must name one Sentinel master, was redis-sentinel://s1?sentinels=***&master=***;"
                        + " give sentinels=NAME or master=NAME once");
        assertThat(urlError("redis-sentinel://s1?"))
                .isEqualTo("url must not have an empty query string, was redis-sentinel://s1?;"
                        + " use sentinels=NAME or master=NAME");
        assertThat(urlError("redis-sentinel://s1?master=a%20b"))
                .isEqualTo("sentinelMaster must not contain whitespace or control characters, was \"a b\"");
    }

    @Test
    void sentinelUrlHostProblemsAreRejected() {
        assertThat(urlError("redis-sentinel://?sentinels=m"))
                .isEqualTo("url must name a host, was redis-sentinel://?sentinels=***");
        assertThat(urlError("redis-sentinel://s1,,s2?sentinels=m"))
                .isEqualTo("url must name a host, was redis-sentinel://s1,,s2?sentinels=***");
        assertThat(urlError("redis-sentinel://s1:26379,s2:0?sentinels=m"))
                .isEqualTo("url port must be between 1 and 65535, was redis-sentinel://s1:26379,s2:0?sentinels=***");
        assertThat(urlError("redis-sentinel://s1,::1?sentinels=m"))
                .isEqualTo("url host must be in brackets when it is an IPv6 address, was redis-sentinel://s1,::1?"
                        + "sentinels=***; write redis-sentinel://[::1]:26379");
    }

    @Test
    void sentinelsFromTheBuilder() {
        RedisPubSubOptions o = RedisPubSubOptions.builder()
                .sentinels(List.of("s1", "s2:26380", "[::1]"))
                .sentinelMaster("mymaster")
                .sentinelUsername("sentinel-user")
                .sentinelPassword("sentinelsecret")
                .password("mastersecret")
                .build();

        assertThat(o.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(o.sentinels()).containsExactly("s1:26379", "s2:26380", "[::1]:26379");
        assertThat(o.sentinelMaster()).isEqualTo("mymaster");
        assertThat(o.sentinelUsername()).isEqualTo("sentinel-user");
        assertThat(RedisPubSubOptions.sentinelPassword(o)).isEqualTo("sentinelsecret");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("mastersecret");
        assertThat(o.host()).isEqualTo("s1");
        assertThat(o.port()).isEqualTo(26379);
        assertThat(o.url()).isNull();
        assertThat(o.toString())
                .doesNotContain("sentinelsecret")
                .doesNotContain("mastersecret")
                .contains("sentinelPassword=***")
                .contains("sentinelUsername=sentinel-user");
    }

    @Test
    void sentinelsListIsCopied() {
        List<String> sentinels = new ArrayList<>(List.of("s1"));
        RedisPubSubOptions.Builder b = RedisPubSubOptions.builder().sentinels(sentinels).sentinelMaster("m");
        sentinels.add("s2");

        RedisPubSubOptions o = b.build();
        assertThat(o.sentinels()).containsExactly("s1:26379");
        assertThatThrownBy(() -> o.sentinels().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sentinelsWithoutMasterAreRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().sentinels(List.of("s1"))))
                .isEqualTo("sentinelMaster must be set for Sentinel, was null; add ?sentinels=NAME to the url or call"
                        + " sentinelMaster(NAME) with the name of 'sentinel monitor NAME ...'");
    }

    @Test
    void sentinelOptionsWithoutSentinelAreRejectedWithoutEchoingThePassword() {
        String message = errorOf(RedisPubSubOptions.builder()
                .sentinelMaster("m")
                .sentinelUsername("u")
                .sentinelPassword("sentinelsecret"));

        assertThat(message).isEqualTo("sentinelMaster must only be set for Sentinel, was \"m\";"
                + " use a redis-sentinel:// url or sentinels"
                + "; sentinelUsername must only be set for Sentinel, was \"u\";"
                + " use a redis-sentinel:// url or sentinels"
                + "; sentinelPassword must only be set for Sentinel, was ***;"
                + " use a redis-sentinel:// url or sentinels");
    }

    @Test
    void emptySentinelCredentialsAreRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().sentinels(List.of("s1")).sentinelMaster("m")
                .sentinelUsername("").sentinelPassword("")))
                .isEqualTo("sentinelUsername must not be empty, was \"\"; leave it unset for the default user"
                        + "; sentinelPassword must not be empty, was \"\"; leave it unset for no password");
    }

    @Test
    void badSentinelEntriesAreAllReported() {
        assertThat(errorOf(RedisPubSubOptions.builder()
                .sentinels(Arrays.asList("s1:99999", "redis://h", null, "::1", "a b", ""))
                .sentinelMaster("m")))
                .isEqualTo("sentinels entry port must be between 1 and 65535, was \"s1:99999\""
                        + "; sentinels entry must be host[:port], was \"redis://h\"; give one entry per host,"
                        + " without scheme or credentials"
                        + "; sentinels must not contain null, was [\"s1:99999\", \"redis://h\", null, \"::1\","
                        + " \"a b\", \"\"]"
                        + "; sentinels entry host must be in brackets when it is an IPv6 address, was \"::1\";"
                        + " write [::1]:26379"
                        + "; sentinels entry must not contain whitespace or control characters, was \"a b\""
                        + "; sentinels entry must name a host, was \"\"");
    }

    @Test
    void emptySentinelsAreRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().sentinels(List.of()).sentinelMaster("m")))
                .isEqualTo("sentinels must name at least one host, was []");
    }

    @Test
    void sentinelsConflictWithUrlHostPortAndClusterNodes() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis://h").sentinels(List.of("s1"))
                .sentinelMaster("m")))
                .isEqualTo("sentinels must not be set together with url, was [\"s1\"]; use one or the other"
                        + "; sentinelMaster must only be set for Sentinel, was \"m\"; use a redis-sentinel:// url"
                        + " or sentinels");
        assertThat(errorOf(RedisPubSubOptions.builder().sentinels(List.of("s1")).sentinelMaster("m")
                .clusterNodes(List.of("n1")).host("h").port(1)))
                .isEqualTo("sentinels must not be set together with clusterNodes, was [\"s1\"];"
                        + " a deployment is either Sentinel or Cluster"
                        + "; host must not be set together with sentinels, was \"h\"; use one or the other"
                        + "; port must not be set together with sentinels, was 1; use one or the other");
    }

    // Cluster

    @Test
    void clusterUrlWithSeveralNodes() {
        RedisPubSubOptions o = url("redis-cluster://:topsecret@n1:7000,n2:7001,n3");

        assertThat(o.topology()).isEqualTo(Topology.CLUSTER);
        assertThat(o.clusterNodes()).containsExactly("n1:7000", "n2:7001", "n3:6379");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("topsecret");
        assertThat(o.username()).isNull();
        assertThat(o.shardedPubSub()).isFalse();
        assertThat(o.sentinels()).isEmpty();
        assertThat(o.sentinelMaster()).isNull();
        assertThat(o.host()).isEqualTo("n1");
        assertThat(o.port()).isEqualTo(7000);
        assertThat(o.db()).isZero();
        assertThat(o.endpoint()).isEqualTo("cluster n1:7000,n2:7001,n3:6379");
        assertThat(o.toString())
                .doesNotContain("topsecret")
                .contains("url=redis-cluster://:***@n1:7000,n2:7001,n3")
                .contains("clusterNodes=[n1:7000, n2:7001, n3:6379]")
                .contains("shardedPubSub=false");
    }

    @Test
    void clusterUrlShardedParameter() {
        RedisPubSubOptions o = url("redis-cluster://n1,n2?sharded=true");

        assertThat(o.shardedPubSub()).isTrue();
        assertThat(o.endpoint()).isEqualTo("cluster n1:6379,n2:6379 (sharded pub/sub)");
        assertThat(url("redis-cluster://n1?sharded=FALSE").shardedPubSub()).isFalse();
        assertThat(RedisPubSubOptions.builder().url("redis-cluster://n1?sharded=true").shardedPubSub(true).build()
                .shardedPubSub()).isTrue();
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis-cluster://n1?sharded=true").shardedPubSub(false)))
                .isEqualTo("shardedPubSub must match the sharded parameter of url (true) when both are set, was"
                        + " false; use one or the other");
    }

    @Test
    void clusterUrlParameterProblemsAreRejected() {
        assertThat(urlError("redis-cluster://n1?sharded=yes"))
                .isEqualTo("url parameter sharded must be true or false, was redis-cluster://n1?sharded=***");
        assertThat(urlError("redis-cluster://n1?master=m"))
                .isEqualTo("url parameter \"master\" is not supported, was redis-cluster://n1?master=***;"
                        + " use sharded=true");
    }

    @Test
    void redissClusterUrlTurnsTlsOn() {
        assertThat(url("rediss-cluster://n1:7000").tls()).isTrue();
        assertThat(url("REDIS-CLUSTER://n1:7000").topology()).isEqualTo(Topology.CLUSTER);
    }

    @Test
    void clusterDatabaseMustBeZero() {
        assertThat(url("redis-cluster://n1/0").db()).isZero();
        assertThat(urlError("redis-cluster://n1:7000/1"))
                .isEqualTo("url database must be 0 for a cluster, was redis-cluster://n1:7000/1;"
                        + " Redis Cluster has only database 0");
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis-cluster://n1").db(2)))
                .isEqualTo("db must be 0 for a cluster, was 2; Redis Cluster has only database 0");
        assertThat(errorOf(RedisPubSubOptions.builder().clusterNodes(List.of("n1")).db(3)))
                .isEqualTo("db must be 0 for a cluster, was 3; Redis Cluster has only database 0");
    }

    @Test
    void clusterNodesFromTheBuilder() {
        RedisPubSubOptions o = RedisPubSubOptions.builder()
                .clusterNodes(List.of("n1:7000", "n2", "[::1]:7002"))
                .shardedPubSub(true)
                .build();

        assertThat(o.topology()).isEqualTo(Topology.CLUSTER);
        assertThat(o.clusterNodes()).containsExactly("n1:7000", "n2:6379", "[::1]:7002");
        assertThat(o.shardedPubSub()).isTrue();
        assertThat(o.toBuilder().build().clusterNodes()).isEqualTo(o.clusterNodes());
        assertThat(o.toBuilder().shardedPubSub(false).build().shardedPubSub()).isFalse();
    }

    @Test
    void badClusterNodesAreRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().clusterNodes(List.of("n1:0", "::1"))))
                .isEqualTo("clusterNodes entry port must be between 1 and 65535, was \"n1:0\""
                        + "; clusterNodes entry host must be in brackets when it is an IPv6 address, was \"::1\";"
                        + " write [::1]:6379");
        assertThat(errorOf(RedisPubSubOptions.builder().clusterNodes(List.of()).port(7000)))
                .isEqualTo("port must not be set together with clusterNodes, was 7000; use one or the other"
                        + "; clusterNodes must name at least one host, was []");
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis-cluster://n1").clusterNodes(List.of("n2"))))
                .isEqualTo("clusterNodes must not be set together with url, was [\"n2\"]; use one or the other");
    }

    @Test
    void shardedPubSubNeedsACluster() {
        assertThat(errorOf(RedisPubSubOptions.builder().shardedPubSub(true)))
                .isEqualTo("shardedPubSub must only be true for a cluster, was true;"
                        + " use a redis-cluster:// url or clusterNodes");
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis-sentinel://s1?master=m").shardedPubSub(true)))
                .isEqualTo("shardedPubSub must only be true for a cluster, was true;"
                        + " use a redis-cluster:// url or clusterNodes");
        assertThat(RedisPubSubOptions.builder().shardedPubSub(false).build().shardedPubSub()).isFalse();
    }

    @Test
    void topologyProblemsAreReportedTogetherWithOthers() {
        String message = errorOf(RedisPubSubOptions.builder()
                .url("redis-cluster://:topsecret@n1:0,n2")
                .sentinelPassword("othersecret")
                .namespace(""));

        assertThat(message)
                .isEqualTo("url port must be between 1 and 65535, was redis-cluster://:***@n1:0,n2"
                        + "; sentinelPassword must only be set for Sentinel, was ***; use a redis-sentinel:// url"
                        + " or sentinels"
                        + "; namespace must not be empty, was \"\"")
                .doesNotContain("topsecret")
                .doesNotContain("othersecret");
    }

    @Test
    void queryStringIsRejected() {
        assertThat(urlError("redis://:secret@h:6379/0?timeout=5"))
                .isEqualTo("url must not have a query string, was redis://:***@h:6379/0?timeout=***;"
                        + " set options with the builder");
        assertThat(urlError("redis://h?db=1"))
                .isEqualTo("url must not have a query string, was redis://h?db=***; set options with the builder");
    }

    @Test
    void fragmentIsRejected() {
        assertThat(urlError("redis://h/0#x")).isEqualTo("url must not have a fragment, was redis://h/0#***");
    }

    @Test
    void severalHostsInARedisUrlAreRejected() {
        assertThat(urlError("redis://h1:6379,h2:6379")).isEqualTo("url must name a single host, was "
                + "redis://h1:6379,h2:6379; use redis-sentinel:// or redis-cluster:// for several hosts");
    }

    @Test
    void urlWithoutHostIsRejected() {
        assertThat(urlError("redis://")).isEqualTo("url must name a host, was redis://");
        assertThat(urlError("redis://:pw@:6379")).isEqualTo("url must name a host, was redis://:***@:6379");
    }

    @Test
    void unbracketedIpv6InUrlIsRejected() {
        assertThat(urlError("redis://::1:6379")).isEqualTo("url host must be in brackets when it is an IPv6"
                + " address, was redis://::1:6379; write redis://[::1]:6379");
    }

    @Test
    void badIpv6InUrlIsRejected() {
        assertThat(urlError("redis://[::1")).isEqualTo("url host must close the IPv6 address with ']', was "
                + "redis://[::1");
        assertThat(urlError("redis://[zz]:6379")).isEqualTo("url host must be an IPv6 address inside brackets, was"
                + " redis://[zz]:6379");
        assertThat(urlError("redis://[::1]6379")).isEqualTo("url host must be followed by :port, was "
                + "redis://[::1]6379");
    }

    @Test
    void badHostCharactersInUrlAreRejected() {
        assertThat(urlError("redis://ho$t:6379"))
                .isEqualTo("url host must contain only letters, digits, '-', '.' and '_', was redis://ho$t:6379");
    }

    @Test
    void urlWithWhitespaceIsRejected() {
        assertThat(urlError("redis://:pass word@h")).isEqualTo("url must not contain whitespace or control"
                + " characters, was redis://:***@h; percent-encode them in the password");
    }

    @Test
    void userInfoWithoutColonIsRejectedAndMaskedWhole() {
        assertThat(urlError("redis://topsecret@h")).isEqualTo("url user info must have the form [user]:password,"
                + " was redis://***@h; write redis://:password@host for a password alone");
    }

    @Test
    void badPercentEncodingIsRejectedWithoutEchoingThePassword() {
        assertThat(urlError("redis://:top%zzsecret@h"))
                .isEqualTo("url user info must be validly percent-encoded UTF-8, was redis://:***@h");
        assertThat(urlError("redis://:top%C3@h"))
                .isEqualTo("url user info must be validly percent-encoded UTF-8, was redis://:***@h");
        assertThat(urlError("redis://:top%4@h"))
                .isEqualTo("url user info must be validly percent-encoded UTF-8, was redis://:***@h");
    }

    @Test
    void emptyPasswordInUrlMeansNoPassword() {
        RedisPubSubOptions o = url("redis://user:@h");

        assertThat(o.username()).isEqualTo("user");
        assertThat(RedisPubSubOptions.password(o)).isNull();
    }

    // url together with other connection options

    @Test
    void hostTogetherWithUrlIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis://h").host("other")))
                .isEqualTo("host must not be set together with url, was \"other\"; use one or the other");
    }

    @Test
    void portTogetherWithUrlIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis://h").port(6380)))
                .isEqualTo("port must not be set together with url, was 6380; use one or the other");
    }

    @Test
    void explicitPasswordWithUrlWithoutOneIsUsed() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().url("redis://h:6380").password("fromSecret").build();

        assertThat(RedisPubSubOptions.password(o)).isEqualTo("fromSecret");
        assertThat(o.host()).isEqualTo("h");
    }

    @Test
    void explicitUsernameAndPasswordWithUrlWithoutThemAreUsed() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().url("redis://h").username("app").password("pw")
                .build();

        assertThat(o.username()).isEqualTo("app");
        assertThat(RedisPubSubOptions.password(o)).isEqualTo("pw");
    }

    @Test
    void explicitPasswordWithUrlThatHasOneIsRejectedWithoutEchoingEither() {
        String message = errorOf(RedisPubSubOptions.builder().url("redis://:urlSecret@h").password("mySecret"));

        assertThat(message).isEqualTo("password must not be set together with a url that has a password, was ***;"
                + " use one or the other");
    }

    @Test
    void explicitUsernameWithUrlThatHasOneIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis://a:pw@h").username("b")))
                .isEqualTo("username must not be set together with a url that has a user name, was \"b\";"
                        + " use one or the other");
    }

    @Test
    void explicitDbWithUrlWithoutDbIsUsed() {
        assertThat(RedisPubSubOptions.builder().url("redis://h").db(5).build().db()).isEqualTo(5);
    }

    @Test
    void explicitDbEqualToUrlDbIsAllowed() {
        assertThat(RedisPubSubOptions.builder().url("redis://h/5").db(5).build().db()).isEqualTo(5);
    }

    @Test
    void explicitDbDifferentFromUrlDbIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("redis://h/5").db(3)))
                .isEqualTo("db must be the database of url (5) when both are set, was 3; use one or the other");
    }

    @Test
    void tlsFalseWithRedissUrlIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().url("rediss://h").tls(false)))
                .isEqualTo("tls must not be false with a rediss:// url, was false;"
                        + " use a redis:// url for a connection without TLS");
    }

    // validation rules

    @Test
    void portOutOfRangeIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().port(70000)))
                .isEqualTo("port must be between 1 and 65535, was 70000");
        assertThat(errorOf(RedisPubSubOptions.builder().port(0)))
                .isEqualTo("port must be between 1 and 65535, was 0");
    }

    @Test
    void emptyHostIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().host(""))).isEqualTo("host must not be empty, was \"\"");
    }

    @Test
    void nullHostIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().host(null))).isEqualTo("host must not be null");
    }

    @Test
    void hostWithWhitespaceIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().host("my host")))
                .isEqualTo("host must not contain whitespace or control characters, was \"my host\"");
    }

    @Test
    void hostThatIsNoHostNameOrAddressIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().host("redis://localhost")))
                .isEqualTo("host must be a host name or an IP address, was \"redis://localhost\"; set a Redis URL"
                        + " with url");
        assertThat(errorOf(RedisPubSubOptions.builder().host("localhost:6380")))
                .isEqualTo("host must be a host name or an IP address, was \"localhost:6380\"; set the port with"
                        + " port");
    }

    @Test
    void hostNamesAndAddressesAreAccepted() {
        assertThat(RedisPubSubOptions.builder().host("127.0.0.1").build().endpoint()).isEqualTo("127.0.0.1:6379");
        assertThat(RedisPubSubOptions.builder().host("redis_1.internal-net").build().host())
                .isEqualTo("redis_1.internal-net");
        assertThat(RedisPubSubOptions.builder().host("2001:db8::1").build().endpoint())
                .isEqualTo("[2001:db8::1]:6379");
    }

    @Test
    void negativeDbIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().db(-1))).isEqualTo("db must be at least 0, was -1");
    }

    @Test
    void emptyUsernameIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().username("")))
                .isEqualTo("username must not be empty, was \"\"; leave it unset for the default user");
    }

    @Test
    void emptyPasswordIsRejected() {
        assertThat(errorOf(RedisPubSubOptions.builder().password("")))
                .isEqualTo("password must not be empty, was \"\"; leave it unset for no password");
    }

    @Test
    void namespaceRules() {
        assertThat(errorOf(RedisPubSubOptions.builder().namespace(null))).isEqualTo("namespace must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("")))
                .isEqualTo("namespace must not be empty, was \"\"");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("my app")))
                .isEqualTo("namespace must not contain whitespace or control characters, was \"my app\"");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("app\n")))
                .isEqualTo("namespace must not contain whitespace or control characters, was \"app\\n\"");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("app\u0001")))
                .isEqualTo("namespace must not contain whitespace or control characters, was \"app\\u0001\"");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("app:")))
                .isEqualTo("namespace must not end with ':', was \"app:\"; the ':' separator is added"
                        + " automatically");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("app*")))
                .isEqualTo("namespace must not contain the glob characters * ? [ ], was \"app*\"");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("a?")))
                .startsWith("namespace must not contain the glob characters");
        assertThat(errorOf(RedisPubSubOptions.builder().namespace("a[b]")))
                .startsWith("namespace must not contain the glob characters");
    }

    @Test
    void namespaceLongerThan256CharactersIsRejectedAndShortenedInTheMessage() {
        String longName = "n".repeat(257);

        assertThat(errorOf(RedisPubSubOptions.builder().namespace(longName)))
                .isEqualTo("namespace must be at most 256 characters, was \"" + "n".repeat(64)
                        + "\"... (257 characters)");
        assertThat(RedisPubSubOptions.builder().namespace("n".repeat(256)).build().namespace()).hasSize(256);
    }

    @Test
    void namespaceMayContainColonsInside() {
        assertThat(RedisPubSubOptions.builder().namespace("tenant:acme-corp").build().namespace())
                .isEqualTo("tenant:acme-corp");
    }

    @Test
    void clientNameRules() {
        assertThat(errorOf(RedisPubSubOptions.builder().clientName(null))).isEqualTo("clientName must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().clientName("")))
                .isEqualTo("clientName must not be empty, was \"\"");
        assertThat(errorOf(RedisPubSubOptions.builder().clientName("my client")))
                .isEqualTo("clientName must not contain whitespace or control characters, was \"my client\"");
        assertThat(errorOf(RedisPubSubOptions.builder().clientName("c".repeat(129))))
                .startsWith("clientName must be at most 128 characters, was \"ccc");
        assertThat(RedisPubSubOptions.builder().clientName("c".repeat(128)).build().clientName()).hasSize(128);
    }

    @Test
    void reconnectDelayRules() {
        assertThat(errorOf(RedisPubSubOptions.builder().reconnectDelay(Duration.ZERO)))
                .isEqualTo("reconnectDelay must be at least 1 ms, was 0 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().reconnectDelay(Duration.ofMillis(-5))))
                .isEqualTo("reconnectDelay must be at least 1 ms, was -5 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().reconnectDelay(null)))
                .isEqualTo("reconnectDelay must not be null");
    }

    @Test
    void maxReconnectDelayRules() {
        assertThat(errorOf(RedisPubSubOptions.builder().maxReconnectDelay(Duration.ofMillis(50))))
                .isEqualTo("maxReconnectDelay must be at least reconnectDelay (100 ms), was 50 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().maxReconnectDelay(Duration.ZERO)))
                .isEqualTo("maxReconnectDelay must be at least 1 ms, was 0 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().maxReconnectDelay(null)))
                .isEqualTo("maxReconnectDelay must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().maxReconnectDelay(Duration.ofDays(2))))
                .isEqualTo("maxReconnectDelay must be at most 24 h, was 172800000 ms");
    }

    @Test
    void maxReconnectDelayEqualToReconnectDelayIsAllowed() {
        RedisPubSubOptions o = RedisPubSubOptions.builder()
                .reconnectDelay(Duration.ofSeconds(1))
                .maxReconnectDelay(Duration.ofSeconds(1))
                .build();

        assertThat(o.maxReconnectDelay()).isEqualTo(o.reconnectDelay());
    }

    @Test
    void timeoutsMustBeAtLeast10Milliseconds() {
        assertThat(errorOf(RedisPubSubOptions.builder().pingInterval(Duration.ofMillis(9))))
                .isEqualTo("pingInterval must be at least 10 ms, was 9 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().pingTimeout(Duration.ofNanos(500))))
                .isEqualTo("pingTimeout must be at least 10 ms, was PT0.0000005S");
        assertThat(errorOf(RedisPubSubOptions.builder().connectTimeout(Duration.ZERO)))
                .isEqualTo("connectTimeout must be at least 10 ms, was 0 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().commandTimeout(Duration.ofSeconds(-1))))
                .isEqualTo("commandTimeout must be at least 10 ms, was -1000 ms");
        assertThat(RedisPubSubOptions.builder().pingInterval(Duration.ofMillis(10)).build().pingInterval())
                .isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void maxReceivedMessageBytesIs64MiBByDefaultAndPositive() {
        assertThat(RedisPubSubOptions.builder().build().maxReceivedMessageBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(errorOf(RedisPubSubOptions.builder().maxReceivedMessageBytes(0)))
                .isEqualTo("maxReceivedMessageBytes must be at least 1, was 0");
    }

    @Test
    void maxPendingPublishBytesIs64MiBByDefaultAndPositive() {
        assertThat(RedisPubSubOptions.builder().build().maxPendingPublishBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(RedisPubSubOptions.builder().maxPendingPublishBytes(1).build().maxPendingPublishBytes()).isOne();
        assertThat(errorOf(RedisPubSubOptions.builder().maxPendingPublishBytes(0)))
                .isEqualTo("maxPendingPublishBytes must be at least 1, was 0");
    }

    @Test
    void canaryIntervalIsTenSecondsByDefaultZeroForOffAtLeastTenMilliseconds() {
        assertThat(RedisPubSubOptions.builder().build().canaryInterval()).isEqualTo(Duration.ofSeconds(10));
        RedisPubSubOptions off = RedisPubSubOptions.builder().canaryInterval(Duration.ZERO).build();
        assertThat(off.canaryInterval()).isZero();
        assertThat(off.toString()).contains("canaryInterval=0 ms");
        assertThat(off.toBuilder().build().canaryInterval()).isZero();
        assertThat(RedisPubSubOptions.builder().canaryInterval(Duration.ofMillis(10)).build().canaryInterval())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(errorOf(RedisPubSubOptions.builder().canaryInterval(Duration.ofMillis(9))))
                .isEqualTo("canaryInterval must be 0 (off) or at least 10 ms, was 9 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().canaryInterval(Duration.ofMillis(-1))))
                .isEqualTo("canaryInterval must be at least 0 ms, was -1 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().canaryInterval(Duration.ofHours(25))))
                .isEqualTo("canaryInterval must be at most 24 h, was 90000000 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().canaryInterval(null)))
                .isEqualTo("canaryInterval must not be null");
    }

    @Test
    void selfCheckLogsByDefaultAndMustNotBeNull() {
        assertThat(RedisPubSubOptions.builder().build().selfCheck()).isEqualTo(RedisPubSubOptions.SelfCheck.LOG);
        RedisPubSubOptions strict = RedisPubSubOptions.builder().selfCheck(RedisPubSubOptions.SelfCheck.STRICT).build();
        assertThat(strict.selfCheck()).isEqualTo(RedisPubSubOptions.SelfCheck.STRICT);
        assertThat(strict.toString()).contains("selfCheck=STRICT");
        assertThat(strict.toBuilder().build().selfCheck()).isEqualTo(RedisPubSubOptions.SelfCheck.STRICT);
        assertThat(errorOf(RedisPubSubOptions.builder().selfCheck(null)))
                .isEqualTo("selfCheck must not be null; use SelfCheck.OFF to turn the self-check off");
    }

    @Test
    void holdPublishesWhileConnectingIsTwoSecondsByDefaultZeroForFailFastNeverNegative() {
        assertThat(RedisPubSubOptions.builder().build().holdPublishesWhileConnecting())
                .isEqualTo(Duration.ofSeconds(2))
                .isEqualTo(RedisPubSubOptions.DEFAULT_HOLD_PUBLISHES_WHILE_CONNECTING);
        RedisPubSubOptions strict = RedisPubSubOptions.builder().holdPublishesWhileConnecting(Duration.ZERO).build();
        assertThat(strict.holdPublishesWhileConnecting()).isZero();
        assertThat(strict.toString()).contains("holdPublishesWhileConnecting=0 ms");
        assertThat(strict.toBuilder().build().holdPublishesWhileConnecting()).isZero();
        assertThat(errorOf(RedisPubSubOptions.builder().holdPublishesWhileConnecting(Duration.ofMillis(-1))))
                .isEqualTo("holdPublishesWhileConnecting must be at least 0 ms, was -1 ms");
        assertThat(errorOf(RedisPubSubOptions.builder().holdPublishesWhileConnecting(null)))
                .isEqualTo("holdPublishesWhileConnecting must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().holdPublishesWhileConnecting(Duration.ofHours(25))))
                .isEqualTo("holdPublishesWhileConnecting must be at most 24 h, was 90000000 ms");
    }

    @Test
    void timeoutsMustNotBeNull() {
        assertThat(errorOf(RedisPubSubOptions.builder().pingInterval(null))).isEqualTo("pingInterval must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().pingTimeout(null))).isEqualTo("pingTimeout must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().connectTimeout(null)))
                .isEqualTo("connectTimeout must not be null");
        assertThat(errorOf(RedisPubSubOptions.builder().commandTimeout(null)))
                .isEqualTo("commandTimeout must not be null");
    }

    @Test
    void hugeDurationsAreRejectedWithoutOverflow() {
        assertThat(errorOf(RedisPubSubOptions.builder().commandTimeout(Duration.ofSeconds(Long.MAX_VALUE))))
                .isEqualTo("commandTimeout must be at most 24 h, was PT2562047788015215H30M7S");
    }

    @Test
    void maxPendingPublishesMustBePositive() {
        assertThat(errorOf(RedisPubSubOptions.builder().maxPendingPublishes(0)))
                .isEqualTo("maxPendingPublishes must be at least 1, was 0");
        assertThat(RedisPubSubOptions.builder().maxPendingPublishes(1).build().maxPendingPublishes()).isEqualTo(1);
    }

    @Test
    void nullCallbacksAreRejectedBySetters() {
        RedisPubSubOptions.Builder b = RedisPubSubOptions.builder();

        assertThatThrownBy(() -> b.onConnect(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("onConnect must not be null");
        assertThatThrownBy(() -> b.onDisconnect(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("onDisconnect must not be null");
        assertThatThrownBy(() -> b.onError(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("onError must not be null");
        assertThatThrownBy(() -> b.serializeMessage(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("serializeMessage must not be null");
        assertThatThrownBy(() -> b.deserializeMessage(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("deserializeMessage must not be null");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RedisPubSubOptions.Builder b = RedisPubSubOptions.builder()
                .port(70000)
                .namespace("")
                .pingInterval(Duration.ZERO)
                .maxPendingPublishes(-1);

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 1 and 65535, was 70000"
                        + "; namespace must not be empty, was \"\""
                        + "; pingInterval must be at least 10 ms, was 0 ms"
                        + "; maxPendingPublishes must be at least 1, was -1");
    }

    @Test
    void urlProblemsAreReportedTogetherWithOthers() {
        RedisPubSubOptions.Builder b = RedisPubSubOptions.builder()
                .url("redis://:secret@h:99999")
                .host("x")
                .clientName("a b");

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must not be set together with url, was \"x\"; use one or the other"
                        + "; url port must be between 1 and 65535, was redis://:***@h:99999"
                        + "; clientName must not contain whitespace or control characters, was \"a b\"");
    }

    // structured problems

    private static List<OptionProblem> problemsOf(RedisPubSubOptions.Builder builder) {
        try {
            builder.build();
        } catch (InvalidOptionsException e) {
            return e.problems();
        }
        throw new AssertionError("build() did not throw an InvalidOptionsException");
    }

    @Test
    void eachProblemNamesItsOptionValueRuleAndHint() {
        List<OptionProblem> problems = problemsOf(RedisPubSubOptions.builder()
                .port(70000)
                .namespace("app:")
                .host(null));

        assertThat(problems).hasSize(3);
        OptionProblem host = problems.get(0);
        assertThat(host.option()).isEqualTo("host");
        assertThat(host.rule()).isEqualTo("must not be null");
        assertThat(host.value()).isNull();
        assertThat(host.hint()).isNull();
        assertThat(host.message()).isEqualTo("host must not be null");
        OptionProblem port = problems.get(1);
        assertThat(port.option()).isEqualTo("port");
        assertThat(port.rule()).isEqualTo("must be between 1 and 65535");
        assertThat(port.value()).isEqualTo("70000");
        assertThat(port.hint()).isNull();
        OptionProblem namespace = problems.get(2);
        assertThat(namespace.option()).isEqualTo("namespace");
        assertThat(namespace.rule()).isEqualTo("must not end with ':'");
        assertThat(namespace.value()).isEqualTo("\"app:\"");
        assertThat(namespace.hint()).isEqualTo("the ':' separator is added automatically");
        assertThat(namespace).hasToString("namespace must not end with ':', was \"app:\"; the ':' separator is added"
                + " automatically");
    }

    @Test
    void theExceptionIsAnIllegalArgumentExceptionWhoseMessageJoinsTheProblems() {
        RedisPubSubOptions.Builder b = RedisPubSubOptions.builder().port(0).clientName("");

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOfSatisfying(InvalidOptionsException.class, e -> assertThat(e.problems())
                        .extracting(OptionProblem::message)
                        .containsExactly("port must be between 1 and 65535, was 0",
                                "clientName must not be empty, was \"\""))
                .hasMessage("port must be between 1 and 65535, was 0; clientName must not be empty, was \"\"");
    }

    @Test
    void renamingNamesTheOptionAndTheOptionsItRefersToButNeverTheValue() {
        List<OptionProblem> problems = problemsOf(RedisPubSubOptions.builder()
                .reconnectDelay(Duration.ofMillis(500))
                .maxReconnectDelay(Duration.ofMillis(100))
                .sentinelMaster("of url or sentinels {url}"));

        assertThat(problems).extracting(p -> p.message(option -> "app." + option)).containsExactly(
                "app.sentinelMaster must only be set for Sentinel, was \"of url or sentinels {url}\"; use a"
                        + " redis-sentinel:// app.url or app.sentinels",
                "app.maxReconnectDelay must be at least app.reconnectDelay (500 ms), was 100 ms");
        assertThat(problems.get(0).hint()).isEqualTo("use a redis-sentinel:// url or sentinels");
        assertThat(problems.get(1).rule()).isEqualTo("must be at least reconnectDelay (500 ms)");
        assertThat(problems.get(1).message(option -> null)).as("null keeps the name")
                .isEqualTo(problems.get(1).message());
    }

    @Test
    void textFromAUrlInARuleIsNotTakenForAnOption() {
        OptionProblem problem = problemsOf(RedisPubSubOptions.builder().url("{url}://h")).get(0);

        assertThat(problem.option()).isEqualTo("url");
        assertThat(problem.rule()).isEqualTo("scheme {url} is not supported");
        assertThat(problem.message(option -> "app." + option)).startsWith("app.url scheme {url} is not supported,"
                + " was {url}://h; use redis://");
    }

    @Test
    void problemsAreEqualWhenTheyReportTheSame() {
        OptionProblem a = problemsOf(RedisPubSubOptions.builder().port(0)).get(0);
        OptionProblem b = problemsOf(RedisPubSubOptions.builder().port(0)).get(0);
        OptionProblem c = problemsOf(RedisPubSubOptions.builder().port(-1)).get(0);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void aProblemNeverContainsAPassword() {
        List<OptionProblem> problems = problemsOf(RedisPubSubOptions.builder()
                .url("redis://app:topsecret@h:0")
                .password("othersecret")
                .sentinelPassword("thirdsecret"));

        assertThat(problems).extracting(OptionProblem::option)
                .containsExactly("url", "sentinelPassword");
        assertThat(problems.get(0).value()).isEqualTo("redis://app:***@h:0");
        assertThat(problems.get(1).value()).isEqualTo("***");
        for (OptionProblem problem : problems) {
            assertThat(problem.message() + problem.value() + problem.rule() + problem.hint())
                    .doesNotContain("topsecret").doesNotContain("othersecret").doesNotContain("thirdsecret");
        }
    }

    @Test
    void aPasswordSetTwiceIsReportedMasked() {
        OptionProblem problem = problemsOf(RedisPubSubOptions.builder()
                .url("redis://app:topsecret@h")
                .password("othersecret")).get(0);

        assertThat(problem.option()).isEqualTo("password");
        assertThat(problem.value()).isEqualTo("***");
        assertThat(problem.message(option -> "app." + option)).isEqualTo("app.password must not be set together"
                + " with a app.url that has a password, was ***; use one or the other");
    }

    // secrets

    @Test
    void toStringMasksExplicitPassword() {
        RedisPubSubOptions o = RedisPubSubOptions.builder().password("topsecret").username("app").build();

        assertThat(o.toString())
                .doesNotContain("topsecret")
                .contains("password=***")
                .contains("username=app")
                .contains("url=null");
    }

    @Test
    void toStringMasksPasswordInUrl() {
        RedisPubSubOptions o = url("rediss://app:top%40secret@h:6380/1");

        assertThat(o.toString())
                .doesNotContain("top%40secret")
                .doesNotContain("top@secret")
                .contains("url=rediss://app:***@h:6380/1")
                .contains("password=***")
                .contains("tls=true");
    }

    @Test
    void toStringShowsNullForAbsentPassword() {
        assertThat(RedisPubSubOptions.builder().build().toString())
                .contains("password=null")
                .contains("host=localhost")
                .contains("port=6379")
                .contains("namespace=ws")
                .contains("reconnectDelay=100 ms")
                .contains("maxReconnectDelay=30000 ms")
                .contains("serializeMessage=default");
    }

    @Test
    void errorMessagesNeverContainThePassword() {
        String message = errorOf(RedisPubSubOptions.builder()
                .url("redis://app:topsecret@h:0")
                .password("othersecret"));

        assertThat(message).doesNotContain("topsecret").doesNotContain("othersecret");
    }

    @Test
    void endpointNeverContainsCredentials() {
        assertThat(url("redis://app:topsecret@h:6380").endpoint()).isEqualTo("h:6380");
    }
}
