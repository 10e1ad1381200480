package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.websocket.delivery.EndpointStatsValues;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

/**
 * Two in-JVM Tyrus servers ("instances"), each with its own {@link RedisPubSub}, sharing one real Redis; clients
 * connect to both.
 */
@WithRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisPubSubEndpointIT {

    /** A chat with an authorization rule and text commands for joining and leaving rooms at runtime. */
    @ServerEndpoint("/chat/{room}")
    public static class ChatEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean mayJoin(Session session, String channel) {
            if (channel.startsWith("vip")) {
                throw new JoinRefusedException(CloseCodes.getCloseCode(4403), "members only");
            }
            return !channel.startsWith("secret");
        }

        @Override
        protected void onText(Session session, String text) {
            if (text.startsWith("/join ")) {
                String channel = text.substring(6);
                if (join(session, channel)) {
                    send(session, "joined " + channel);
                }
            } else if (text.startsWith("/leave ")) {
                String channel = text.substring(7);
                leave(session, channel);
                send(session, "left " + channel);
            } else if (text.equals("/channels")) {
                send(session, String.join(",", channels(session)));
            } else {
                super.onText(session, text);
            }
        }
    }

    /** The same chat, but a client's own messages do not come back to it. */
    @ServerEndpoint("/quiet/{room}")
    public static class QuietEndpoint extends ChatEndpoint {

        @Override
        protected boolean excludeSender(Session session) {
            return true;
        }
    }

    /** An endpoint without path parameters: its channel is its path. */
    @ServerEndpoint("/news")
    public static class NewsEndpoint extends RedisPubSubEndpoint {
    }

    /** A small send queue, closing slow clients (the default policy). */
    @ServerEndpoint("/slow/{room}")
    public static class SlowEndpoint extends RedisPubSubEndpoint {

        static final BlockingQueue<CloseReason> CLOSED = new LinkedBlockingQueue<>();

        @Override
        protected int sendQueueCapacity() {
            return 8;
        }

        @Override
        protected int sendQueueMaxBytes() {
            return 64 << 20; // the message count is tested here
        }

        @Override
        protected void onClose(Session session, CloseReason closeReason) {
            CLOSED.add(closeReason);
        }
    }

    /** A small send queue, dropping the newest messages for slow clients. */
    @ServerEndpoint("/dropping/{room}")
    public static class DroppingEndpoint extends SlowEndpoint {

        @Override
        protected OverflowPolicy overflowPolicy() {
            return OverflowPolicy.DROP_NEWEST;
        }
    }

    private final RedisTarget redis;
    private final String namespace = "wsit" + ThreadLocalRandom.current().nextInt(1_000_000);
    private final List<TestClient> clients = new ArrayList<>();

    private RedisPubSub pubsubA;
    private RedisPubSub pubsubB;
    private Registrations a;
    private Registrations b;
    private TyrusServer serverA;
    private TyrusServer serverB;

    /** The configurations deployed on one server, for their counters. */
    private record Registrations(ServerEndpointConfig chat, ServerEndpointConfig quiet, ServerEndpointConfig news,
            ServerEndpointConfig slow, ServerEndpointConfig dropping) {

        static Registrations of(RedisPubSub pubsub) {
            return new Registrations(RedisPubSubEndpoints.config(ChatEndpoint.class, pubsub),
                    RedisPubSubEndpoints.config(QuietEndpoint.class, pubsub),
                    RedisPubSubEndpoints.config(NewsEndpoint.class, pubsub),
                    RedisPubSubEndpoints.config(SlowEndpoint.class, pubsub),
                    RedisPubSubEndpoints.config(DroppingEndpoint.class, pubsub));
        }

        ServerEndpointConfig[] all() {
            return new ServerEndpointConfig[] {chat, quiet, news, slow, dropping};
        }

        int sessions() {
            int n = 0;
            for (ServerEndpointConfig config : all()) {
                n += RedisPubSubEndpoints.stats(config).sessions();
            }
            return n;
        }

        int channels() {
            int n = 0;
            for (ServerEndpointConfig config : all()) {
                n += RedisPubSubEndpoints.stats(config).channels();
            }
            return n;
        }
    }

    RedisPubSubEndpointIT(RedisTarget redis) {
        this.redis = redis;
    }

    @BeforeAll
    void startServers() throws Exception {
        pubsubA = connect();
        pubsubB = connect();
        a = Registrations.of(pubsubA);
        b = Registrations.of(pubsubB);
        serverA = TyrusServer.start(a.all());
        serverB = TyrusServer.start(b.all());
    }

    private RedisPubSub connect() {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .build());
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        return pubsub;
    }

    @AfterEach
    void closeClientsAndCheckNothingIsLeft() {
        clients.forEach(TestClient::close);
        clients.clear();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(a.sessions() + b.sessions()).as("open sessions").isZero();
            assertThat(a.channels() + b.channels()).as("local channels").isZero();
        });
    }

    @AfterAll
    void stopServers() {
        if (serverA != null) {
            serverA.close();
        }
        if (serverB != null) {
            serverB.close();
        }
        if (pubsubA != null) {
            pubsubA.destroy();
        }
        if (pubsubB != null) {
            pubsubB.destroy();
        }
    }

    private TestClient client(TyrusServer server, String path) throws Exception {
        TestClient client = TestClient.connect(server.uri(path));
        clients.add(client);
        return client;
    }

    private String wire(String channel) {
        return namespace + ":" + channel;
    }

    /** Wait until this many instances hold a Redis subscription to the channel. */
    private void awaitSubscribers(String channel, long instances) {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(wire(channel)) == instances);
    }

    @Test
    void aMessageFromAClientOnOneServerReachesTheClientsOnBoth() throws Exception {
        TestClient annOnA = client(serverA, "/chat/lobby");
        TestClient bobOnA = client(serverA, "/chat/lobby");
        TestClient cidOnB = client(serverB, "/chat/lobby");
        awaitSubscribers("lobby", 2);

        annOnA.send("{\"user\":\"ann\",\"text\":\"hello \\u00e9\"}");

        String expected = "{\"user\":\"ann\",\"text\":\"hello \\u00e9\"}";
        cidOnB.expect(expected);
        bobOnA.expect(expected);
        annOnA.expect(expected);
        assertThat(RedisPubSubEndpoints.stats(a.chat()))
                .isEqualTo(new EndpointStatsValues(2, 1, 0, 0, 0, 0, 0, 0, 0, 0).toStats());
        assertThat(RedisPubSubEndpoints.stats(b.chat()))
                .isEqualTo(new EndpointStatsValues(1, 1, 0, 0, 0, 0, 0, 0, 0, 0).toStats());
    }

    @Test
    void roomsAreIsolated() throws Exception {
        TestClient inRed = client(serverA, "/chat/red");
        TestClient inRedOnB = client(serverB, "/chat/red");
        TestClient inBlueOnB = client(serverB, "/chat/blue");
        awaitSubscribers("red", 2);
        awaitSubscribers("blue", 1);

        inRed.send("for red only");
        inRedOnB.expect("for red only");
        // Redis delivers in publishing order to B's one subscriber connection, so anything wrongly routed to blue
        // would arrive before this marker
        pubsubA.publish("blue", "marker").toCompletableFuture().get(10, TimeUnit.SECONDS);

        inBlueOnB.expect("marker");
        inRed.expect("for red only");
        assertThat(inRed.received).isEmpty();
    }

    @Test
    void aRefusedJoinClosesTheSessionWithPolicyViolation() throws Exception {
        long refusedBefore = RedisPubSubEndpoints.stats(a.chat()).refused();

        CloseReason reason = client(serverA, "/chat/secret-plans").awaitClose();

        assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
        assertThat(reason.getReasonPhrase()).isEqualTo("not allowed to join channel secret-plans");
        assertThat(RedisPubSubEndpoints.stats(a.chat()).refused()).isEqualTo(refusedBefore + 1);
        assertThat(redis.numsub(wire("secret-plans"))).isZero();
    }

    @Test
    void aJoinRefusedExceptionClosesWithItsOwnCode() throws Exception {
        CloseReason reason = client(serverB, "/chat/vip-lounge").awaitClose();

        assertThat(reason.getCloseCode().getCode()).isEqualTo(4403);
        assertThat(reason.getReasonPhrase()).isEqualTo("members only");
    }

    @Test
    void aRefusedJoinAtRuntimeClosesTheSessionAndReleasesItsChannels() throws Exception {
        TestClient client = client(serverA, "/chat/hall");
        awaitSubscribers("hall", 1);

        client.send("/join secret-room");

        assertThat(client.awaitClose().getCloseCode().getCode()).isEqualTo(1008);
        awaitSubscribers("hall", 0);
    }

    @Test
    void anInvalidChannelNameFromTheUrlClosesWithPolicyViolation() throws Exception {
        CloseReason reason = client(serverA, "/chat/all*").awaitClose();

        assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
        assertThat(reason.getReasonPhrase()).startsWith("invalid channel: channel must not contain the glob");
        assertThat(client(serverA, "/chat/" + namespace + ":sneaky").awaitClose().getReasonPhrase())
                .startsWith("invalid room: it must not contain ':'");
    }

    @Test
    void sessionsJoinAndLeaveChannelsAtRuntime() throws Exception {
        TestClient ann = client(serverA, "/chat/home-ann");
        TestClient bob = client(serverB, "/chat/home-bob");

        ann.send("/join party");
        ann.expect("joined party");
        ann.send("/channels");
        ann.expect("home-ann,party");
        bob.send("/join party");
        bob.expect("joined party");
        awaitSubscribers("party", 2);

        pubsubB.publish("party", "cake").toCompletableFuture().get(10, TimeUnit.SECONDS);
        ann.expect("cake");
        bob.expect("cake");

        ann.send("/leave party");
        ann.expect("left party");
        awaitSubscribers("party", 1);
        pubsubB.publish("party", "more cake").toCompletableFuture().get(10, TimeUnit.SECONDS);
        pubsubA.publish("home-ann", "marker").toCompletableFuture().get(10, TimeUnit.SECONDS);
        bob.expect("more cake");
        ann.expect("marker");
        assertThat(ann.received).isEmpty();
    }

    @Test
    void anEndpointWithoutPathParametersUsesItsPathAsChannelAndIgnoresBinary() throws Exception {
        TestClient onA = client(serverA, "/news");
        TestClient onB = client(serverB, "/news");
        awaitSubscribers("/news", 2);

        onB.sendBinary(new byte[] {1, 2, 3});
        onA.send("extra");

        onB.expect("extra");
        onA.expect("extra");
        assertThat(onB.isOpen()).isTrue();
    }

    @Test
    void excludedSendersDoNotReceiveTheirOwnMessagesButEveryoneElseDoes() throws Exception {
        TestClient ann = client(serverA, "/quiet/q1");
        TestClient bob = client(serverA, "/quiet/q1");
        TestClient cid = client(serverB, "/quiet/q1");
        awaitSubscribers("q1", 2);

        ann.send("from ann");
        bob.expect("from ann");
        cid.expect("from ann");
        bob.send("from bob");
        ann.expect("from bob");
        cid.expect("from bob");
        cid.send("from ann"); // equal text from another instance is not mistaken for ann's
        ann.expect("from ann");
        bob.expect("from ann");

        pubsubA.publish("q1", "marker").toCompletableFuture().get(10, TimeUnit.SECONDS);
        ann.expect("marker");
        bob.expect("marker");
        cid.expect("marker");
        assertThat(ann.received).isEmpty();
        assertThat(bob.received).isEmpty();
        assertThat(cid.received).isEmpty();
    }

    @Test
    void aStalledClientIsClosedWithTryAgainLaterAndDoesNotDelayTheOthers() throws Exception {
        SlowEndpoint.CLOSED.clear();
        LogCapture log = LogCapture.start();
        TestClient reader = client(serverA, "/slow/flood");
        TestClient readerOnB = client(serverB, "/slow/flood");
        StalledClient stalled = StalledClient.connect(serverA.port(), "/slow/flood");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(a.slow()).sessions() == 2);
            awaitSubscribers("flood", 2);

            // 300 x 64 KiB: far more than the stalled socket's buffers plus its 8-message queue. Published one at a
            // time, each reaching the reading clients before the next, so that they never need more than one slot
            // of their own 8-message queues and every message shows that the stalled client delays nobody.
            String big = "x".repeat(64 * 1024);
            for (int i = 0; i < 300; i++) {
                pubsubB.publish("flood", i + ":" + big);
                assertThat(reader.next()).startsWith(i + ":");
                assertThat(readerOnB.next()).startsWith(i + ":");
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RedisPubSubEndpoints.stats(a.slow()).closedForOverflow() == 1);
            CloseReason reason = SlowEndpoint.CLOSED.poll(10, TimeUnit.SECONDS);
            while (reason != null && reason.getCloseCode() != CloseCodes.TRY_AGAIN_LATER) {
                // a late close of an earlier test's session
                reason = SlowEndpoint.CLOSED.poll(10, TimeUnit.SECONDS);
            }
            assertThat(reason).as("a session closed with 1013").isNotNull();
            assertThat(reason.getReasonPhrase()).isEqualTo("the client reads too slowly: more than 8 messages queued");
            assertThat(RedisPubSubEndpoints.stats(a.slow()).sessions()).isOne();
            assertThat(RedisPubSubEndpoints.stats(b.slow()).closedForOverflow()).isZero();
            // the first such close of the endpoint is logged (the path, never the query), the next ones are not
            assertThat(log.messages(java.util.logging.Level.INFO)).filteredOn(m -> m.contains("with 1013"))
                    .singleElement().asString()
                    .contains("of /slow/flood with 1013 (Try Again Later): the client reads too slowly: more than 8"
                            + " messages queued", "Logged once per endpoint");

            // the subscriber thread is not stuck: a fresh message still arrives at once
            pubsubB.publish("flood", "after").toCompletableFuture().get(10, TimeUnit.SECONDS);
            reader.expect("after");
            readerOnB.expect("after");
        } finally {
            stalled.close();
            log.close();
        }
    }

    @Test
    void aStalledClientUnderDropNewestStaysOpenAndLosesMessages() throws Exception {
        TestClient reader = client(serverA, "/dropping/drip");
        StalledClient stalled = StalledClient.connect(serverA.port(), "/dropping/drip");
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RedisPubSubEndpoints.stats(a.dropping()).sessions() == 2);
            awaitSubscribers("drip", 1);

            String big = "y".repeat(64 * 1024);
            for (int i = 0; i < 300; i++) {
                pubsubA.publish("drip", i + ":" + big);
                assertThat(reader.next()).startsWith(i + ":");
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RedisPubSubEndpoints.stats(a.dropping()).dropped() > 0);
            assertThat(RedisPubSubEndpoints.stats(a.dropping()).closedForOverflow()).isZero();
            assertThat(RedisPubSubEndpoints.stats(a.dropping()).sessions()).isEqualTo(2);
        } finally {
            stalled.close();
        }
    }

    @Test
    void aThousandSessionsJoiningAndLeavingLeaveNoSubscriptionBehind() throws Exception {
        int sessions = 1000;
        int rooms = 50;
        int sideRooms = 10;
        ExecutorService connectors = Executors.newFixedThreadPool(16);
        List<TestClient> many = new ArrayList<>();
        try {
            List<Future<TestClient>> futures = new ArrayList<>();
            AtomicInteger failures = new AtomicInteger();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                futures.add(connectors.submit(() -> {
                    TyrusServer server = n % 2 == 0 ? serverA : serverB;
                    TestClient client = TestClient.connect(server.uri("/chat/crowd-" + (n % rooms)));
                    String side = "side-" + (n % sideRooms);
                    client.send("/join " + side);
                    if (!client.next().equals("joined " + side)) {
                        failures.incrementAndGet();
                    }
                    if (n % 3 == 0) {
                        client.send("/leave " + side);
                        if (!client.next().equals("left " + side)) {
                            failures.incrementAndGet();
                        }
                    }
                    return client;
                }));
            }
            for (Future<TestClient> future : futures) {
                many.add(future.get(60, TimeUnit.SECONDS));
            }
            assertThat(failures).hasValue(0);

            // rooms and side rooms with an even number are all on A (50 and 10 are even), odd ones on B
            assertThat(RedisPubSubEndpoints.stats(a.chat()).sessions()).isEqualTo(500);
            assertThat(RedisPubSubEndpoints.stats(b.chat()).sessions()).isEqualTo(500);
            assertThat(RedisPubSubEndpoints.stats(a.chat()).channels()).isEqualTo(rooms / 2 + sideRooms / 2);
            for (int r = 0; r < rooms; r++) {
                assertThat(redis.numsub(wire("crowd-" + r))).as("crowd-%d", r).isOne();
            }
            for (int s = 0; s < sideRooms; s++) {
                assertThat(redis.numsub(wire("side-" + s))).as("side-%d", s).isOne();
            }

            List<Future<?>> closing = new ArrayList<>();
            for (TestClient client : many) {
                closing.add(connectors.submit(client::close));
            }
            for (Future<?> future : closing) {
                future.get(60, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(a.sessions() + b.sessions()).isZero();
                assertThat(a.channels() + b.channels()).isZero();
            });
            // the UNSUBSCRIBEs are queued, not awaited, by the last leave: Redis confirms them a moment later
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(pubsubA.stats().subscriptions()).isZero();
                assertThat(pubsubB.stats().subscriptions()).isZero();
                for (int r = 0; r < rooms; r++) {
                    assertThat(redis.numsub(wire("crowd-" + r))).as("crowd-%d", r).isZero();
                }
                for (int s = 0; s < sideRooms; s++) {
                    assertThat(redis.numsub(wire("side-" + s))).as("side-%d", s).isZero();
                }
            });
        } finally {
            many.forEach(TestClient::close);
            connectors.shutdownNow();
        }
    }

    @Test
    void theStatsOfAnUnusedEndpointAreZero() {
        assertThat(RedisPubSubEndpoints.stats(b.news()))
                .isEqualTo(new EndpointStatsValues(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).toStats());
        assertThat(Set.of(a.chat().getPath(), a.quiet().getPath())).containsExactlyInAnyOrder("/chat/{room}",
                "/quiet/{room}");
    }
}
