package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.RedisServer;

/**
 * Client messages that the default {@code onText} cannot publish, because Redis is down, are counted in the stats of
 * the endpoint and logged at WARNING without flooding the log; against a redis-server of its own, which the test
 * stops and starts again.
 */
class PublishFailuresIT {

    /** The default hooks. */
    @ServerEndpoint("/lost/{room}")
    public static class LostEndpoint extends RedisPubSubEndpoint {
    }

    /** The default hooks, publishing with {@code publishExcept}. */
    @ServerEndpoint("/lost-quiet/{room}")
    public static class QuietLostEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean excludeSender(Session session) {
            return true;
        }
    }

    private RedisServer server;
    private RedisPubSub pubsub;
    private ServerEndpointConfig lost;
    private ServerEndpointConfig quiet;
    private TyrusServer tyrus;
    private TestClient ann;
    private TestClient bob;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.builder().start();
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder()
                .url(server.url())
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500))
                .build());
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        lost = RedisPubSubEndpoints.config(LostEndpoint.class, pubsub);
        quiet = RedisPubSubEndpoints.config(QuietLostEndpoint.class, pubsub);
        tyrus = TyrusServer.start(lost, quiet);
    }

    @AfterEach
    void stop() {
        for (TestClient client : new TestClient[] {ann, bob}) {
            if (client != null) {
                client.close();
            }
        }
        if (tyrus != null) {
            tyrus.close();
        }
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void messagesThatCannotBePublishedAreCountedAndLoggedOnce() throws Exception {
        ann = TestClient.connect(tyrus.uri("/lost/lobby"));
        bob = TestClient.connect(tyrus.uri("/lost/lobby"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.numsub("ws:lobby") == 1);
        ann.send("before");
        bob.expect("before");
        ann.expect("before");

        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !pubsub.isConnected());
        try (LogCapture log = LogCapture.start()) {
            ann.send("one");
            ann.send("two");
            bob.send("three");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RedisPubSubEndpoints.stats(lost).publishFailures() == 3);
            List<String> warnings = lostMessages(log, Level.WARNING);
            assertThat(warnings).as("one warning for the three lost messages").singleElement().asString()
                    .startsWith("[" + LostEndpoint.class.getName() + " at /lost/{room}] a message of session ")
                    .contains(" to channel lobby was lost: publish rejected: Redis is unreachable at 127.0.0.1:"
                            + server.port())
                    .endsWith("; the client is not told (override onText to tell it)");
            assertThat(lostMessages(log, Level.FINE)).as("the others at DEBUG").hasSize(2);
        }

        server.restart();
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        ann.send("after");
        bob.expect("after");
        ann.expect("after");
        assertThat(RedisPubSubEndpoints.stats(lost).publishFailures()).isEqualTo(3);
        assertThat(RedisPubSubEndpoints.stats(quiet).publishFailures()).isZero();
    }

    @Test
    void messagesPublishedExceptTheSenderAreCountedToo() throws Exception {
        ann = TestClient.connect(tyrus.uri("/lost-quiet/hall"));
        bob = TestClient.connect(tyrus.uri("/lost-quiet/hall"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.numsub("ws:hall") == 1);
        server.kill9();
        await().atMost(Duration.ofSeconds(10)).until(() -> !pubsub.isConnected());

        ann.send("one");
        bob.send("two");

        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(quiet).publishFailures() == 2);
        assertThat(RedisPubSubEndpoints.stats(lost).publishFailures()).isZero();
        assertThat(ann.isOpen()).as("the session stays open").isTrue();
    }

    private static List<String> lostMessages(LogCapture log, Level level) {
        return log.messages(level).stream().filter(m -> m.contains(" was lost: ")).toList();
    }
}
