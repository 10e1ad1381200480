package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Plain rooms that signal missed messages, end to end: two in-JVM Tyrus servers ("instances"), each with its own
 * {@link RedisPubSub}, one private Redis. When the subscriber connection of instance 2 is killed, the clients of its
 * signalling plain rooms get one {@code missed} frame each, and the application hears it; clients of other plain
 * rooms and of history rooms do not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainMissedIT {

    /** Rooms starting with {@code m} signal missed messages, rooms starting with {@code h} have history. */
    @ServerEndpoint("/plain/{room}")
    public static class PlainEndpoint extends RedisPubSubEndpoint {

        static final BlockingQueue<MissedMessages> MISSED = new LinkedBlockingQueue<>();

        @Override
        protected void onMissedMessages(Session session, MissedMessages missed) {
            MISSED.add(missed);
        }
    }

    /** Send queue of 4, drop-newest; rooms starting with {@code m} signal missed messages. */
    @ServerEndpoint("/drop/{room}")
    public static class DroppingEndpoint extends RedisPubSubEndpoint {

        static final BlockingQueue<MissedMessages> MISSED = new LinkedBlockingQueue<>();

        @Override
        protected void onMissedMessages(Session session, MissedMessages missed) {
            MISSED.add(missed);
        }
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern MISSED_FRAME = Pattern.compile("\\{\"wskit\":1,\"type\":\"missed\",\"room\":\"([^\"]*)\","
            + "\"from\":\"([^\"]*)\",\"to\":\"([^\"]*)\",\"reason\":\"([a-z-]*)\"}");

    private RedisServer redis;
    private RedisPubSub pubsub1;
    private RedisPubSub pubsub2;
    private TyrusServer server1;
    private TyrusServer server2;
    private EndpointRegistration rooms2;
    private String namespace;

    static WebSocketSettings settings() {
        return new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1).withHistory(List.of("h*"), 1000)
                .withMissedRooms(List.of("m*"));
    }

    @BeforeAll
    void start() throws Exception {
        redis = RedisServer.start();
        namespace = "wsmiss" + ThreadLocalRandom.current().nextInt(1_000_000);
        pubsub1 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .clientName("pm-1").build());
        pubsub2 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .clientName("pm-2").pingInterval(Duration.ofMillis(200)).reconnectDelay(Duration.ofMillis(20))
                .build());
        pubsub1.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        pubsub2.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        server1 = TyrusServer.start(EndpointRegistration.create(PlainEndpoint.class, settings(), pubsub1, null)
                .config());
        rooms2 = EndpointRegistration.create(PlainEndpoint.class, settings(), pubsub2, null);
        server2 = TyrusServer.start(rooms2.config());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server1, server2, pubsub1, pubsub2, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    /** A {@code missed} frame, parsed. */
    record Missed(String room, Instant from, Instant to, String reason) {

        static Missed parse(String text) {
            Matcher m = MISSED_FRAME.matcher(text);
            if (!m.matches()) {
                return null;
            }
            return new Missed(m.group(1), Instant.parse(m.group(2)), Instant.parse(m.group(3)), m.group(4));
        }
    }

    /** Kill the subscriber connection of the instance whose client name is {@code name}. */
    static void killSubscriber(RedisServer redis, String name) {
        try (Jedis admin = redis.newClient()) {
            String id = admin.clientList().lines()
                    .filter(line -> (" " + line + " ").contains(" name=" + name + "-sub "))
                    .map(line -> line.substring(3, line.indexOf(' ')))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no connection named " + name + "-sub"));
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(id))).isOne();
        }
    }

    /** Wait until instance 2 holds the room's subscription in Redis. */
    static void awaitSubscribed(RedisServer redis, String channel) {
        try (Jedis admin = redis.newClient()) {
            await("a subscription to " + channel).atMost(WAIT)
                    .until(() -> admin.pubsubNumSub(channel).getOrDefault(channel, 0L) >= 1);
        }
    }

    @Test
    void aClientThatReadsTooSlowlyForADropPolicyIsToldItMissedMessagesOnceItCatchesUp() throws Exception {
        String room = "m" + ThreadLocalRandom.current().nextInt(1_000_000);
        DroppingEndpoint.MISSED.clear();
        EndpointRegistration dropping = EndpointRegistration.create(DroppingEndpoint.class,
                new WebSocketSettings(4, OverflowPolicy.DROP_NEWEST, false, 1).withMissedRooms(List.of("m*")),
                pubsub2, null);
        try (TyrusServer server = TyrusServer.start(dropping.config());
                StalledClient slow = StalledClient.connect(server.port(), "/drop/" + room);
                TestClient reader = TestClient.connect(server.uri("/drop/" + room))) {
            awaitSubscribed(redis, namespace + ":" + room);
            // 300 messages of 64 KB: far more than the stalled socket's buffers and its queue of 4, so that, once
            // they are full, no send completes and every later message is dropped
            String padding = "x".repeat(64 * 1024);
            for (int i = 0; i < 300; i++) {
                pubsub1.publish(room, i + ":" + padding);
                assertThat(reader.next()).startsWith(i + ":");
            }
            await("messages dropped for the stalled session").atMost(WAIT)
                    .until(() -> RedisPubSubEndpoints.stats(dropping.config()).dropped() > 0);
            assertThat(DroppingEndpoint.MISSED).as("told only once the frame is queued").isEmpty();

            // the client reads again: what was queued, in order, then the missed frame, without a further message
            int last = -1;
            Missed missed = null;
            for (int frames = 0; frames < 400 && missed == null; frames++) {
                String text = slow.nextText();
                assertThat(text).as("frame %d", frames).isNotNull();
                missed = Missed.parse(text);
                if (missed == null) {
                    int n = Integer.parseInt(text.substring(0, text.indexOf(':')));
                    assertThat(n).as("messages in order").isGreaterThan(last);
                    last = n;
                }
            }
            assertThat(missed).as("a missed frame").isNotNull();
            assertThat(missed.room()).isEqualTo(room);
            assertThat(missed.reason()).isEqualTo("messages-dropped");
            assertThat(last).as("messages were dropped before the frame").isLessThan(299);
            MissedMessages reported = DroppingEndpoint.MISSED.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reported).as("reported to onMissedMessages").isNotNull();
            assertThat(reported.reason()).isEqualTo(MissedMessages.Reason.MESSAGES_DROPPED);
            assertThat(reported.gap().reason()).isEqualTo(SubscriptionGap.Reason.MESSAGES_DROPPED);
            assertThat(RedisPubSubEndpoints.stats(dropping.config()).missedMessages()).isOne();

            // the next message follows as usual
            pubsub1.publish(room, "after").toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(slow.nextText()).isEqualTo("after");
        }
    }

    @Test
    void aSignallingPlainRoomsClientIsToldOnceThatTheInstanceMayHaveMissedMessages() throws Exception {
        String signalling = "m" + ThreadLocalRandom.current().nextInt(1_000_000);
        String quiet = "q" + ThreadLocalRandom.current().nextInt(1_000_000);
        String history = "h" + ThreadLocalRandom.current().nextInt(1_000_000);
        PlainEndpoint.MISSED.clear();
        try (TestClient ann = TestClient.connect(server2.uri("/plain/" + signalling));
                TestClient bob = TestClient.connect(server2.uri("/plain/" + quiet));
                HistoryClient cid = new HistoryClient().connect(server2.uri("/plain/" + history))) {
            assertThat(cid.nextControl().type()).isEqualTo("subscribed");
            awaitSubscribed(redis, namespace + ":" + signalling);
            awaitSubscribed(redis, namespace + ":" + quiet);
            pubsub1.publish(signalling, "before").toCompletableFuture().get(20, TimeUnit.SECONDS);
            ann.expect("before");
            long reconnects = pubsub2.stats().reconnects();
            Instant killed = Instant.now();

            killSubscriber(redis, "pm-2");

            Missed missed = Missed.parse(ann.next());
            assertThat(missed).as("a missed frame").isNotNull();
            assertThat(missed.room()).isEqualTo(signalling);
            assertThat(missed.reason()).isEqualTo("connection-lost");
            assertThat(missed.from()).isBeforeOrEqualTo(missed.to());
            assertThat(missed.to()).isAfterOrEqualTo(killed.truncatedTo(ChronoUnit.MILLIS));
            await().atMost(WAIT).until(() -> pubsub2.stats().reconnects() > reconnects);

            // after the gap: each client's next frame is the next message, no (other) missed frame
            pubsub1.publish(signalling, "after").toCompletableFuture().get(20, TimeUnit.SECONDS);
            ann.expect("after");
            pubsub1.publish(quiet, "after").toCompletableFuture().get(20, TimeUnit.SECONDS);
            bob.expect("after");
            pubsub1.publishWithHistory(history, "after").toCompletableFuture().get(20, TimeUnit.SECONDS);
            HistoryClient.Frame next = cid.next();
            assertThat(next.type()).isEqualTo("message");
            assertThat(next.data()).isEqualTo("after");

            MissedMessages reported = PlainEndpoint.MISSED.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reported).as("reported to onMissedMessages").isNotNull();
            assertThat(reported.reason()).isEqualTo(MissedMessages.Reason.SUBSCRIPTION_GAP);
            assertThat(reported.room()).isEqualTo(signalling);
            assertThat(reported.gap().reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
            assertThat(reported.since()).isNull();
            assertThat(PlainEndpoint.MISSED).as("once").isEmpty();
            RedisPubSubEndpointStats stats = rooms2.stats();
            assertThat(stats.subscriptionGaps()).isEqualTo(1);
            assertThat(stats.missedMessages()).isEqualTo(1);
        }
    }
}
