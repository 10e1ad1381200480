package dev.wskit.redis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.Subscription;

/** What the contract does not cover: synchronous delivery, re-entrancy, the broker, simulated disconnection. */
class InMemoryRedisPubSubTest {

    @Test
    void deliveryIsCompleteWhenPublishReturns() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
        List<Object> received = new ArrayList<>();
        pubsub.subscribe("orders", (channel, message) -> received.add(message));

        CompletionStage<Void> stage = pubsub.publish("orders", Map.of("id", "42"));

        assertThat(received).containsExactly(Map.of("id", "42"));
        assertThat(stage.toCompletableFuture()).isCompleted();
    }

    @Test
    void aMessagePublishedByAHandlerIsDeliveredAfterTheCurrentMessageReachedAllHandlers() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
        List<String> log = new ArrayList<>();
        pubsub.subscribe("a", (channel, message) -> {
            log.add("first got " + message);
            if (message.equals("ping")) {
                pubsub.publish("a", "pong");
                log.add("first published pong");
            }
        });
        pubsub.subscribe("a", (channel, message) -> log.add("second got " + message));

        pubsub.publish("a", "ping");

        assertThat(log).containsExactly("first got ping", "first published pong", "second got ping",
                "first got pong", "second got pong");
    }

    @Test
    void everySubscriberSeesOneOrderAcrossPublishingThreads() throws Exception {
        InMemoryRedisPubSub.Broker broker = InMemoryRedisPubSub.Broker.create();
        InMemoryRedisPubSub a = broker.connect();
        InMemoryRedisPubSub b = broker.connect();
        List<Object> onA = new CopyOnWriteArrayList<>();
        List<Object> onB = new CopyOnWriteArrayList<>();
        a.subscribe("c", (channel, message) -> onA.add(message));
        b.subscribe("c", (channel, message) -> onB.add(message));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            publishers.add(CompletableFuture.runAsync(() -> {
                try {
                    assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                for (int i = 0; i < 250; i++) {
                    (thread % 2 == 0 ? a : b).publish("c", thread + ":" + i);
                }
            }));
        }
        start.countDown();
        CompletableFuture.allOf(publishers.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);

        assertThat(onA).hasSize(1000).isEqualTo(onB);
    }

    @Test
    void theBrokerRecordsTheWireAndAcceptsRawPublishes() {
        InMemoryRedisPubSub.Broker broker = InMemoryRedisPubSub.Broker.create();
        InMemoryRedisPubSub app = broker.connect(RedisPubSubOptions.builder().namespace("shop").build());
        List<Object> received = new ArrayList<>();
        app.subscribe("orders", (channel, message) -> received.add(message));

        app.publish("orders", new byte[] {1, 2, 3});
        broker.publish("shop:orders", "[1,2]");

        assertThat(broker.messages()).containsExactly(
                new InMemoryRedisPubSub.Broker.Message("shop:orders", "AQID"),
                new InMemoryRedisPubSub.Broker.Message("shop:orders", "[1,2]"));
        assertThat(received).hasSize(2).element(0).isEqualTo("AQID");
        assertThat(broker.channels()).containsExactly("shop:orders");
        broker.clearMessages();
        assertThat(broker.messages()).isEmpty();
        assertThatThrownBy(() -> broker.publish(null, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBrokerKeepsTheLatestMessagesOnly() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();

        for (int i = 0; i < InMemoryRedisPubSub.Broker.MAX_RECORDED + 5; i++) {
            pubsub.publish("c", i);
        }

        List<InMemoryRedisPubSub.Broker.Message> messages = pubsub.broker().messages();
        assertThat(messages).hasSize(InMemoryRedisPubSub.Broker.MAX_RECORDED);
        assertThat(messages.get(0).payload()).isEqualTo("5");
    }

    @Test
    void aSimulatedDisconnectionFailsPublishesAndLosesMessages() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        InMemoryRedisPubSub.Broker broker = InMemoryRedisPubSub.Broker.create();
        InMemoryRedisPubSub other = broker.connect();
        InMemoryRedisPubSub pubsub = broker.connect(RedisPubSubOptions.builder()
                .onConnect(() -> events.add("connect"))
                .onDisconnect(() -> events.add("disconnect"))
                .build());
        List<Object> received = new ArrayList<>();
        pubsub.subscribe("c", (channel, message) -> received.add(message));

        pubsub.simulateDisconnect();
        Subscription late = pubsub.subscribe("late", (channel, message) -> received.add(message));
        CompletionStage<Void> connected = pubsub.connected();
        other.publish("c", "lost");
        CompletionStage<Void> failed = pubsub.publish("c", "not sent");

        assertThat(pubsub.isConnected()).isFalse();
        assertThat(received).isEmpty();
        assertThat(late.ready().toCompletableFuture()).isNotDone();
        assertThat(connected.toCompletableFuture()).isNotDone();
        assertThatThrownBy(() -> failed.toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RedisPubSubException.class).hasMessageContaining("unreachable");
        assertThat(broker.numsub("ws:c")).isZero();

        pubsub.simulateReconnect();
        other.publish("c", "after");
        other.publish("late", "late too");

        assertThat(received).containsExactly("after", "late too");
        assertThat(late.ready().toCompletableFuture()).isCompleted();
        assertThat(connected.toCompletableFuture()).isCompleted();
        assertThat(events).containsExactly("connect", "disconnect", "connect");
        assertThat(pubsub.stats().reconnects()).isEqualTo(1);
        assertThat(pubsub.stats().publishFailures()).isEqualTo(1);
    }

    @Test
    void onConnectIsCalledAtCreation() {
        List<String> events = new ArrayList<>();

        InMemoryRedisPubSub.create(RedisPubSubOptions.builder().onConnect(() -> events.add("connect")).build());

        assertThat(events).containsExactly("connect");
    }

    @Test
    void shardedOptionsRejectPatterns() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create(RedisPubSubOptions.builder()
                .url("redis-cluster://localhost:7000?sharded=true").build());

        assertThatThrownBy(() -> pubsub.psubscribe("a*", (channel, message) -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullOptionsAreRejected() {
        assertThatThrownBy(() -> InMemoryRedisPubSub.create(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Loading and using InMemoryRedisPubSub must not need the Jakarta WebSocket API: a user testing plain publishing
     * code may not have it.
     */
    @Test
    void worksWithoutTheWebSocketApiOnTheClassPath() throws Exception {
        ClassLoader withoutWebSocket = new ClassLoader(getClass().getClassLoader().getParent()) {
            private final ClassLoader app = InMemoryRedisPubSubTest.class.getClassLoader();

            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.startsWith("jakarta.websocket.")) {
                        throw new ClassNotFoundException(name + " (hidden by the test)");
                    }
                    if (!name.startsWith("dev.wskit.redis.")) {
                        return app.loadClass(name);
                    }
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        try (InputStream in = app.getResourceAsStream(name.replace('.', '/') + ".class")) {
                            if (in == null) {
                                throw new ClassNotFoundException(name);
                            }
                            byte[] bytes = in.readAllBytes();
                            loaded = defineClass(name, bytes, 0, bytes.length);
                        } catch (IOException e) {
                            throw new ClassNotFoundException(name, e);
                        }
                    }
                    if (resolve) {
                        resolveClass(loaded);
                    }
                    return loaded;
                }
            }
        };
        Class<?> type = Class.forName(Exercise.class.getName(), true, withoutWebSocket);

        Object result = type.getMethod("run").invoke(null);

        assertThat(result).isEqualTo(List.of("hello", Map.of("n", new BigDecimal("1"))));
        assertThatThrownBy(() -> Class.forName("jakarta.websocket.Session", false, withoutWebSocket))
                .isInstanceOf(ClassNotFoundException.class);
    }

    /** Runs in the class loader without the WebSocket API. */
    public static final class Exercise {

        private Exercise() {
        }

        /** Publish and receive through an in-memory instance. */
        public static List<Object> run() {
            InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
            List<Object> received = new ArrayList<>();
            pubsub.subscribe("c", (channel, message) -> received.add(message));
            pubsub.psubscribe("*", String.class, (channel, message) -> { });
            pubsub.publish("c", "hello");
            pubsub.publish("c", Map.of("n", 1));
            pubsub.destroy();
            return received;
        }
    }
}
