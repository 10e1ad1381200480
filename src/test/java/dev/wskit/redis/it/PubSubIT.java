package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Two {@link RedisPubSub} instances (two "servers") against one real Redis. */
@WithRedis
class PubSubIT {

    private final RedisTarget redis;
    private final List<RedisPubSub> instances = new ArrayList<>();

    PubSubIT(RedisTarget redis) {
        this.redis = redis;
    }

    @BeforeEach
    void flush() {
        try (Jedis jedis = redis.newClient()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @AfterEach
    void destroyAll() {
        instances.forEach(RedisPubSub::destroy);
    }

    private RedisPubSub create() {
        return create(b -> { });
    }

    private RedisPubSub create(Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder().url(redis.url());
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        instances.add(pubsub);
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        return pubsub;
    }

    private static void ready(Subscription subscription) {
        try {
            subscription.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("subscription not acknowledged", e);
        }
    }

    private static void published(java.util.concurrent.CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("publish failed", e);
        }
    }

    @Test
    void messagesCrossInstancesBothWays() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Collector onA = new Collector();
        Collector onB = new Collector();
        ready(a.subscribe("chat:general", onA));
        ready(b.subscribe("chat:general", onB));

        published(a.publish("chat:general", "from a"));
        assertThat(onB.next()).isEqualTo(new Collector.Received("chat:general", "from a"));
        assertThat(onA.next()).isEqualTo(new Collector.Received("chat:general", "from a"));

        published(b.publish("chat:general", Map.of("user", "bob", "n", 2)));
        assertThat(onA.next().message()).isEqualTo(Map.of("user", "bob", "n", new BigDecimal("2")));
        assertThat(onB.next().message()).isEqualTo(Map.of("user", "bob", "n", new BigDecimal("2")));
    }

    @Test
    void wireFormatIsThePayloadItselfForARawSubscriber() throws Exception {
        RedisPubSub a = create();
        BlockingQueue<String> raw = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                raw.add(channel + " " + message);
            }
        };
        Jedis jedis = redis.newClient();
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> jedis.subscribe(listener, "ws:wire"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub("ws:wire") == 1);

            published(a.publish("wire", "hello world"));
            published(a.publish("wire", Map.of("a", 1)));
            published(a.publish("wire", 42));
            published(a.publish("wire", true));
            published(a.publish("wire", null));
            published(a.publish("wire", new byte[] {1, 2, 3}));
            published(a.publish("wire", new Point(3, 4)));

            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire hello world");
            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire {\"a\":1}");
            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire 42");
            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire true");
            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire null");
            assertThat(raw.poll(10, TimeUnit.SECONDS))
                    .isEqualTo("ws:wire " + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
            assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("ws:wire {\"x\":3,\"y\":4}");
        } finally {
            listener.unsubscribe();
            loop.get(10, TimeUnit.SECONDS);
            jedis.close();
        }
    }

    public record Point(int x, int y) {
    }

    @Test
    void aRawPublisherReachesHandlersWithTheDefaultDeserialization() {
        RedisPubSub a = create();
        Collector onA = new Collector();
        ready(a.subscribe("raw", onA));
        try (Jedis jedis = redis.newClient()) {
            jedis.publish("ws:raw", "hello");
            jedis.publish("ws:raw", "{\"text\":\"hi\",\"n\":[1,2]}");
            jedis.publish("ws:raw", "{not json");
            jedis.publish("ws:raw", "null");
        }
        assertThat(onA.next().message()).isEqualTo("hello");
        assertThat(onA.next().message()).isEqualTo(Map.of("text", "hi", "n",
                List.of(new BigDecimal("1"), new BigDecimal("2"))));
        assertThat(onA.next().message()).isEqualTo("{not json");
        assertThat(onA.next().message()).isNull();
    }

    @Test
    void typedSubscriptionsConvertOrPassTheRawText() {
        RedisPubSub a = create();
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        ready(a.subscribe("typed", Point.class, (channel, point) -> got.add(point)));
        ready(a.subscribe("typed", String.class, (channel, text) -> got.add("raw:" + text)));
        published(a.publish("typed", new Point(1, 2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
        assertThat(got).containsExactlyInAnyOrder(new Point(1, 2), "raw:{\"x\":1,\"y\":2}");
    }

    @Test
    void oneRedisSubscriptionPerChannelHoweverManyHandlers() {
        RedisPubSub a = create();
        Collector h1 = new Collector();
        Collector h2 = new Collector();
        Collector h3 = new Collector();
        Subscription s1 = a.subscribe("count", h1);
        Subscription s2 = a.subscribe("count", h2);
        Subscription s3 = a.subscribe("count", h3);
        ready(s1);
        ready(s2);
        ready(s3);
        assertThat(redis.numsub("ws:count")).isEqualTo(1);

        published(a.publish("count", "x"));
        assertThat(h1.next().message()).isEqualTo("x");
        assertThat(h2.next().message()).isEqualTo("x");
        assertThat(h3.next().message()).isEqualTo("x");

        s1.close();
        a.unsubscribe("count", h2);
        assertThat(redis.numsub("ws:count")).isEqualTo(1);
        published(a.publish("count", "y"));
        assertThat(h3.next().message()).isEqualTo("y");
        assertThat(h1.poll(Duration.ofMillis(200))).isNull();
        assertThat(h2.poll(Duration.ofMillis(50))).isNull();

        s3.close();
        s3.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub("ws:count") == 0);
        assertThat(a.stats().subscriptions()).isZero();
    }

    @Test
    void patternSubscriptionsReceiveTheConcreteChannel() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Collector rooms = new Collector();
        Subscription s = a.psubscribe("room:*", rooms);
        ready(s);
        assertThat(redis.numpat()).isGreaterThanOrEqualTo(1);
        published(b.publish("room:42", "hi"));
        published(b.publish("other", "not me"));
        published(b.publish("room:7", "there"));
        assertThat(rooms.next()).isEqualTo(new Collector.Received("room:42", "hi"));
        assertThat(rooms.next()).isEqualTo(new Collector.Received("room:7", "there"));
        s.close();
        a.punsubscribe("room:*", rooms);
    }

    @Test
    void namespacesIsolateInstances() {
        RedisPubSub app1 = create(b -> b.namespace("tenant:acme"));
        RedisPubSub app2 = create(b -> b.namespace("tenant:globex"));
        Collector acme = new Collector();
        Collector globex = new Collector();
        ready(app1.subscribe("news", acme));
        ready(app2.subscribe("news", globex));
        published(app2.publish("news", "for globex"));
        assertThat(globex.next().message()).isEqualTo("for globex");
        assertThat(acme.poll(Duration.ofMillis(300))).isNull();
        assertThat(redis.numsub("tenant:acme:news")).isEqualTo(1);
    }

    @Test
    void aThrowingHandlerIsIsolated() {
        RedisPubSub a = create();
        Collector good = new Collector();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        RedisPubSub withErrors = create(b -> b.onError(errors::add));
        ready(withErrors.subscribe("boom", (channel, message) -> {
            throw new IllegalStateException("handler bug");
        }));
        ready(withErrors.subscribe("boom", good));
        published(a.publish("boom", "one"));
        published(a.publish("boom", "two"));
        assertThat(good.next().message()).isEqualTo("one");
        assertThat(good.next().message()).isEqualTo("two");
        assertThat(withErrors.stats().handlerErrors()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> errors.size() >= 2);
        assertThat(errors.get(0)).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("channel boom").hasRootCauseMessage("handler bug");
    }

    @Test
    void garbageNeverStopsTheSubscriber() {
        RedisPubSub a = create(b -> b.deserializeMessage(payload -> {
            if (payload.startsWith("bad")) {
                throw new IllegalArgumentException("cannot parse " + payload);
            }
            return payload;
        }));
        Collector collector = new Collector();
        BlockingQueue<Point> points = new LinkedBlockingQueue<>();
        ready(a.subscribe("garbage", collector));
        ready(a.subscribe("points", Point.class, (channel, point) -> points.add(point)));
        String huge = "h".repeat(4 * 1024 * 1024);
        try (Jedis jedis = redis.newClient()) {
            jedis.publish("ws:garbage", "bad one");
            jedis.publish("ws:points", "{\"x\": oops");
            jedis.publish("ws:garbage", huge);
            jedis.publish("ws:garbage", "bad two");
            jedis.publish("ws:points", "{\"x\":5,\"y\":6}");
            jedis.publish("ws:garbage", "fine");
            jedis.publish("ws:garbage".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe});
            jedis.publish("ws:garbage", "last");
        }
        assertThat(collector.next().message()).isEqualTo(huge);
        assertThat(collector.next().message()).isEqualTo("fine");
        // the payload that is not UTF-8 is malformed, not delivered
        assertThat(collector.next().message()).isEqualTo("last");
        try {
            assertThat(points.poll(10, TimeUnit.SECONDS)).isEqualTo(new Point(5, 6));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(a.stats().malformed()).isEqualTo(4);
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void aPayloadLargerThanMaxReceivedMessageBytesIsCountedMalformedAndNotDelivered() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSub a = create(b -> b.maxReceivedMessageBytes(100).onError(errors::add));
        Collector collector = new Collector();
        ready(a.subscribe("sized", collector));
        try (Jedis jedis = redis.newClient()) {
            jedis.publish("ws:sized", "x".repeat(100));
            jedis.publish("ws:sized", "y".repeat(101));
            jedis.publish("ws:sized", "after");
        }
        assertThat(collector.next().message()).isEqualTo("x".repeat(100));
        assertThat(collector.next().message()).as("the 101-byte payload was dropped").isEqualTo("after");
        assertThat(a.stats().malformed()).isOne();
        // onError runs on the callback thread
        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors).anySatisfy(e -> assertThat(e).hasMessageContaining("is larger than maxReceivedMessageBytes"
                + " (101 bytes, at most 100)"));
    }

    @Test
    void aPayloadOrPatternChannelThatIsNotUtf8IsCountedMalformedAndNotDelivered() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSub a = create(b -> b.onError(errors::add));
        BlockingQueue<Object> untyped = new LinkedBlockingQueue<>();
        BlockingQueue<String> raw = new LinkedBlockingQueue<>();
        BlockingQueue<String> patterned = new LinkedBlockingQueue<>();
        ready(a.subscribe("utf8", (channel, message) -> untyped.add(message)));
        ready(a.subscribe("utf8", String.class, (channel, message) -> raw.add(message)));
        ready(a.psubscribe("utf8p:*", String.class, (channel, message) -> patterned.add(channel + "=" + message)));
        byte[] channel = "ws:utf8".getBytes(StandardCharsets.UTF_8);
        try (Jedis jedis = redis.newClient()) {
            jedis.publish(channel, new byte[] {'a', (byte) 0xff, 'b'});                 // not UTF-8 at all
            jedis.publish(channel, new byte[] {(byte) 0xc0, (byte) 0x80});              // overlong NUL
            jedis.publish(channel, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}); // an encoded surrogate
            jedis.publish(channel, "\ufffd stays: a real replacement character".getBytes(StandardCharsets.UTF_8));
            jedis.publish(new byte[] {'w', 's', ':', 'u', 't', 'f', '8', 'p', ':', (byte) 0xfe},
                    "x".getBytes(StandardCharsets.UTF_8));                                // the channel is not UTF-8
            jedis.publish("ws:utf8p:ok", "y");
            jedis.publish("ws:utf8", "after");
        }

        assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("\ufffd stays: a real replacement character");
        assertThat(raw.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(untyped.poll(10, TimeUnit.SECONDS)).isEqualTo("\ufffd stays: a real replacement character");
        assertThat(untyped.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(patterned.poll(10, TimeUnit.SECONDS)).isEqualTo("utf8p:ok=y");
        assertThat(patterned).isEmpty();
        assertThat(a.stats().malformed()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() >= 4);
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("it was dropped"));
    }

    @Test
    void orderIsKeptForConcurrentPublishersPerPublisherThread() throws Exception {
        RedisPubSub a = create();
        RedisPubSub b = create();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        ready(b.subscribe("order", String.class, (channel, text) -> got.add(text)));
        int threads = 4;
        int perThread = 5000;
        List<Thread> publishers = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            publishers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    futures.add(a.publish("order", id + ":" + i).toCompletableFuture());
                }
            }));
        }
        publishers.forEach(Thread::start);
        for (Thread t : publishers) {
            t.join(30_000);
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            String message = got.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("message " + n).isNotNull();
            int id = Integer.parseInt(message.substring(0, message.indexOf(':')));
            int seq = Integer.parseInt(message.substring(message.indexOf(':') + 1));
            assertThat(seq).as("order of publisher " + id).isEqualTo(next[id]);
            next[id]++;
        }
        assertThat(a.stats().published()).isEqualTo(threads * perThread);
    }

    @Test
    void invalidChannelsAreRejected() {
        RedisPubSub a = create();
        MessageHandler handler = (channel, message) -> { };
        assertThatThrownBy(() -> a.subscribe("", handler)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> a.subscribe("has space", handler)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.subscribe("ws:chat", handler)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> a.publish("bad\nname", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.subscribe("ok", (MessageHandler) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handler");
    }

    @Test
    void destroyIsIdempotentAndFailsLaterCallsClearly() {
        RedisPubSub a = create();
        Subscription s = a.subscribe("gone", new Collector());
        ready(s);
        a.destroy();
        a.destroy();
        assertThat(a.isConnected()).isFalse();
        assertThatThrownBy(() -> a.subscribe("gone", new Collector()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> Probes.join(a.publish("gone", "x")))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RedisPubSubException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("destroyed");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub("ws:gone") == 0);
    }

    @Test
    void subscribeWhileDisconnectedCompletesReadyAfterConnecting() throws Exception {
        RedisPubSub a = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).build());
        instances.add(a);
        Subscription s = a.subscribe("early", new Collector());
        s.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(redis.numsub("ws:early")).isEqualTo(1);
    }

    @Test
    void manySubscribeUnsubscribeCyclesLeakNothing() throws ExecutionException, InterruptedException {
        RedisPubSub a = create(b -> b.clientName("cycles"));
        assertThat(threadsNamed("cycles#")).as("threads of the instance").isEqualTo(6);
        for (int i = 0; i < 1000; i++) {
            Subscription s = a.subscribe("cycle:" + (i % 10), new Collector());
            if (i % 100 == 0) {
                ready(s);
            }
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.stats().subscriptions() == 0);
        for (int i = 0; i < 10; i++) {
            int n = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub("ws:cycle:" + n) == 0);
        }
        try (Jedis jedis = redis.newClient()) {
            long ours = jedis.clientList().lines().filter(l -> l.contains("name=cycles-")).count();
            assertThat(ours).as("connections of the instance").isEqualTo(2);
        }
        a.destroy();
        try (Jedis jedis = redis.newClient()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jedis.clientList().lines().noneMatch(l -> l.contains("name=cycles-")));
        }
        assertThat(threadsNamed("cycles#")).as("threads left after destroy").isZero();
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
