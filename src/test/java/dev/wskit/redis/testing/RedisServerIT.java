package dev.wskit.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Checks the test infrastructure itself: {@link RedisServer}, {@link RedisServerBinary}, {@link RedisExtension}. */
class RedisServerIT {

    @Test
    void startedServerAnswersPingOnItsOwnLoopbackPort() throws Exception {
        try (RedisServer redis = RedisServer.start(); Jedis client = redis.newClient()) {
            assertThat(client.ping()).isEqualTo("PONG");
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.pid()).isEqualTo(pidOfRedisServer(client));
            assertThat(client.configGet("save")).containsEntry("save", "");
            assertThat(Files.readString(redis.logFile())).contains("Ready to accept connections");
        }
    }

    @Test
    void helpersCountSubscribersAndClientsWithoutTheirOwnConnection() throws Exception {
        try (RedisServer redis = RedisServer.start(); Jedis subscriber = redis.newClient()) {
            assertThat(redis.connectedClients()).isEqualTo(1);
            assertThat(redis.clientList()).hasSize(1);
            JedisPubSub pubSub = new JedisPubSub() {
            };
            Thread loop = new Thread(() -> subscriber.subscribe(pubSub, "chat"), "subscriber");
            loop.start();
            try {
                awaitUntil(() -> redis.numsub("chat") == 1);
                assertThat(redis.numsub("other")).isZero();
                assertThat(redis.numpat()).isZero();
                pubSub.psubscribe("room.*");
                awaitUntil(() -> redis.numpat() == 1);
            } finally {
                pubSub.unsubscribe();
                pubSub.punsubscribe();
                loop.join(Duration.ofSeconds(5).toMillis());
            }
            assertThat(loop.isAlive()).isFalse();
        }
    }

    @Test
    void kill9ThenRestartComesBackOnTheSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            long pid = redis.pid();

            redis.kill9();

            assertThat(redis.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
            assertThatThrownBy(() -> redis.newClient().ping()).isInstanceOf(JedisConnectionException.class);

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(pid);
            try (Jedis client = redis.newClient()) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void restartWhileConnectionsAreOpenReusesThePort() {
        try (RedisServer redis = RedisServer.start(); Jedis before = redis.newClient()) {
            int port = redis.port();
            assertThat(before.ping()).isEqualTo("PONG");

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThatThrownBy(before::ping).isInstanceOf(JedisConnectionException.class);
            try (Jedis after = redis.newClient()) {
                assertThat(after.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void pausedServerTimesClientsOutAndAnswersAgainAfterResume() {
        try (RedisServer redis = RedisServer.start()) {
            DefaultJedisClientConfig shortTimeout = redis.clientConfig().socketTimeoutMillis(500).build();

            redis.pause();

            long started = System.nanoTime();
            assertThatThrownBy(() -> {
                try (Jedis client = new Jedis(redis.hostAndPort(), shortTimeout)) {
                    client.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            redis.resume();

            try (Jedis client = new Jedis(redis.hostAndPort(), shortTimeout)) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void closeKillsAPausedServerAndIsIdempotent() {
        RedisServer redis = RedisServer.start();
        long pid = redis.pid();
        redis.pause();

        redis.close();
        redis.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void stopShutsDownGracefullyAndRestartBringsItBack() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            try (Jedis client = redis.newClient()) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    @SuppressWarnings("deprecation") // ssl(true).sslSocketFactory(...) is deprecated in Jedis 8 but still works
    void tlsServerIsReachableWithItsSslContextAndNotWithPlainTcp() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls().start()) {
            SSLContext context = redis.sslContext();
            // the certificate must also pass hostname verification for 127.0.0.1
            SSLParameters verifyHost = new SSLParameters();
            verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
            DefaultJedisClientConfig tlsConfig = DefaultJedisClientConfig.builder()
                    .protocol(RedisProtocol.RESP2)
                    .ssl(true)
                    .sslSocketFactory(context.getSocketFactory())
                    .sslParameters(verifyHost)
                    .build();

            try (Jedis client = new Jedis(redis.hostAndPort(), tlsConfig)) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
            // newClient() uses the non-deprecated sslOptions(), with host name verification
            try (Jedis client = redis.newClient()) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
            assertThat(redis.url()).isEqualTo("rediss://127.0.0.1:" + redis.port());
            assertThat(Files.readString(redis.caCertFile())).startsWith("-----BEGIN CERTIFICATE-----");

            DefaultJedisClientConfig plainConfig = DefaultJedisClientConfig.builder()
                    .protocol(RedisProtocol.RESP2)
                    .connectionTimeoutMillis(1000)
                    .socketTimeoutMillis(1000)
                    .build();
            assertThatThrownBy(() -> {
                try (Jedis client = new Jedis(redis.hostAndPort(), plainConfig)) {
                    client.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);
        }
    }

    @Test
    void sslContextIsOnlyForTlsServers() {
        try (RedisServer redis = RedisServer.start()) {
            assertThatThrownBy(redis::sslContext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tls()");
        }
    }

    @Test
    void locatedBinarySupportsTls() {
        RedisServerBinary binary = RedisServerBinary.locate();
        assertThat(binary.supportsTls())
                .as("TLS with %s: %s (Debian's redis-server has TLS: apt-get install redis-server openssl)",
                        binary, binary.tlsProblem())
                .isTrue();
    }

    @Test
    void aclUserLogsInWithItsPasswordOnly() {
        try (RedisServer redis = RedisServer.builder().aclUser("alice", "s3cret pass").start()) {
            try (Jedis alice = new Jedis(redis.hostAndPort(), redis.clientConfig().user("alice").password("s3cret pass")
                    .build())) {
                assertThat(alice.ping()).isEqualTo("PONG");
                assertThat(alice.aclWhoAmI()).isEqualTo("alice");
                assertThat(alice.publish("any-channel", "hello")).isZero();
            }
            assertThatThrownBy(() -> {
                try (Jedis intruder = new Jedis(redis.hostAndPort(),
                        redis.clientConfig().user("alice").password("wrong").build())) {
                    intruder.ping();
                }
            }).isInstanceOf(JedisException.class).hasMessageContaining("WRONGPASS");
        }
    }

    @Test
    void requirePassIsUsedByNewClientAndDemandedFromOthers() {
        try (RedisServer redis = RedisServer.builder().requirePass("pw").start()) {
            try (Jedis client = redis.newClient()) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
            DefaultJedisClientConfig anonymous = DefaultJedisClientConfig.builder()
                    .protocol(RedisProtocol.RESP2)
                    .build();
            // with an explicit protocol Jedis sends HELLO 2 while connecting, so the connect itself fails
            assertThatThrownBy(() -> {
                try (Jedis client = new Jedis(redis.hostAndPort(), anonymous)) {
                    client.ping();
                }
            }).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void extraArgsArePassedToTheServer() {
        try (RedisServer redis = RedisServer.builder().arg("--notify-keyspace-events", "KEA").start();
                Jedis client = redis.newClient()) {
            assertThat(client.configGet("notify-keyspace-events").get("notify-keyspace-events")).contains("A");
        }
    }

    @Test
    void startupFailureReportsTheServersOwnError() {
        assertThatThrownBy(() -> RedisServer.builder().arg("--no-such-directive", "x").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void embeddedRedisBinaryIsAWorkingFallback() {
        RedisServerBinary embedded = RedisServerBinary.embedded();
        assertThat(embedded.isEmbedded()).isTrue();
        assertThat(embedded.version()).startsWith("6.2");
        try (RedisServer redis = RedisServer.builder().binary(embedded).start(); Jedis client = redis.newClient()) {
            assertThat(client.ping()).isEqualTo("PONG");
            assertThat(client.info("server")).contains("redis_version:6.2");
        }
    }

    @Test
    @WithRedis
    void extensionProvidesASharedRedis(RedisTarget redis) throws Exception {
        try (Jedis client = redis.newClient()) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
        assertThat(redis.url()).isEqualTo("redis://" + redis.host() + ":" + redis.port());
        assertThat(redis.numsub("nobody-listens-here")).isZero();
        if (System.getProperty(RedisExtension.REDIS_URL) == null && System.getenv(RedisExtension.REDIS_URL) == null) {
            // without REDIS_URL the machine's own Redis on 6379 must stay untouched
            assertThat(InetAddress.getByName(redis.host()).isLoopbackAddress()).isTrue();
            assertThat(redis.port()).isNotEqualTo(6379);
        }
    }

    @Test
    void redisUrlParsingAcceptsHostAndPortOnly() {
        assertThat(RedisExtension.parse("redis://example.org:7000"))
                .isEqualTo(new RedisTarget("redis://example.org:7000", "example.org", 7000));
        assertThat(RedisExtension.parse("redis://example.org").port()).isEqualTo(6379);
        assertThatThrownBy(() -> RedisExtension.parse("rediss://example.org:7000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> RedisExtension.parse("redis://:pw@example.org:7000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no credentials");
    }

    private static long pidOfRedisServer(Jedis client) {
        return client.info("server").lines()
                .filter(line -> line.startsWith("process_id:"))
                .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
                .findFirst()
                .orElseThrow();
    }

    private static void awaitUntil(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(5)).until(condition);
    }
}
