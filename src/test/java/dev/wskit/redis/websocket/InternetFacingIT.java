package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

/**
 * The endpoint facing anonymous clients on the internet: each attack of the issue "Safe in front of the internet",
 * reproduced with a real Tyrus server, real WebSocket clients and a redis-server of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InternetFacingIT {

    /** Everything by default. */
    @ServerEndpoint("/room/{room}")
    public static class RoomEndpoint extends RedisPubSubEndpoint {

        @Override
        protected void onText(Session session, String text) {
            if (text.startsWith("/join ")) {
                String channel = text.substring(6);
                if (join(session, channel)) {
                    send(session, "joined " + channel);
                }
            } else {
                super.onText(session, text);
            }
        }
    }

    /** Everything by default, on the instance whose Redis publishes slowly (paused). */
    @ServerEndpoint("/flood/{room}")
    public static class FloodEndpoint extends RedisPubSubEndpoint {

        static final BlockingQueue<CloseReason> CLOSED = new LinkedBlockingQueue<>();

        @Override
        protected void onClose(Session session, CloseReason closeReason) {
            CLOSED.add(closeReason);
        }
    }

    /** As {@link FloodEndpoint}, dropping the messages beyond the rate instead of closing. */
    @ServerEndpoint("/flood-drop/{room}")
    public static class DroppingFloodEndpoint extends RedisPubSubEndpoint {

        @Override
        protected RateLimitPolicy publishRateExceeded() {
            return RateLimitPolicy.DROP;
        }
    }

    /** Only pages of https://chat.example may connect. */
    @ServerEndpoint("/guarded/{room}")
    public static class GuardedEndpoint extends RedisPubSubEndpoint {
    }

    private RedisServer redis;
    private RedisPubSub app;
    private RedisPubSub adminApp;
    private RedisPubSub slowApp;
    private ServerEndpointConfig room;
    private ServerEndpointConfig flood;
    private ServerEndpointConfig guarded;
    private ServerEndpointConfig floodDrop;
    private TyrusServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        redis = RedisServer.builder().start();
        app = connect(RedisPubSubOptions.builder().url(redis.url()).namespace("ws"));
        adminApp = connect(RedisPubSubOptions.builder().url(redis.url()).namespace("ws:admin"));
        // a pending-publish limit shared by all sessions of the endpoint; no PING watchdog during a paused Redis
        slowApp = connect(RedisPubSubOptions.builder().url(redis.url()).namespace("slow").maxPendingPublishes(1000)
                .pingInterval(Duration.ofMinutes(5)));
        room = RedisPubSubEndpoints.config(RoomEndpoint.class, app);
        flood = RedisPubSubEndpoints.config(FloodEndpoint.class, slowApp);
        floodDrop = RedisPubSubEndpoints.config(DroppingFloodEndpoint.class, slowApp);
        WebSocketSettings d = WebSocketSettings.DEFAULTS;
        guarded = EndpointRegistration.create(GuardedEndpoint.class, d.withLimits(d.maxMessageSize(),
                d.sendQueueMaxBytes(), d.publishRate(), d.publishBurst(), d.publishRateExceeded(),
                d.maxRoomsPerSession(), Set.of("https://chat.example")), app, null).config();
        server = TyrusServer.start(room, flood, floodDrop, guarded);
    }

    private static RedisPubSub connect(RedisPubSubOptions.Builder options) {
        RedisPubSub pubsub = RedisPubSub.create(options.build());
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        return pubsub;
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        if (redis.isRunning()) {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> RedisPubSubEndpoints.stats(room).sessions() == 0
                && RedisPubSubEndpoints.stats(flood).sessions() == 0
                && RedisPubSubEndpoints.stats(guarded).sessions() == 0
                && RedisPubSubEndpoints.stats(floodDrop).sessions() == 0);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        for (RedisPubSub pubsub : new RedisPubSub[] {app, adminApp, slowApp}) {
            if (pubsub != null) {
                pubsub.destroy();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private TestClient client(String path) throws Exception {
        TestClient client = TestClient.connect(server.uri(path));
        clients.add(client);
        return client;
    }

    private JdkClient jdkClient(String path) throws Exception {
        JdkClient client = JdkClient.connect(server.uri(path));
        clients.add(client);
        return client;
    }

    private void awaitSubscribers(String wireChannel, long n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(wireChannel) == n);
    }

    // ------------------------------------------------------------------------------ 1. memory exhaustion

    @Test
    void aMemberThatNeverReadsIsClosedBeforeItsQueueHoldsMoreThanItsBytes() throws Exception {
        TestClient sender = client("/room/big");
        StalledClient member = StalledClient.connect(server.port(), "/room/big");
        clients.add(member);
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(room).sessions() == 2);
        awaitSubscribers("ws:big", 1);

        // 60,000 characters each (within the default maximum message size), 120,000 bytes of heap per queued copy:
        // at most 400 of them, far fewer than the default 1024 queued messages
        String big = "m".repeat(60_000);
        long mostQueued = 0;
        for (int i = 0; i < 400 && RedisPubSubEndpoints.stats(room).closedForOverflow() == 0; i++) {
            sender.send(i + ":" + big);
            assertThat(sender.next()).startsWith(i + ":");
            mostQueued = Math.max(mostQueued, RedisPubSubEndpoints.stats(room).queuedBytes());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(room).closedForOverflow() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(room).sessions() == 1);
        assertThat(sender.isOpen()).isTrue();
        assertThat(mostQueued).as("bytes queued at any time")
                .isPositive()
                .isLessThanOrEqualTo(WebSocketSettings.DEFAULT_SEND_QUEUE_MAX_BYTES);
        assertThat(RedisPubSubEndpoints.stats(room).queuedBytes()).isZero();
    }

    @Test
    void anOversizedTextMessageClosesWithTooBig() throws Exception {
        TestClient client = client("/room/sizes");
        awaitSubscribers("ws:sizes", 1);

        client.send("t".repeat(70_000));

        CloseReason reason = client.awaitClose();
        assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(room).closedForSize() == 1);
        awaitSubscribers("ws:sizes", 0);
    }

    @Test
    void anOversizedBinaryMessageClosesWithTooBig() throws Exception {
        TestClient client = client("/room/bsizes");
        awaitSubscribers("ws:bsizes", 1);

        client.sendBinary(new byte[70_000]);

        assertThat(client.awaitClose().getCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisPubSubEndpoints.stats(room).closedForSize() >= 1);
    }

    // ------------------------------------------------------------------------------ 2. escaping the namespace

    @Test
    void aRoomNameCannotReachTheChannelsOfAnotherNamespace() throws Exception {
        BlockingQueue<Object> alerts = new LinkedBlockingQueue<>();
        Subscription adminAlerts = adminApp.subscribe("alerts", (channel, message) -> alerts.add(message));
        try {
            adminAlerts.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
            TestClient intruder = client("/room/admin:alerts");

            CloseReason reason = intruder.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
            assertThat(reason.getReasonPhrase()).startsWith("invalid room");
            assertThat(redis.numsub("ws:admin:alerts")).as("only the admin app").isOne();
            adminApp.publish("alerts", "secret").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(alerts.poll(10, TimeUnit.SECONDS)).isEqualTo("secret");
            assertThat(intruder.received).isEmpty();
        } finally {
            adminAlerts.close();
        }
    }

    @Test
    void invisibleAndBidiCharactersInARoomNameAreRefused() throws Exception {
        // "lob<ZERO WIDTH SPACE>by" looks like "lobby"; "<RIGHT-TO-LEFT OVERRIDE>ybbol" too
        long refusedBefore = RedisPubSubEndpoints.stats(room).refused();
        for (String path : new String[] {"/room/lob%E2%80%8Bby", "/room/%E2%80%AEybbol", "/room/lobby%EF%BB%BF"}) {
            JdkClient client = jdkClient(path);
            assertThat(client.awaitCloseCode()).as(path).isEqualTo(1008);
            assertThat(client.closeReason.get()).as(path).startsWith("invalid room: it must not contain U+");
        }
        assertThat(RedisPubSubEndpoints.stats(room).refused()).isEqualTo(refusedBefore + 3);
    }

    @Test
    void roomNamesAreNormalizedSoThatLookAlikesMeet() throws Exception {
        JdkClient composed = jdkClient("/room/caf%C3%A9");      // U+00E9
        JdkClient decomposed = jdkClient("/room/cafe%CC%81");   // e + U+0301
        awaitSubscribers("ws:caf\u00e9", 1);

        decomposed.send("hello");

        composed.expect("hello");
        decomposed.expect("hello");
        assertThat(redis.numsub("ws:cafe\u0301")).isZero();
    }

    @Test
    void ordinaryRoomsStillWork() throws Exception {
        TestClient ann = client("/room/lobby-1");
        JdkClient bob = jdkClient("/room/%E6%97%A5%E6%9C%AC");  // 日本
        JdkClient cid = jdkClient("/room/%E6%97%A5%E6%9C%AC");
        awaitSubscribers("ws:lobby-1", 1);
        awaitSubscribers("ws:\u65e5\u672c", 1);

        ann.send("hi");
        bob.send("konnichiwa");

        ann.expect("hi");
        bob.expect("konnichiwa");
        cid.expect("konnichiwa");
    }

    // ------------------------------------------------------------------------------ 3. flooding, shared limits

    @Test
    void aFloodingClientCannotExhaustThePendingPublishesOfEveryone() throws Exception {
        FloodEndpoint.CLOSED.clear();
        TestClient flooder = client("/flood/spam");
        TestClient other = client("/flood/quiet");
        awaitSubscribers("slow:spam", 1);
        awaitSubscribers("slow:quiet", 1);
        redis.pause(); // Redis answers nothing: every publish stays pending

        int sent = 0;
        try {
            for (; sent < 3000; sent++) {
                flooder.send("spam " + sent);
            }
        } catch (IOException | IllegalStateException e) {
            // the server closed the flooder
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !flooder.isOpen()
                || RedisPubSubEndpoints.stats(flood).publishFailures() >= 2000);
        other.send("still here");
        redis.resume();

        other.expect("still here");
        CloseReason closed = FloodEndpoint.CLOSED.poll(10, TimeUnit.SECONDS);
        assertThat(closed).as("the flooder's session closed").isNotNull();
        assertThat(closed.getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(closed.getReasonPhrase())
                .isEqualTo("publish rate exceeded: at most 100 messages per second, 200 at once");
        // the close frame may be lost in the reset of a connection whose client was still sending
        assertThat(flooder.awaitClose().getCloseCode().getCode()).isIn(1008, 1006);
        assertThat(RedisPubSubEndpoints.stats(flood).rateLimited()).isOne();
        assertThat(RedisPubSubEndpoints.stats(flood).publishFailures()).isZero();
    }

    @Test
    void aFloodingClientWhoseExcessIsDroppedStaysOpenAndOthersStillPublish() throws Exception {
        TestClient flooder = client("/flood-drop/spam2");
        TestClient other = client("/flood-drop/quiet2");
        awaitSubscribers("slow:spam2", 1);
        awaitSubscribers("slow:quiet2", 1);
        redis.pause();

        for (int i = 0; i < 3000; i++) {
            flooder.send("spam " + i);
        }
        // 200 at once and 100 per second pass; the rest is dropped (sending 3000 would have to take 8 s for fewer)
        await().atMost(Duration.ofSeconds(30))
                .until(() -> RedisPubSubEndpoints.stats(floodDrop).rateLimited() >= 2000
                        || RedisPubSubEndpoints.stats(floodDrop).publishFailures() >= 2000);
        other.send("still here");
        redis.resume();

        other.expect("still here");
        assertThat(flooder.isOpen()).isTrue();
        assertThat(RedisPubSubEndpoints.stats(floodDrop).publishFailures()).isZero();
    }

    @Test
    void aSessionCannotJoinMoreThanItsMaximumOfRooms() throws Exception {
        TestClient client = client("/room/home");
        for (int i = 1; i <= 63; i++) {
            client.send("/join r" + i);
            client.expect("joined r" + i);
        }

        client.send("/join r64");

        CloseReason reason = client.awaitClose();
        assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(reason.getReasonPhrase()).isEqualTo("too many rooms: at most 64 per session");
    }

    // ------------------------------------------------------------------------------ 4. origin

    @Test
    void aHandshakeFromAForeignOriginIsRefused() throws Exception {
        long refusedBefore = RedisPubSubEndpoints.stats(guarded).refusedOrigins();

        assertThatThrownBy(() -> clients.add(TestClient.connect(server.uri("/guarded/lobby"), "https://evil.example")))
                .isInstanceOf(DeploymentException.class);

        assertThat(RedisPubSubEndpoints.stats(guarded).refusedOrigins()).isEqualTo(refusedBefore + 1);
        assertThat(RedisPubSubEndpoints.stats(guarded).sessions()).isZero();
    }

    @Test
    void aHandshakeFromAnAllowedOriginIsAccepted() throws Exception {
        TestClient page = TestClient.connect(server.uri("/guarded/lobby"), "https://CHAT.example/");
        clients.add(page);
        awaitSubscribers("ws:lobby", 1);

        page.send("hi");

        page.expect("hi");
    }

    @Test
    void aClientWithoutAnOriginHeaderIsAccepted() throws Exception {
        JdkClient notABrowser = jdkClient("/guarded/nobrowser");
        awaitSubscribers("ws:nobrowser", 1);

        notABrowser.send("hi");

        notABrowser.expect("hi");
    }

    @Test
    void withoutAllowedOriginsEveryOriginIsAccepted() throws Exception {
        TestClient page = TestClient.connect(server.uri("/room/open"), "https://anywhere.example");
        clients.add(page);
        awaitSubscribers("ws:open", 1);
        assertThat(page.isOpen()).isTrue();
    }
}
