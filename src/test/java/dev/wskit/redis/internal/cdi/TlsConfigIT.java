package dev.wskit.redis.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

/**
 * TLS with a private CA and a client certificate, configured through MicroProfile Config only
 * ({@code wskit.redis.tls.*}), against a {@code redis-server} that asks every client for a certificate signed by a CA
 * the test made ({@code tls-auth-clients yes}).
 */
class TlsConfigIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.builder().mutualTls().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> trustAndKey() {
        Map<String, String> keys = new HashMap<>();
        keys.put("wskit.redis.url", server.url());
        keys.put("wskit.redis.tls.trust-store", server.trustStoreFile().toString());
        keys.put("wskit.redis.tls.trust-store-password", RedisServer.TRUSTSTORE_PASSWORD);
        keys.put("wskit.redis.tls.key-store", server.clientKeyStoreFile().toString());
        keys.put("wskit.redis.tls.key-store-password", RedisServer.KEYSTORE_PASSWORD);
        keys.put("wskit.redis.reconnect.max-delay-ms", "500");
        return keys;
    }

    @Test
    void aPrivateCaAndAClientCertificateFromTheKeysConnect() throws Exception {
        RedisPubSubOptions options = ConfigReader.read(ConfigReaderTest.config(trustAndKey())).toBuilder().build();
        assertThat(options.sslContext()).isNotNull();
        try (RedisPubSub pubsub = RedisPubSub.create(options)) {
            BlockingQueue<Object> received = new LinkedBlockingQueue<>();
            pubsub.subscribe("secure", (channel, message) -> received.add(message)).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            pubsub.publish("secure", "over mutual TLS").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("over mutual TLS");
        }
    }

    @Test
    void withoutTheClientCertificateTheServerRefuses() {
        Map<String, String> keys = trustAndKey();
        keys.remove("wskit.redis.tls.key-store");
        keys.remove("wskit.redis.tls.key-store-password");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSubOptions options = ConfigReader.read(ConfigReaderTest.config(keys)).toBuilder().onError(errors::add).build();
        try (RedisPubSub pubsub = RedisPubSub.create(options)) {
            pubsub.subscribe("secure", (channel, message) -> { });
            await("connection attempts refused").atMost(WAIT).until(() -> errors.size() >= 2);
            assertThat(pubsub.isConnected()).isFalse();
        }
    }

    @Test
    void badStoresFailTheDeploymentNamingTheKeyNeverThePassword() {
        Map<String, String> missing = trustAndKey();
        missing.put("wskit.redis.tls.trust-store", "/no/such/truststore.p12");
        assertThat(problems(missing)).anySatisfy(p -> assertThat(p)
                .startsWith("wskit.redis.tls.trust-store must be a readable file, was \"/no/such/truststore.p12\""));

        Map<String, String> wrongPassword = trustAndKey();
        wrongPassword.put("wskit.redis.tls.key-store-password", "S3CRET-wrong");
        assertThat(problems(wrongPassword)).anySatisfy(p -> assertThat(p)
                .startsWith("wskit.redis.tls.key-store must be a PKCS12 store that"
                        + " wskit.redis.tls.key-store-password opens"));
        assertThat(String.join("; ", problems(wrongPassword))).doesNotContain("S3CRET");

        Map<String, String> orphan = trustAndKey();
        orphan.remove("wskit.redis.tls.key-store");
        assertThat(problems(orphan)).contains("wskit.redis.tls.key-store-password is set but"
                + " wskit.redis.tls.key-store is not; set both");

        Map<String, String> plain = trustAndKey();
        plain.put("wskit.redis.url", "redis://127.0.0.1:" + server.port());
        assertThat(problems(plain)).contains("wskit.redis.tls.trust-store is set but TLS is off; set"
                + " wskit.redis.tls=true or use a rediss:// url");

        Map<String, String> type = trustAndKey();
        type.put("wskit.redis.tls.trust-store-type", "NOPE");
        assertThat(problems(type)).anySatisfy(p -> assertThat(p)
                .startsWith("wskit.redis.tls.trust-store-type must be a key store type of this JVM"));
    }

    private static List<String> problems(Map<String, String> keys) {
        InvalidConfigException e = catchThrowableOfType(() -> ConfigReader.read(ConfigReaderTest.config(keys)),
                InvalidConfigException.class);
        assertThat(e).as("invalid configuration").isNotNull();
        return e.messages();
    }
}
