package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.websocket.delivery.RoomRegistry;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

/**
 * A room large enough to be delivered over several threads: real Redis, a real Tyrus server, real clients. Every
 * session gets every message of both of its channels once, in the order they were published.
 */
@WithRedis
class LargeRoomIT {

    /** Sessions join the room of their path and, by text command, a second channel. */
    @ServerEndpoint("/crowd/{room}")
    public static class CrowdEndpoint extends RedisPubSubEndpoint {

        @Override
        protected void onText(jakarta.websocket.Session session, String text) {
            if (text.startsWith("/join ") && join(session, text.substring(6))) {
                send(session, "joined");
            }
        }
    }

    private final RedisTarget redis;
    private final String namespace = "wslarge" + ThreadLocalRandom.current().nextInt(1_000_000);

    LargeRoomIT(RedisTarget redis) {
        this.redis = redis;
    }

    private RedisPubSub connect() {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .build());
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        return pubsub;
    }

    @Test
    void everySessionOfALargeRoomGetsEveryMessageInOrderAcrossItsChannels() throws Exception {
        int sessions = 4 * RoomRegistry.MIN_STRIPE;
        int messages = 40;
        ExecutorService connectors = Executors.newFixedThreadPool(16);
        List<TestClient> clients = new ArrayList<>();
        try (RedisPubSub server = connect(); RedisPubSub publisher = connect()) {
            // four threads per message whatever the machine's processor count
            EndpointRegistration registration = EndpointRegistration.create(CrowdEndpoint.class,
                    new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 4), server, null);
            ServerEndpointConfig config = registration.config();
            try (TyrusServer tyrus = TyrusServer.start(config)) {
                List<Future<TestClient>> futures = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    futures.add(connectors.submit(() -> {
                        TestClient client = TestClient.connect(tyrus.uri("/crowd/hall"));
                        client.send("/join side");
                        assertThat(client.next()).isEqualTo("joined");
                        return client;
                    }));
                }
                for (Future<TestClient> future : futures) {
                    clients.add(future.get(60, TimeUnit.SECONDS));
                }
                assertThat(RedisPubSubEndpoints.stats(config).sessions()).isEqualTo(sessions);
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(namespace + ":hall") == 1
                        && redis.numsub(namespace + ":side") == 1);

                // one publisher, alternating channels: Redis delivers them to the subscriber in this order
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < messages; m++) {
                    String channel = m % 2 == 0 ? "hall" : "side";
                    String text = channel + "-" + m;
                    expected.add(text);
                    publisher.publish(channel, text);
                }

                for (TestClient client : clients) {
                    List<String> got = new ArrayList<>();
                    for (int m = 0; m < messages; m++) {
                        got.add(client.next());
                    }
                    assertThat(got).containsExactlyElementsOf(expected);
                }
                assertThat(registration.rooms().parallelDeliveries()).isEqualTo(messages);
                assertThat(registration.rooms().helperStripes()).as("stripes delivered by the library's delivery"
                        + " threads").isPositive();
                assertThat(RedisPubSubEndpoints.stats(config).closedForOverflow()).isZero();
                assertThat(RedisPubSubEndpoints.stats(config).dropped()).isZero();
            } finally {
                List<Future<?>> closing = new ArrayList<>();
                for (TestClient client : clients) {
                    closing.add(connectors.submit(client::close));
                }
                for (Future<?> future : closing) {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            connectors.shutdownNow();
        }
    }
}
