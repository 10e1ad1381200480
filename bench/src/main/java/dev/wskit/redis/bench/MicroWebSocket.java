package dev.wskit.redis.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.StatsValues;
import dev.wskit.redis.internal.websocket.delivery.RoomRegistry;
import dev.wskit.redis.internal.websocket.delivery.SendQueue;
import dev.wskit.redis.websocket.OverflowPolicy;

/**
 * JMH microbenchmarks of the WebSocket layer's hot paths and of the core's channel routing, all on the library's own
 * classes:
 * <ul>
 *   <li>{@code sendQueue*}: the per-session bounded outbound queue ({@code SendQueue}). {@code Inline}: the container
 *       completes each send inside {@code sendText} (WildFly can), so every offer sends at once. {@code Queued}: a
 *       send is in flight, 15 more messages queue behind it, then the container completes them one by one on its
 *       own thread, as Tyrus and Liberty do; per message.</li>
 *   <li>{@code route*}: a message arriving from Redis for one room ({@code RoomRegistry}, 1,000 rooms) handed to its
 *       members, each a {@code SendQueue} whose sends complete inline; per delivery. The {@link RedisPubSub} is an
 *       in-memory stand-in that only captures the handlers.</li>
 *   <li>{@code coreDispatch}: one message read from the subscriber connection dispatched by the core to the
 *       {@code String} handler of its channel, among 1,000 subscribed channels (the subscriber's internal
 *       {@code onMessage(byte[] channel, byte[] payload)}, reached by reflection: wire channel to entry lookup,
 *       payload decoding, handler call). Needs Redis only to start up ({@code -Dbench.redis}).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroWebSocket {

    private static final SendResult OK = new SendResult();
    private static final SendQueue.Listener IGNORE = new SendQueue.Listener() {
        @Override
        public void dropped() {
        }

        @Override
        public void overflowed() {
        }

        @Override
        public void sendFailed(Throwable error) {
        }
    };

    private final String text = "{\"user\":\"ann\",\"text\":\"hello there, how are you?\",\"n\":42,\"pad\":\"xx\"}";

    // sendQueueInline
    private long sentInline;
    private SendQueue inline;

    // sendQueueQueued
    private SendHandler inFlight;
    private long sentQueued;
    private SendQueue queued;

    // routing
    private CapturingPubSub rooms;
    private TypedMessageHandler<? super String> small;
    private TypedMessageHandler<? super String> large;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        inline = new SendQueue(1024, OverflowPolicy.CLOSE, (t, handler) -> {
            sentInline++;
            handler.onResult(OK);
        }, IGNORE);
        queued = new SendQueue(1024, OverflowPolicy.CLOSE, (t, handler) -> {
            sentQueued++;
            inFlight = handler;
        }, IGNORE);

        rooms = new CapturingPubSub();
        RoomRegistry registry = new RoomRegistry(rooms);
        for (int r = 0; r < 1000; r++) {
            registry.join(member(), "room:" + r);
        }
        for (int m = 1; m < 1000; m++) {
            registry.join(member(), "room:999");
        }
        small = rooms.handlers.get("room:0");
        large = rooms.handlers.get("room:999");
    }

    /** The core's subscriber, set up only for {@code coreDispatch}. */
    @State(Scope.Benchmark)
    public static class Core {

        RedisPubSub pubsub;
        Object subscriber;
        MethodHandle onMessage;
        byte[] wireChannel;
        byte[] payload;
        volatile Object last;

        @Setup(Level.Trial)
        public void setUp() throws Throwable {
            String url = System.getProperty("bench.redis", "redis://127.0.0.1:6379");
            pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(url).namespace("jmh").clientName("bench-jmh")
                    .build());
            List<Subscription> subscriptions = new ArrayList<>();
            for (int c = 0; c < 1000; c++) {
                subscriptions.add(pubsub.subscribe("chat:" + c, String.class, (channel, message) -> last = message));
            }
            for (Subscription s : subscriptions) {
                s.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            // the internal entry point the subscriber connection's reader calls for every message
            Field field = pubsub.getClass().getDeclaredField("subscriber");
            field.setAccessible(true);
            subscriber = field.get(pubsub);
            Method method = subscriber.getClass().getDeclaredMethod("onMessage", byte[].class, byte[].class);
            method.setAccessible(true);
            onMessage = MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, byte[].class));
            wireChannel = new ChannelNames("jmh").toWire("chat:500").getBytes(StandardCharsets.UTF_8);
            payload = "{\"user\":\"ann\",\"text\":\"hello there, how are you?\",\"n\":42,\"pad\":\"xx\"}"
                    .getBytes(StandardCharsets.UTF_8);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pubsub.destroy();
        }
    }

    private RoomRegistry.Member member() {
        SendQueue queue = new SendQueue(1024, OverflowPolicy.CLOSE, (t, handler) -> handler.onResult(OK), IGNORE);
        return queue::offer;
    }

    @Benchmark
    public SendQueue.Outcome sendQueueInline() {
        return inline.offer(text);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public long sendQueueQueued() {
        for (int i = 0; i < 16; i++) {
            queued.offer(text);
        }
        SendHandler h;
        while ((h = inFlight) != null) {
            inFlight = null;
            h.onResult(OK);
        }
        return sentQueued;
    }

    @Benchmark
    public void routeRoomOf1() {
        small.onMessage("room:0", text);
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public void routeRoomOf1000() {
        large.onMessage("room:999", text);
    }

    @Benchmark
    public Object coreDispatch(Core core) throws Throwable {
        core.onMessage.invokeExact(core.subscriber, core.wireChannel, core.payload);
        return core.last;
    }

    /** Captures the handlers {@code RoomRegistry} subscribes; nothing else. */
    static final class CapturingPubSub implements RedisPubSub {

        final Map<String, TypedMessageHandler<? super String>> handlers = new ConcurrentHashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T> Subscription subscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
            handlers.put(channel, (TypedMessageHandler<? super String>) handler);
            return new Subscription() {
                @Override
                public String channel() {
                    return channel;
                }

                @Override
                public boolean isPattern() {
                    return false;
                }

                @Override
                public CompletionStage<Void> ready() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void close() {
                    handlers.remove(channel);
                }
            };
        }

        @Override
        public CompletionStage<Void> publish(String channel, Object message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Subscription subscribe(String channel, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription psubscribe(String pattern, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Subscription psubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unsubscribe(String channel, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void punsubscribe(String pattern, MessageHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> connected() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public RedisPubSubStats stats() {
            return new StatsValues(0, 0, 0, 0, 0, 0, handlers.size(), 0).toStats();
        }

        @Override
        public void destroy() {
        }
    }
}
