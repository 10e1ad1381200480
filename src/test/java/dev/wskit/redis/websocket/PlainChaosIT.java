package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.testing.RedisServer;

/**
 * Plain rooms under chaos: a WebSocket client of instance 2 is in a plain room that signals missed messages while
 * instance 1 publishes to the room at a steady rate and instance 2's subscriber connection is killed again and
 * again (about 12 s of chaos). The loss is measured, and every message the client did not receive was published
 * inside a window of a {@code missed} frame it did receive.
 *
 * <p>Tolerance rule (see {@code PlainGapsIT} for its derivation): a message is published at some instant between
 * {@code sent} (taken just before {@code publish}) and {@code acked} (taken when its stage completed); a lost one
 * has {@code sent <= to} and {@code acked >= from} of some {@code missed} frame (whose {@code from} is rounded down
 * and {@code to} up to the millisecond, so the frame's window covers the core's).
 */
class PlainChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long CHAOS_NANOS = TimeUnit.SECONDS.toNanos(12);

    private RedisServer redis;
    private RedisPubSub pubsub1;
    private RedisPubSub pubsub2;
    private TyrusServer server2;
    private EndpointRegistration rooms2;
    private String namespace;

    /** One published message: its publish interval; {@code acked} null while pending or if it failed. */
    static final class Sent {
        final long seq;
        final Instant sent;
        volatile Instant acked;
        volatile boolean failed;

        Sent(long seq, Instant sent) {
            this.seq = seq;
            this.sent = sent;
        }

        @Override
        public String toString() {
            return "Sent{" + seq + ", " + sent + " .. " + acked + (failed ? ", failed" : "") + "}";
        }
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        namespace = "wschaos" + ThreadLocalRandom.current().nextInt(1_000_000);
        pubsub1 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .clientName("pc-1").build());
        pubsub2 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .clientName("pc-2").pingInterval(Duration.ofMillis(100)).reconnectDelay(Duration.ofMillis(20))
                .maxReconnectDelay(Duration.ofMillis(200)).build());
        pubsub1.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        pubsub2.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        rooms2 = EndpointRegistration.create(PlainMissedIT.PlainEndpoint.class, PlainMissedIT.settings(), pubsub2,
                null);
        server2 = TyrusServer.start(rooms2.config());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server2, pubsub1, pubsub2, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void everyLostMessageFellInsideASignalledWindow() throws Exception {
        String room = "mchaos" + ThreadLocalRandom.current().nextInt(1_000_000);
        List<Long> received = new CopyOnWriteArrayList<>();
        List<PlainMissedIT.Missed> missed = new CopyOnWriteArrayList<>();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        Map<Long, Sent> published = new ConcurrentHashMap<>();
        AtomicLong lastSeq = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        int kills = 0;
        try (TestClient ann = TestClient.connect(server2.uri("/plain/" + room))) {
            PlainMissedIT.awaitSubscribed(redis, namespace + ":" + room);
            Thread reader = new Thread(() -> {
                while (running.get() || !ann.received.isEmpty()) {
                    try {
                        String text = ann.received.poll(100, TimeUnit.MILLISECONDS);
                        if (text == null) {
                            continue;
                        }
                        PlainMissedIT.Missed m = PlainMissedIT.Missed.parse(text);
                        if (m != null) {
                            missed.add(m);
                        } else if (text.matches("\\d+")) {
                            received.add(Long.parseLong(text));
                        } else {
                            unexpected.add(text);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "chaos-reader");
            reader.start();
            Thread publisher = new Thread(() -> {
                long seq = 0;
                while (running.get()) {
                    Sent s = new Sent(++seq, Instant.now());
                    published.put(seq, s);
                    lastSeq.set(seq);
                    pubsub1.publish(room, Long.toString(seq)).whenComplete((ok, error) -> {
                        if (error != null) {
                            s.failed = true;
                        } else {
                            s.acked = Instant.now();
                        }
                    });
                    // the steady rate: one message every 2 ms
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }, "chaos-publisher");
            publisher.start();
            try {
                long end = System.nanoTime() + CHAOS_NANOS;
                while (System.nanoTime() < end) {
                    int flowing = received.size();
                    await("messages flowing").atMost(WAIT).until(() -> received.size() > flowing + 20);
                    // the pace of the chaos, not a synchronisation: 100 to 800 ms between kills
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(100, 800)));
                    long reconnects = pubsub2.stats().reconnects();
                    PlainMissedIT.killSubscriber(redis, "pc-2");
                    kills++;
                    int expected = kills;
                    await("a reconnect").atMost(WAIT).until(() -> pubsub2.stats().reconnects() > reconnects);
                    await("the missed frame of kill " + kills).atMost(WAIT).until(() -> missed.size() >= expected);
                }
                int flowing = received.size();
                await("messages flowing").atMost(WAIT).until(() -> received.size() > flowing + 20);
            } finally {
                running.set(false);
                publisher.join(WAIT.toMillis());
            }
            long last = lastSeq.get();
            await("every publish completed").atMost(WAIT).until(() -> published.values().stream()
                    .allMatch(s -> s.acked != null || s.failed));
            await("the last message").atMost(WAIT).until(() -> received.contains(last));
            reader.join(WAIT.toMillis());
        }

        Set<Long> got = Set.copyOf(received);
        List<Sent> lost = new ArrayList<>();
        long failed = 0;
        for (Sent s : published.values()) {
            if (s.failed) {
                failed++;
            } else if (!got.contains(s.seq)) {
                lost.add(s);
            }
        }
        System.out.println("PlainChaosIT: " + published.size() + " published (" + failed + " failed), "
                + received.size() + " received, " + lost.size() + " lost over " + kills + " kills; "
                + missed.size() + " missed frames");
        assertThat(unexpected).isEmpty();
        assertThat(kills).isPositive();
        assertThat(failed).as("instance 1's publisher is never cut").isZero();
        assertThat(received).as("in order, no duplicate").isSorted().doesNotHaveDuplicates();
        assertThat(missed).as("one missed frame per kill").hasSize(kills);
        assertThat(missed).allSatisfy(m -> assertThat(m.reason()).isEqualTo("connection-lost"));
        for (Sent s : lost) {
            assertThat(missed).as("a missed frame covering " + s).anySatisfy(m -> {
                assertThat(s.sent).isBeforeOrEqualTo(m.to());
                assertThat(s.acked).isAfterOrEqualTo(m.from());
            });
        }
        assertThat(rooms2.stats().subscriptionGaps()).isEqualTo(kills);
    }
}
