package dev.wskit.redis.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.TypedMessageHandler;

/**
 * The behaviour every {@link RedisPubSub} implementation must show, run against Redis ({@code RedisPubSubContractIT})
 * and against {@code InMemoryRedisPubSub} ({@code InMemoryRedisPubSubContractTest}).
 *
 * <p>The Redis implementation delivers on its own thread, so every expectation of a message is a bounded poll, and
 * every expectation that a message did <em>not</em> arrive publishes a marker afterwards on the same connection and
 * checks that the marker is what arrives first (Redis delivers in order).
 */
public abstract class RedisPubSubContract {

    /** A type for JSON-B conversion. */
    public record Order(String id, int quantity) {
    }

    private final List<RedisPubSub> instances = new ArrayList<>();

    /**
     * Create a connected instance; all instances of one test share one Redis (or one broker).
     *
     * @param customizer adds options; the connection options are set by the subclass
     */
    protected abstract RedisPubSub connect(Consumer<RedisPubSubOptions.Builder> customizer);

    /** {@code PUBSUB NUMSUB wireChannel}. */
    protected abstract long numsub(String wireChannel);

    /** {@code PUBSUB NUMPAT}. */
    protected abstract long numpat();

    /** {@code PUBLISH wireChannel payload} by another client. */
    protected abstract void publishRaw(String wireChannel, String payload);

    /** Subscribe another client to a channel on the wire; its payloads are read with {@link RawSubscriber#next()}. */
    protected abstract RawSubscriber rawSubscribe(String wireChannel);

    /**
     * Interrupt the subscriber of {@code pubsub} (created with the client name {@code clientName}) and return once
     * it is connected again: against Redis, {@code CLIENT KILL} of its subscriber connection; in memory,
     * {@code simulateDisconnect()} then {@code simulateReconnect()}.
     */
    protected abstract void interruptSubscriber(RedisPubSub pubsub, String clientName);

    /** Another client's subscription to one channel on the wire. */
    protected interface RawSubscriber extends AutoCloseable {

        /** The next payload, waiting a bounded time. */
        String next();

        @Override
        void close();
    }

    private RedisPubSub create() {
        return create(b -> { });
    }

    private RedisPubSub create(Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSub pubsub = connect(customizer);
        instances.add(pubsub);
        return pubsub;
    }

    @AfterEach
    void destroyAll() {
        instances.forEach(RedisPubSub::destroy);
    }

    private static <T> T done(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(Received.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("stage did not complete normally within " + Received.TIMEOUT, e);
        }
    }

    private static Subscription ready(Subscription subscription) {
        done(subscription.ready());
        return subscription;
    }

    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(Received.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("stage did not fail within " + Received.TIMEOUT, e);
        }
        throw new AssertionError("stage completed normally, expected a failure");
    }

    // ------------------------------------------------------------------------------------------ wire format

    static Stream<Arguments> wireFormat() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("user", "ann");
        map.put("n", 2);
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        String base64 = Base64.getEncoder().encodeToString(bytes);
        return Stream.of(
                Arguments.of("String", "hello world", "hello world", "hello world"),
                Arguments.of("String that is JSON", "42", "42", new BigDecimal("42")),
                Arguments.of("String, not ASCII", "grüße 👋", "grüße 👋", "grüße 👋"),
                Arguments.of("Map", map, "{\"user\":\"ann\",\"n\":2}",
                        Map.of("user", "ann", "n", new BigDecimal("2"))),
                Arguments.of("List", List.of("a", 1, true), "[\"a\",1,true]",
                        List.of("a", new BigDecimal("1"), true)),
                Arguments.of("record", new Order("o-1", 3), "{\"id\":\"o-1\",\"quantity\":3}",
                        Map.of("id", "o-1", "quantity", new BigDecimal("3"))),
                Arguments.of("array", new int[] {1, 2}, "[1,2]", List.of(new BigDecimal("1"), new BigDecimal("2"))),
                Arguments.of("Integer", 42, "42", new BigDecimal("42")),
                Arguments.of("Long", 1L << 40, "1099511627776", new BigDecimal("1099511627776")),
                Arguments.of("Double", 3.5, "3.5", new BigDecimal("3.5")),
                Arguments.of("BigDecimal", new BigDecimal("0.10"), "0.10", new BigDecimal("0.10")),
                Arguments.of("Boolean", true, "true", true),
                Arguments.of("null", null, "null", null),
                Arguments.of("byte[]", bytes, base64, base64),
                Arguments.of("ByteBuffer", ByteBuffer.wrap(bytes), base64, base64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wireFormat")
    void everyRowOfTheWireFormatRoundTrips(String row, Object published, String payload, Object untyped) {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received raw = new Received();
        Received decoded = new Received();
        ready(b.subscribe("wire", String.class, raw.typed()));
        ready(b.subscribe("wire", decoded));
        try (RawSubscriber onTheWire = rawSubscribe("ws:wire")) {
            done(a.publish("wire", published));

            assertThat(onTheWire.next()).as("payload on the wire").isEqualTo(payload);
        }
        assertThat(raw.next()).isEqualTo(new Received.Message("wire", payload));
        assertThat(decoded.next()).isEqualTo(new Received.Message("wire", untyped));
    }

    @Test
    void aPayloadFromAnotherClientArrivesDeserialized() {
        RedisPubSub a = create();
        Received received = new Received();
        ready(a.subscribe("chat", received));

        publishRaw("ws:chat", "{\"text\":\"hi\"}");
        publishRaw("ws:chat", "plain text");

        assertThat(received.next()).isEqualTo(new Received.Message("chat", Map.of("text", "hi")));
        assertThat(received.next()).isEqualTo(new Received.Message("chat", "plain text"));
    }

    @Test
    void theConfiguredSerializerAndDeserializerAreUsed() {
        RedisPubSub a = create(b -> b.serializeMessage(m -> "<" + m + ">").deserializeMessage(p -> p.length()));
        Received raw = new Received();
        Received decoded = new Received();
        ready(a.subscribe("custom", String.class, raw.typed()));
        ready(a.subscribe("custom", decoded));

        done(a.publish("custom", "abc"));

        assertThat(raw.nextMessage()).isEqualTo("<abc>");
        assertThat(decoded.nextMessage()).isEqualTo(5);
    }

    @Test
    void aSerializerThatThrowsFailsThePublish() {
        RedisPubSub a = create(b -> b.serializeMessage(m -> {
            throw new IllegalArgumentException("no");
        }));

        assertThat(failure(a.publish("x", "m"))).isInstanceOf(RedisPubSubException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(a.stats().publishFailures()).isEqualTo(1);
        assertThat(a.stats().published()).isZero();
    }

    // ------------------------------------------------------------------------------------------ typed

    @Test
    void aStringHandlerGetsThePayloadUntouched() {
        RedisPubSub a = create();
        Received typed = new Received();
        ready(a.subscribe("t", String.class, typed.typed()));

        done(a.publish("t", "{\"a\": 1}"));

        assertThat(typed.nextMessage()).isEqualTo("{\"a\": 1}");
    }

    @Test
    void aByteArrayHandlerGetsTheBytes() {
        RedisPubSub a = create();
        Received typed = new Received();
        ready(a.subscribe("t", byte[].class, typed.typed()));
        byte[] bytes = "bytes\u0000\u00ff".getBytes(StandardCharsets.UTF_8);

        done(a.publish("t", bytes));

        assertThat((byte[]) typed.nextMessage()).isEqualTo(bytes);
    }

    @Test
    void aRecordHandlerGetsTheRecordThroughJsonB() {
        RedisPubSub a = create();
        Received typed = new Received();
        ready(a.subscribe("orders", Order.class, typed.typed()));

        done(a.publish("orders", new Order("o-7", 2)));
        done(a.publish("orders", Map.of("id", "o-8", "quantity", 5)));

        assertThat(typed.nextMessage()).isEqualTo(new Order("o-7", 2));
        assertThat(typed.nextMessage()).isEqualTo(new Order("o-8", 5));
    }

    @Test
    void aPayloadThatCannotBeConvertedIsCountedAsMalformedAndOtherHandlersStillGetIt() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSub a = create(b -> b.onError(errors::add));
        Received orders = new Received();
        Received untyped = new Received();
        ready(a.subscribe("orders", Order.class, orders.typed()));
        ready(a.subscribe("orders", untyped));

        done(a.publish("orders", "not json"));
        done(a.publish("orders", new Order("o-1", 1)));

        assertThat(untyped.nextMessage()).isEqualTo("not json");
        assertThat(orders.nextMessage()).as("the first message was dropped for this handler")
                .isEqualTo(new Order("o-1", 1));
        assertThat(a.stats().malformed()).isEqualTo(1);
        await().atMost(Received.TIMEOUT).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).isInstanceOf(RedisPubSubException.class).hasMessageContaining("orders");
    }

    @Test
    void aDeserializerThatThrowsDropsTheMessageForUntypedHandlersOnly() {
        RedisPubSub a = create(b -> b.deserializeMessage(p -> {
            if (p.equals("bad")) {
                throw new IllegalArgumentException("bad payload");
            }
            return p;
        }));
        Received untyped = new Received();
        Received raw = new Received();
        ready(a.subscribe("d", untyped));
        ready(a.subscribe("d", String.class, raw.typed()));

        done(a.publish("d", "bad"));
        done(a.publish("d", "good"));

        assertThat(raw.nextMessage()).isEqualTo("bad");
        assertThat(untyped.nextMessage()).isEqualTo("good");
        assertThat(a.stats().malformed()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ namespaces

    @Test
    void channelsAreNamespacedOnTheWire() {
        RedisPubSub a = create(b -> b.namespace("app1"));
        Received received = new Received();
        ready(a.subscribe("chat:room", received));

        assertThat(numsub("app1:chat:room")).isEqualTo(1);
        assertThat(numsub("chat:room")).isZero();
        assertThat(numsub("ws:chat:room")).isZero();

        publishRaw("app1:chat:room", "from outside");
        assertThat(received.next()).isEqualTo(new Received.Message("chat:room", "from outside"));

        try (RawSubscriber onTheWire = rawSubscribe("app1:news")) {
            done(a.publish("news", "out"));
            assertThat(onTheWire.next()).isEqualTo("out");
        }
    }

    @Test
    void instancesWithDifferentNamespacesDoNotSeeEachOther() {
        RedisPubSub app1 = create(b -> b.namespace("app1"));
        RedisPubSub app1Publisher = create(b -> b.namespace("app1"));
        RedisPubSub app2 = create(b -> b.namespace("app2"));
        Received on1 = new Received();
        Received on2 = new Received();
        ready(app1.subscribe("chat", on1));
        ready(app2.subscribe("chat", on2));

        done(app2.publish("chat", "for app2"));
        done(app1Publisher.publish("chat", "for app1"));

        assertThat(on1.nextMessage()).as("app2's message never reached app1").isEqualTo("for app1");
        assertThat(on2.nextMessage()).isEqualTo("for app2");
    }

    @Test
    void theDefaultNamespaceIsWs() {
        RedisPubSub a = create();
        ready(a.subscribe("x", new Received()));

        assertThat(numsub("ws:x")).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ patterns

    @Test
    void aPatternHandlerGetsTheConcreteChannelWithoutTheNamespace() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received received = new Received();
        Subscription s = ready(a.psubscribe("room:*", received));

        done(b.publish("room:42", "hi"));
        done(b.publish("room:lobby", Map.of("n", 1)));

        assertThat(s.isPattern()).isTrue();
        assertThat(s.channel()).isEqualTo("room:*");
        assertThat(received.next()).isEqualTo(new Received.Message("room:42", "hi"));
        assertThat(received.next()).isEqualTo(new Received.Message("room:lobby", Map.of("n", new BigDecimal("1"))));
    }

    @Test
    void aTypedPatternHandlerConvertsLikeATypedChannelHandler() {
        RedisPubSub a = create();
        Received received = new Received();
        ready(a.psubscribe("orders:*", Order.class, received.typed()));

        done(a.publish("orders:eu", new Order("o-2", 4)));

        assertThat(received.next()).isEqualTo(new Received.Message("orders:eu", new Order("o-2", 4)));
    }

    static Stream<Arguments> globs() {
        return Stream.of(
                Arguments.of("room:*", "room:1", true),
                Arguments.of("room:*", "room:", true),
                Arguments.of("room:*", "lobby:1", false),
                Arguments.of("*", "anything:at:all", true),
                Arguments.of("r?om", "room", true),
                Arguments.of("r?om", "rom", false),
                Arguments.of("r?m", "r\u00e9m", false),
                Arguments.of("r??m", "r\u00e9m", true),
                Arguments.of("[abc]x", "bx", true),
                Arguments.of("[abc]x", "dx", false),
                Arguments.of("[^abc]x", "dx", true),
                Arguments.of("[^abc]x", "ax", false),
                Arguments.of("[a-c]x", "bx", true),
                Arguments.of("[c-a]x", "bx", true),
                Arguments.of("[a-c]x", "dx", false),
                Arguments.of("a\\*b", "a*b", true),
                Arguments.of("a\\*b", "axb", false),
                Arguments.of("a\\?", "a?", true),
                Arguments.of("a[\\]]", "a]", true),
                Arguments.of("a[", "a[", false),
                Arguments.of("a[b", "ab", true),
                Arguments.of("*:end", "x:y:end", true),
                Arguments.of("*:end", "x:y:ends", false),
                Arguments.of("a*b*c", "aXXbYYc", true),
                Arguments.of("a*b*c", "aXXbYY", false),
                Arguments.of("Room", "room", false),
                Arguments.of("a\\", "a\\", true),
                Arguments.of("a[]b", "ab", false),
                Arguments.of("a**b", "axyb", true),
                Arguments.of("[a-]x", "-x", false),
                Arguments.of("[a-]x", "]", true),
                Arguments.of("[!a]", "b", false),
                Arguments.of("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("globs")
    void patternsMatchAsRedisMatchesThem(String pattern, String channel, boolean matches) {
        RedisPubSub a = create();
        Received received = new Received();
        ready(a.psubscribe(pattern, received));
        ready(a.subscribe("marker", received));

        // channel names with glob characters cannot be published through the API: publish as another client would
        publishRaw("ws:" + channel, "candidate");
        publishRaw("ws:marker", "marker");

        if (matches) {
            assertThat(received.next()).isEqualTo(new Received.Message(channel, "candidate"));
        }
        assertThat(received.next()).isEqualTo(new Received.Message("marker", "marker"));
    }

    @Test
    void aChannelAndAMatchingPatternEachDeliverTheMessage() {
        RedisPubSub a = create();
        Received byChannel = new Received();
        Received byPattern = new Received();
        ready(a.subscribe("news:eu", byChannel));
        ready(a.psubscribe("news:*", byPattern));

        done(a.publish("news:eu", "one"));

        assertThat(byChannel.nextMessage()).isEqualTo("one");
        assertThat(byPattern.nextMessage()).isEqualTo("one");
        await().atMost(Received.TIMEOUT).until(() -> a.stats().received() == 2);
    }

    // ------------------------------------------------------------------------------------------ unsubscribe

    @Test
    void closingTheLastSubscriptionOfAChannelUnsubscribes() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received first = new Received();
        Received second = new Received();
        Received marker = new Received();
        Subscription s1 = ready(a.subscribe("c", first));
        Subscription s2 = ready(a.subscribe("c", second));
        ready(a.subscribe("marker", marker));
        assertThat(numsub("ws:c")).as("one Redis subscription per channel per instance").isEqualTo(1);

        s1.close();
        s1.close();
        done(b.publish("c", "after first close"));
        assertThat(second.nextMessage()).isEqualTo("after first close");
        assertThat(numsub("ws:c")).isEqualTo(1);

        s2.close();
        await().atMost(Received.TIMEOUT).until(() -> numsub("ws:c") == 0);
        done(b.publish("c", "after both closed"));
        done(b.publish("marker", "marker"));

        assertThat(marker.nextMessage()).isEqualTo("marker");
        assertThat(first.isEmpty()).isTrue();
        assertThat(second.isEmpty()).isTrue();
        assertThat(a.stats().subscriptions()).isEqualTo(1);
    }

    @Test
    void unsubscribeRemovesTheHandler() {
        RedisPubSub a = create();
        Received removed = new Received();
        Received kept = new Received();
        ready(a.subscribe("c", removed));
        ready(a.subscribe("c", kept));

        a.unsubscribe("c", removed);
        a.unsubscribe("c", (channel, message) -> { });
        done(a.publish("c", "m"));

        assertThat(kept.nextMessage()).isEqualTo("m");
        assertThat(removed.isEmpty()).isTrue();
    }

    @Test
    void typedUnsubscribeRemovesTheTypedHandlerAndReleasesTheChannel() {
        RedisPubSub a = create();
        Received removed = new Received();
        Received kept = new Received();
        TypedMessageHandler<String> typed = removed.typed();
        ready(a.subscribe("c", String.class, typed));
        ready(a.subscribe("c", kept));

        a.unsubscribe("c", String.class, typed);
        a.unsubscribe("c", String.class, removed.typed());
        done(a.publish("c", "m"));

        assertThat(kept.nextMessage()).isEqualTo("m");
        assertThat(removed.isEmpty()).isTrue();

        Received last = new Received();
        TypedMessageHandler<String> lastTyped = last.typed();
        ready(a.subscribe("t", String.class, lastTyped));
        assertThat(numsub("ws:t")).isEqualTo(1);
        a.unsubscribe("t", String.class, lastTyped);
        await().atMost(Received.TIMEOUT).until(() -> numsub("ws:t") == 0);
        assertThat(a.stats().subscriptions()).isEqualTo(1);
    }

    @Test
    void typedUnsubscribeRemovesOnlyTheRegistrationWithThatType() {
        RedisPubSub a = create();
        Received asText = new Received();
        TypedMessageHandler<Object> handler = asText.typed();
        ready(a.subscribe("c", String.class, handler));

        a.unsubscribe("c", Object.class, handler);
        a.unsubscribe("c", (MessageHandler) (channel, message) -> { });
        done(a.publish("c", "still here"));

        assertThat(asText.nextMessage()).isEqualTo("still here");
    }

    @Test
    void typedPunsubscribeRemovesThePatternHandler() {
        RedisPubSub a = create();
        long before = numpat();
        Received byPattern = new Received();
        Received marker = new Received();
        TypedMessageHandler<String> typed = byPattern.typed();
        ready(a.psubscribe("p:*", String.class, typed));
        ready(a.subscribe("marker", marker));
        assertThat(numpat()).isEqualTo(before + 1);

        a.punsubscribe("p:*", String.class, typed);
        await().atMost(Received.TIMEOUT).until(() -> numpat() == before);
        done(a.publish("p:1", "m"));
        done(a.publish("marker", "marker"));

        assertThat(marker.nextMessage()).isEqualTo("marker");
        assertThat(byPattern.isEmpty()).isTrue();
    }

    @Test
    void punsubscribeRemovesThePatternHandler() {
        RedisPubSub a = create();
        long before = numpat();
        Received byPattern = new Received();
        Received marker = new Received();
        ready(a.psubscribe("p:*", byPattern));
        ready(a.subscribe("marker", marker));
        assertThat(numpat()).isEqualTo(before + 1);

        a.punsubscribe("p:*", byPattern);
        await().atMost(Received.TIMEOUT).until(() -> numpat() == before);
        done(a.publish("p:1", "m"));
        done(a.publish("marker", "marker"));

        assertThat(marker.nextMessage()).isEqualTo("marker");
        assertThat(byPattern.isEmpty()).isTrue();
    }

    @Test
    void aSubscriptionClosedBeforeItWasAcknowledgedFailsItsReadyStageOrIsAcknowledged() {
        RedisPubSub a = create();
        Subscription s = a.subscribe("c", new Received());

        s.close();

        // acknowledged before the close, or failed by it: never left pending
        try {
            s.ready().toCompletableFuture().get(Received.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RedisPubSubException.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------ handlers

    @Test
    void aHandlerThatThrowsDoesNotAffectTheOthers() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSub a = create(b -> b.onError(errors::add));
        Received after = new Received();
        ready(a.subscribe("c", (channel, message) -> {
            throw new IllegalStateException("handler bug");
        }));
        ready(a.subscribe("c", after));

        CompletionStage<Void> stage = a.publish("c", "one");
        done(stage);
        done(a.publish("c", "two"));

        assertThat(after.nextMessage()).isEqualTo("one");
        assertThat(after.nextMessage()).isEqualTo("two");
        assertThat(a.stats().handlerErrors()).isEqualTo(2);
        await().atMost(Received.TIMEOUT).until(() -> errors.size() == 2);
        assertThat(errors.get(0)).isInstanceOf(RedisPubSubException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHandlerMayPublish() {
        RedisPubSub a = create();
        Received replies = new Received();
        ready(a.subscribe("requests", (channel, message) -> a.publish("replies", "re: " + message)));
        ready(a.subscribe("replies", replies));

        done(a.publish("requests", "one"));
        done(a.publish("requests", "two"));

        assertThat(replies.nextMessage()).isEqualTo("re: one");
        assertThat(replies.nextMessage()).isEqualTo("re: two");
    }

    @Test
    void messagesOfOnePublisherArriveInOrder() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received received = new Received();
        ready(b.subscribe("seq", received));

        for (int i = 0; i < 100; i++) {
            a.publish("seq", i);
        }

        for (int i = 0; i < 100; i++) {
            assertThat(received.nextMessage()).isEqualTo(new BigDecimal(i));
        }
    }

    // ------------------------------------------------------------------------------------------ validation

    @Test
    void invalidChannelNamesAreRejected() {
        RedisPubSub a = create();
        MessageHandler handler = (channel, message) -> { };
        for (String bad : Arrays.asList(null, "", "a b", "tab\t", "a*", "a?", "a[1]", "ws:chat", "x".repeat(1025))) {
            assertThatThrownBy(() -> a.publish(bad, "m")).as("publish %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.subscribe(bad, handler)).as("subscribe %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.subscribe(bad, String.class, (c, m) -> { })).as("typed %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.unsubscribe(bad, handler)).as("unsubscribe %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : Arrays.asList(null, "", "a *", "ws:*", "line\n")) {
            assertThatThrownBy(() -> a.psubscribe(bad, handler)).as("psubscribe %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.punsubscribe(bad, handler)).as("punsubscribe %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(a.stats().subscriptions()).isZero();
        assertThat(a.stats().publishFailures()).isZero();
    }

    @Test
    void nullHandlersAndTypesAreRejected() {
        RedisPubSub a = create();

        assertThatThrownBy(() -> a.subscribe("c", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.subscribe("c", null, (c, m) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.subscribe("c", String.class, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.psubscribe("c*", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.unsubscribe("c", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.unsubscribe("c", String.class, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.unsubscribe("c", null, (c, m) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.punsubscribe("c*", String.class, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.unsubscribe("bad channel", String.class, (c, m) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void aNewInstanceIsConnected() {
        RedisPubSub a = create();

        assertThat(a.isConnected()).isTrue();
        done(a.connected());
    }

    @Test
    void afterDestroyPublishFailsAndSubscribeThrows() {
        RedisPubSub a = create();
        Subscription s = ready(a.subscribe("c", new Received()));

        a.destroy();
        a.destroy();

        assertThat(a.isConnected()).isFalse();
        Throwable publishFailure = failure(a.publish("c", "m"));
        assertThat(publishFailure).isInstanceOf(RedisPubSubException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.subscribe("c", new Received())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.subscribe("c", String.class, (c, m) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.psubscribe("c*", new Received())).isInstanceOf(IllegalStateException.class);
        assertThat(failure(a.connected())).isInstanceOf(RedisPubSubException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.publish("bad name", "m")).isInstanceOf(IllegalArgumentException.class);
        s.close();
        assertThat(a.stats().publishFailures()).isEqualTo(1);
    }

    @Test
    void aDestroyedInstanceNoLongerReceives() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received received = new Received();
        ready(a.subscribe("c", received));
        Received marker = new Received();
        ready(b.subscribe("c", marker));

        a.destroy();
        await().atMost(Received.TIMEOUT).until(() -> numsub("ws:c") == 1);
        done(b.publish("c", "m"));

        assertThat(marker.nextMessage()).isEqualTo("m");
        assertThat(received.isEmpty()).isTrue();
    }

    @Test
    void closeIsDestroy() {
        RedisPubSub a = create();

        a.close();

        assertThat(a.isConnected()).isFalse();
        assertThatThrownBy(() -> a.subscribe("c", new Received())).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------------------------------ stats

    @Test
    void statsCountWhatHappened() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        Received received = new Received();
        ready(b.subscribe("s1", received));
        ready(b.subscribe("s1", (channel, message) -> {
            throw new IllegalStateException("counted");
        }));
        ready(b.psubscribe("s*", received));
        ready(b.subscribe("s2", String.class, received.typed()));

        done(a.publish("s1", "x"));
        done(a.publish("s2", "y"));
        done(a.publish("other", "z"));

        for (int i = 0; i < 4; i++) {
            received.next();
        }
        await().atMost(Received.TIMEOUT).until(() -> b.stats().received() == 4);
        RedisPubSubStats stats = b.stats();
        assertThat(stats.received()).as("s1, s1 by pattern, s2, s2 by pattern").isEqualTo(4);
        assertThat(stats.handlerErrors()).isEqualTo(1);
        assertThat(stats.subscriptions()).as("s1, s*, s2").isEqualTo(3);
        assertThat(stats.malformed()).isZero();
        assertThat(stats.published()).isZero();
        assertThat(a.stats().published()).isEqualTo(3);
        assertThat(a.stats().publishFailures()).isZero();
        assertThat(a.stats().received()).isZero();
        assertThat(a.stats().reconnects()).isZero();
    }

    @Test
    void publishCompletesNormally() {
        RedisPubSub a = create();

        assertThat(done(a.publish("nobody:listens", "m"))).isNull();
        assertThatThrownBy(() -> a.publish("c", Double.NaN).toCompletableFuture()
                .orTimeout(30, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RedisPubSubException.class);
    }

    // ---------------------------------------------------------------- subscription gaps

    /** A handler that records its messages and its gaps. */
    static final class GapRecorder implements TypedMessageHandler<String> {

        final Received received = new Received();
        final List<SubscriptionGap> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message) {
            received.onMessage(channel, message);
        }

        @Override
        public void onGap(SubscriptionGap gap) {
            gaps.add(gap);
        }

        /** The same recorder as an untyped handler. */
        MessageHandler untyped() {
            return new MessageHandler() {
                @Override
                public void onMessage(String channel, Object message) {
                    received.onMessage(channel, message);
                }

                @Override
                public void onGap(SubscriptionGap gap) {
                    gaps.add(gap);
                }
            };
        }

        SubscriptionGap awaitGap() {
            await("a subscription gap").atMost(Received.TIMEOUT).until(() -> !gaps.isEmpty());
            return gaps.get(0);
        }
    }

    /** Publish a marker on {@code channel} and wait until {@code recorder} has it: what came before was handled. */
    private static void roundTrip(RedisPubSub publisher, String channel, GapRecorder recorder, String marker) {
        done(publisher.publish(channel, marker));
        assertThat(recorder.received.nextMessage()).isEqualTo(marker);
    }

    @Test
    void aSubscriptionInForceIsToldOnceOfTheGapWhenItsSubscriberWasInterrupted() {
        RedisPubSub a = create();
        RedisPubSub b = create(o -> o.clientName("gaps-b"));
        GapRecorder typed = new GapRecorder();
        GapRecorder untyped = new GapRecorder();
        ready(b.subscribe("gap:typed", String.class, typed));
        ready(b.subscribe("gap:untyped", untyped.untyped()));
        roundTrip(a, "gap:typed", typed, "before");
        Instant interrupted = Instant.now();

        interruptSubscriber(b, "gaps-b");

        SubscriptionGap gap = typed.awaitGap();
        Instant after = Instant.now();
        assertThat(gap.channel()).isEqualTo("gap:typed");
        assertThat(gap.isPattern()).isFalse();
        assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
        // from: the last moment the subscription was known in force, at the latest when it was interrupted
        assertThat(gap.from()).isBeforeOrEqualTo(gap.to());
        assertThat(gap.to()).isAfterOrEqualTo(interrupted).isBeforeOrEqualTo(after);
        assertThat(untyped.awaitGap().channel()).isEqualTo("gap:untyped");
        // messages flow again, and the gap is told once
        roundTrip(a, "gap:typed", typed, "after");
        roundTrip(a, "gap:untyped", untyped, "after");
        await().atMost(Received.TIMEOUT).until(() -> b.stats().subscriptionGaps() == 2);
        assertThat(typed.gaps).hasSize(1);
        assertThat(untyped.gaps).hasSize(1);
    }

    @Test
    void aPatternSubscriptionIsToldOfItsGap() {
        RedisPubSub a = create();
        RedisPubSub b = create(o -> o.clientName("gaps-p"));
        GapRecorder recorder = new GapRecorder();
        ready(b.psubscribe("gapp:*", String.class, recorder));
        roundTrip(a, "gapp:1", recorder, "before");

        interruptSubscriber(b, "gaps-p");

        SubscriptionGap gap = recorder.awaitGap();
        assertThat(gap.channel()).isEqualTo("gapp:*");
        assertThat(gap.isPattern()).isTrue();
        roundTrip(a, "gapp:2", recorder, "after");
        assertThat(recorder.gaps).hasSize(1);
    }

    @Test
    void noGapWhileTheSubscriberStaysConnected() {
        RedisPubSub a = create();
        RedisPubSub b = create();
        GapRecorder recorder = new GapRecorder();
        ready(b.subscribe("gap:quiet", String.class, recorder));
        for (int i = 0; i < 20; i++) {
            roundTrip(a, "gap:quiet", recorder, "m" + i);
        }

        assertThat(recorder.gaps).isEmpty();
        assertThat(b.stats().subscriptionGaps()).isZero();
    }

    @Test
    void aChannelWithHistoryIsNotToldOfAGapItRecovers() {
        String room = "gaph:" + UUID.randomUUID();
        RedisPubSub a = create();
        RedisPubSub b = create(o -> o.clientName("gaps-h"));
        GapRecorder plain = new GapRecorder();
        List<String> history = new CopyOnWriteArrayList<>();
        ready(b.subscribeWithHistory(room, String.class, null, (channel, message, position) -> history.add(message)));
        ready(b.subscribe("gap:plain", String.class, plain));
        StreamPosition first = done(a.publishWithHistory(room, "one"));
        await().atMost(Received.TIMEOUT).until(() -> history.contains("one"));

        interruptSubscriber(b, "gaps-h");

        // the plain subscription's gap is told on the same thread as any other, so it is the sync point
        plain.awaitGap();
        done(a.publishWithHistory(room, "two"));
        await().atMost(Received.TIMEOUT).until(() -> history.contains("two"));
        assertThat(first).isNotNull();
        assertThat(b.stats().subscriptionGaps()).as("the plain channel's only").isEqualTo(1);
    }


    @Test
    void historyGivesContiguousPositionsAndReadsThemBack() {
        // a channel of its own: the shared Redis keeps histories between runs
        String room = "h:room:" + java.util.UUID.randomUUID();
        RedisPubSub a = create();
        StreamPosition first = done(a.publishWithHistory(room, "one"));
        StreamPosition second = done(a.publishWithHistory(room, Map.of("n", 2)));

        assertThat(second).isEqualTo(StreamPosition.of(first.offset() + 1, first.epoch()));
        History read = done(a.history(room, first, 10));
        assertThat(read.recoverable()).isTrue();
        assertThat(read.entries()).extracting(History.Entry::payload).containsExactly("{\"n\":2}");
        assertThat(read.position()).isEqualTo(second);
        History foreign = done(a.history(room, StreamPosition.of(second.offset(), "another"), 10));
        assertThat(foreign.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
        assertThat(foreign.entries()).as("from the oldest kept").extracting(History.Entry::position)
                .startsWith(first, second);
    }

    @Test
    void aHistorySubscriberResumesFromAPositionThenReceivesLiveMessagesInOrder() {
        String resume = "h:resume:" + java.util.UUID.randomUUID();
        RedisPubSub a = create();
        RedisPubSub b = create();
        StreamPosition first = done(a.publishWithHistory(resume, "one"));
        done(a.publishWithHistory(resume, "two"));
        List<String> got = new CopyOnWriteArrayList<>();

        Subscription s = b.subscribeWithHistory(resume, String.class, first,
                (channel, message, position) -> got.add(channel + " " + position.offset() + " " + message));
        done(s.ready());
        await().atMost(Received.TIMEOUT).until(() -> got.size() == 1);
        done(a.publishWithHistory(resume, "three"));

        await().atMost(Received.TIMEOUT).until(() -> got.size() == 2);
        assertThat(got).containsExactly(resume + " " + (first.offset() + 1) + " two",
                resume + " " + (first.offset() + 2) + " three");
    }

    @Test
    void aMessageWithHistoryTravelsInItsEnvelopeAndTrimmedMessagesAreReportedLost() {
        String env = "h:env:" + java.util.UUID.randomUUID();
        RedisPubSub a = create(b -> b.historySize(3));
        try (RawSubscriber raw = rawSubscribe("ws:" + env)) {
            StreamPosition p = done(a.publishWithHistory(env, "hi"));
            assertThat(raw.next()).isEqualTo("w1:" + p.offset() + ":" + p.epoch() + ":hi");
        }
        StreamPosition first = done(a.history(env, null, 0)).position();
        for (int i = 0; i < 300; i++) {
            a.publishWithHistory(env, "m" + i);
        }
        StreamPosition last = done(a.publishWithHistory(env, "last"));

        History read = done(a.history(env, first, 1000));
        assertThat(read.recoverable()).isFalse();
        assertThat(read.reason()).isEqualTo(MessageLoss.Reason.NOT_IN_HISTORY);
        assertThat(read.entries()).isNotEmpty().hasSizeLessThan(200);
        assertThat(read.entries().get(read.entries().size() - 1).position()).isEqualTo(last);
    }

}
