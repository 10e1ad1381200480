package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.testing.DeafeningProxy;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Loss on channels without history is never silent: the subscriber connection is killed ({@code CLIENT KILL}) while
 * another client publishes at a steady rate on its own connection, and every message the subscriber did not
 * receive was published inside a gap it was told of.
 *
 * <p>The tolerance rule, derived: the test records for each message {@code sent} (just before {@code PUBLISH}) and
 * {@code acked} (when its reply came back); Redis processed it at some {@code p} with {@code sent <= p <= acked}. A
 * message is lost only if Redis processed it after generating the last PONG the subscriber read before the kill (the
 * messages before that PONG were ahead of it on the same connection, so they were read) and before it processed the
 * {@code SUBSCRIBE} of the new connection (messages after it are delivered). The gap's {@code from} is when that PING
 * was written (before Redis answered it), its {@code to} when the subscriber read the confirmation (after Redis
 * processed it). So a lost message satisfies {@code sent <= to} and {@code acked >= from}: its publish interval
 * overlaps the gap. That is what is asserted; no wall-clock upper bound is.
 */
class PlainGapsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "plain-gaps";
    private static final List<String> CHANNELS = List.of("gaps:a", "gaps:b");
    private static final int KILLS = 3;

    private RedisServer server;
    private RedisPubSub pubsub;
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();

    /** What one channel's handler saw. */
    static final class Recorder implements TypedMessageHandler<String> {
        final List<Long> received = new CopyOnWriteArrayList<>();
        final List<SubscriptionGap> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message) {
            received.add(Long.parseLong(message));
        }

        @Override
        public void onGap(SubscriptionGap gap) {
            gaps.add(gap);
        }
    }

    /** One published message: its publish interval. */
    record Sent(long seq, Instant sent, Instant acked) {
    }

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        // a short ping interval keeps the windows short (they are correct with any)
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(server.url()).clientName(NAME)
                .pingInterval(Duration.ofMillis(100)).reconnectDelay(Duration.ofMillis(20))
                .maxReconnectDelay(Duration.ofMillis(200)).build());
        for (String channel : CHANNELS) {
            Recorder recorder = new Recorder();
            recorders.put(channel, recorder);
            pubsub.subscribe(channel, String.class, recorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyMessageNotReceivedWasPublishedInsideASignalledGap() throws Exception {
        List<String> history = new CopyOnWriteArrayList<>();
        HistoryHandler<String> historyHandler = (channel, message, position) -> history.add(message);
        pubsub.subscribeWithHistory("gaps:history", String.class, null, historyHandler).ready()
                .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Map<String, List<Sent>> published = new ConcurrentHashMap<>();
        CHANNELS.forEach(c -> published.put(c, new CopyOnWriteArrayList<>()));
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            try (Jedis jedis = server.newClient()) {
                long seq = 0;
                while (publishing.get()) {
                    seq++;
                    for (String channel : CHANNELS) {
                        Instant sent = Instant.now();
                        jedis.publish("ws:" + channel, Long.toString(seq));
                        published.get(channel).add(new Sent(seq, sent, Instant.now()));
                    }
                    // the steady rate: one message per channel every 2 ms
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }
        }, "gaps-publisher");
        publisher.start();
        try (Jedis admin = server.newClient()) {
            for (int kill = 1; kill <= KILLS; kill++) {
                int before = recorders.get(CHANNELS.get(0)).received.size();
                await("messages flowing").atMost(WAIT)
                        .until(() -> recorders.get(CHANNELS.get(0)).received.size() > before + 50);
                long reconnects = pubsub.stats().reconnects();
                assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(subscriberId(admin)))).isOne();
                int expected = kill;
                await("a reconnect").atMost(WAIT).until(() -> pubsub.stats().reconnects() > reconnects);
                await("one gap per channel").atMost(WAIT).until(() -> recorders.values().stream()
                        .allMatch(r -> r.gaps.size() >= expected));
            }
            int before = recorders.get(CHANNELS.get(0)).received.size();
            await("messages flowing").atMost(WAIT)
                    .until(() -> recorders.get(CHANNELS.get(0)).received.size() > before + 50);
        } finally {
            publishing.set(false);
            publisher.join(WAIT.toMillis());
        }
        // the last message of each channel was published long after the last gap: wait for it
        for (String channel : CHANNELS) {
            List<Sent> all = published.get(channel);
            long last = all.get(all.size() - 1).seq();
            await("the last message of " + channel).atMost(WAIT)
                    .until(() -> recorders.get(channel).received.contains(last));
        }

        long lostTotal = 0;
        for (String channel : CHANNELS) {
            Recorder recorder = recorders.get(channel);
            assertThat(recorder.gaps).as("exactly one gap per kill on " + channel).hasSize(KILLS);
            assertThat(recorder.gaps).allSatisfy(gap -> {
                assertThat(gap.channel()).isEqualTo(channel);
                assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
            });
            assertThat(recorder.received).as("in order, no duplicate").isSorted().doesNotHaveDuplicates();
            List<Sent> lost = new ArrayList<>();
            for (Sent sent : published.get(channel)) {
                if (!recorder.received.contains(sent.seq())) {
                    lost.add(sent);
                }
            }
            lostTotal += lost.size();
            for (Sent sent : lost) {
                assertThat(recorder.gaps).as("a gap covering lost message " + sent + " of " + channel)
                        .anySatisfy(gap -> {
                            assertThat(sent.sent()).isBeforeOrEqualTo(gap.to());
                            assertThat(sent.acked()).isAfterOrEqualTo(gap.from());
                        });
            }
        }
        System.out.println("PlainGapsIT: " + lostTotal + " message(s) lost over " + KILLS + " kills, all inside"
                + " signalled gaps: " + recorders.get(CHANNELS.get(0)).gaps);
        assertThat(pubsub.stats().subscriptionGaps()).as("the plain channels' only, not the history channel's")
                .isEqualTo((long) KILLS * CHANNELS.size());
    }

    @Test
    void aDeafSubscriberReplacedAfterTheCanaryIsOneResubscribedGapCoveringWhatWasLost() throws Exception {
        try (DeafeningProxy proxy = DeafeningProxy.to(server.host(), server.port());
                RedisPubSub deaf = RedisPubSub.create(RedisPubSubOptions.builder().url(proxy.url())
                        .clientName("plain-gaps-deaf").pingInterval(Duration.ofMillis(100))
                        .canaryInterval(Duration.ofMillis(300)).reconnectDelay(Duration.ofMillis(20))
                        // the self-check's own connection would pass through the proxy too
                        .selfCheck(RedisPubSubOptions.SelfCheck.OFF).build())) {
            Recorder recorder = new Recorder();
            deaf.subscribe("gaps:deaf", String.class, recorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await("a canary back").atMost(WAIT).until(() -> deaf.stats().canaryRoundTrip().isPresent());
            List<Sent> published = new CopyOnWriteArrayList<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> {
                try (Jedis jedis = server.newClient()) {
                    long seq = 0;
                    while (publishing.get()) {
                        seq++;
                        Instant sent = Instant.now();
                        jedis.publish("ws:gaps:deaf", Long.toString(seq));
                        published.add(new Sent(seq, sent, Instant.now()));
                        // the steady rate: one message every 2 ms
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                    }
                }
            }, "gaps-deaf-publisher");
            publisher.start();
            try {
                await("messages flowing").atMost(WAIT).until(() -> recorder.received.size() > 50);
                assertThat(proxy.deafen()).isOne();
                await("one gap").atMost(WAIT).until(() -> !recorder.gaps.isEmpty());
                int after = recorder.received.size();
                await("messages flowing again").atMost(WAIT).until(() -> recorder.received.size() > after + 50);
            } finally {
                publishing.set(false);
                publisher.join(WAIT.toMillis());
            }
            long last = published.get(published.size() - 1).seq();
            await("the last message").atMost(WAIT).until(() -> recorder.received.contains(last));

            assertThat(recorder.gaps).singleElement().satisfies(gap -> assertThat(gap.reason())
                    .isEqualTo(SubscriptionGap.Reason.RESUBSCRIBED));
            SubscriptionGap gap = recorder.gaps.get(0);
            List<Sent> lost = new ArrayList<>();
            for (Sent sent : published) {
                if (!recorder.received.contains(sent.seq())) {
                    lost.add(sent);
                }
            }
            System.out.println("PlainGapsIT (deaf): " + lost.size() + " message(s) lost, gap " + gap);
            assertThat(lost).as("the deaf subscriber lost messages").isNotEmpty();
            assertThat(lost).allSatisfy(sent -> {
                assertThat(sent.sent()).isBeforeOrEqualTo(gap.to());
                assertThat(sent.acked()).isAfterOrEqualTo(gap.from());
            });
        }
    }

    @Test
    void handlersMadeOfLambdasReceiveTheGapsWithGapsComposes() throws Exception {
        List<String> typedMessages = new CopyOnWriteArrayList<>();
        List<SubscriptionGap> typedGaps = new CopyOnWriteArrayList<>();
        List<Object> untypedMessages = new CopyOnWriteArrayList<>();
        List<SubscriptionGap> untypedGaps = new CopyOnWriteArrayList<>();
        TypedMessageHandler<String> typed = TypedMessageHandler.withGaps((channel, m) -> typedMessages.add(m),
                typedGaps::add);
        MessageHandler untyped = MessageHandler.withGaps((channel, m) -> untypedMessages.add(m), untypedGaps::add);
        pubsub.subscribe("gaps:lambdas", String.class, typed).ready().toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pubsub.subscribe("gaps:lambdas", untyped).ready().toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try (Jedis admin = server.newClient()) {
            long reconnects = pubsub.stats().reconnects();
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(subscriberId(admin)))).isOne();
            await("a gap for each lambda handler").atMost(WAIT)
                    .until(() -> typedGaps.size() == 1 && untypedGaps.size() == 1);
            assertThat(pubsub.stats().reconnects()).isGreaterThan(reconnects);
            admin.publish("ws:gaps:lambdas", "after");
        }
        await("the message after the gap").atMost(WAIT)
                .until(() -> typedMessages.contains("after") && untypedMessages.contains("after"));
        assertThat(typedGaps.get(0).reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
        assertThat(typedGaps.get(0).channel()).isEqualTo("gaps:lambdas");
        assertThat(untypedGaps.get(0).channel()).isEqualTo("gaps:lambdas");
        // the handler returned is the one subscribed: unsubscribing it stops both parts
        pubsub.unsubscribe("gaps:lambdas", String.class, typed);
        pubsub.unsubscribe("gaps:lambdas", untyped);
        await("the channel unsubscribed").atMost(WAIT)
                .until(() -> pubsub.stats().subscriptions() == CHANNELS.size());
        assertThat(typed.toString()).startsWith("TypedMessageHandler.withGaps(");
    }

    @Test
    void noGapWithoutAnInterruption() throws Exception {
        try (Jedis jedis = server.newClient()) {
            for (int i = 1; i <= 200; i++) {
                for (String channel : CHANNELS) {
                    jedis.publish("ws:" + channel, Integer.toString(i));
                }
            }
        }
        for (String channel : CHANNELS) {
            await().atMost(WAIT).until(() -> recorders.get(channel).received.size() == 200);
            assertThat(recorders.get(channel).gaps).isEmpty();
        }
        assertThat(pubsub.stats().subscriptionGaps()).isZero();
    }

    private static String subscriberId(Jedis admin) {
        return admin.clientList().lines()
                .filter(line -> (" " + line + " ").contains(" name=" + NAME + "-sub "))
                .map(line -> line.substring(3, line.indexOf(' ')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connection named " + NAME + "-sub"));
    }
}
