package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

/**
 * History rooms end to end: two in-JVM Tyrus servers ("instances"), each with its own {@link RedisPubSub}, one
 * private Redis, real WebSocket clients. A client that drops and reconnects to the other instance with its position
 * gets exactly what it missed, then the live messages; what cannot be recovered is told to the client and to the
 * application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryRoomsIT {

    /** Rooms starting with {@code h} have history (by configuration, see {@link #settings}). */
    @ServerEndpoint("/rooms/{room}")
    public static class RoomsEndpoint extends RedisPubSubEndpoint {

        static final BlockingQueue<MissedMessages> MISSED = new LinkedBlockingQueue<>();

        @Override
        protected void onMissedMessages(Session session, MissedMessages missed) {
            MISSED.add(missed);
        }
    }

    /** Every room has history, and at most two messages are replayed. */
    @ServerEndpoint("/short/{room}")
    public static class ShortReplayEndpoint extends RoomsEndpoint {

        @Override
        protected boolean hasHistory(String room) {
            return true;
        }

        @Override
        protected int historyMaxReplay() {
            return 2;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer redis;
    private RedisPubSub pubsub1;
    private RedisPubSub pubsub2;
    private TyrusServer server1;
    private TyrusServer server2;
    private EndpointRegistration rooms2;
    private String namespace;

    private static WebSocketSettings settings() {
        return new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1).withHistory(List.of("h*"), 1000);
    }

    @BeforeAll
    void start() throws Exception {
        redis = RedisServer.start();
 namespace = "wshist" + ThreadLocalRandom.current().nextInt(1_000_000);
        pubsub1 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace).build());
        pubsub2 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace).build());
        pubsub1.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        pubsub2.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        server1 = TyrusServer.start(EndpointRegistration.create(RoomsEndpoint.class, settings(), pubsub1, null).config(),
                EndpointRegistration.create(ShortReplayEndpoint.class, settings(), pubsub1, null).config());
        rooms2 = EndpointRegistration.create(RoomsEndpoint.class, settings(), pubsub2, null);
        server2 = TyrusServer.start(rooms2.config(),
                EndpointRegistration.create(ShortReplayEndpoint.class, settings(), pubsub2, null).config());
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

    private static String room(String prefix) {
        return prefix + ThreadLocalRandom.current().nextInt(1_000_000);
    }

    /** Send messages through a WebSocket client of the given instance, and wait until they came back to it. */
    private static void say(TyrusServer server, String room, String... texts) throws Exception {
        sayAt(server, "/rooms/", room, texts);
    }

    private static void sayAt(TyrusServer server, String path, String room, String... texts) throws Exception {
        try (HistoryClient sender = new HistoryClient().connect(server.uri(path + room))) {
            assertThat(sender.nextControl().type()).isEqualTo("subscribed");
            for (String text : texts) {
                sender.connection().send(text);
            }
            for (String text : texts) {
                assertThat(sender.next().data()).isEqualTo(text);
            }
        }
    }

    @Test
    void aClientReconnectingToAnotherInstanceGetsExactlyWhatItMissedThenLiveMessages() throws Exception {
        String room = room("hall");
        HistoryClient ann = new HistoryClient().connect(server1.uri("/rooms/" + room));
        HistoryClient.Frame subscribed = ann.nextControl();
        assertThat(subscribed.type()).isEqualTo("subscribed");
        assertThat(subscribed.offset()).isZero();

        say(server2, room, "m1", "m2", "m3");
        for (int i = 0; i < 3; i++) {
            ann.next();
        }
        ann.drop();
        StreamPosition seen = ann.positions.get(room);
        assertThat(seen.offset()).isEqualTo(3);
        say(server1, room, "m4", "m5", "m6");

        ann.connect(server2.uri("/rooms/" + room), room);
        HistoryClient.Frame recovered = ann.nextControl();
        say(server1, room, "m7");
        ann.next();

        assertThat(recovered.type()).isEqualTo("recovered");
        assertThat(recovered.offset()).isEqualTo(6);
        assertThat(recovered.raw()).contains("\"replayed\":3");
        assertThat(ann.data(room)).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
        assertThat(ann.positions.get(room)).isEqualTo(StreamPosition.of(7, seen.epoch()));
        assertThat(ann.violations).isEmpty();
        ann.close();
    }

    @Test
    void aPositionOfAnotherEpochIsNotRecoveredAndTheApplicationIsTold() throws Exception {
        String room = room("hreset");
        say(server1, room, "a", "b");
        HistoryClient bob = new HistoryClient();
        bob.positions.put(room, StreamPosition.of(7, "gone"));

        bob.connect(server2.uri("/rooms/" + room), room);
        HistoryClient.Frame notRecovered = bob.nextControl();

        assertThat(notRecovered.type()).isEqualTo("not-recovered");
        assertThat(notRecovered.reason()).isEqualTo("history-reset");
        assertThat(notRecovered.raw()).contains("\"since\":\"7:gone\"");
        // the new epoch is read from its start: what it still has follows
        assertThat(bob.next().data()).isEqualTo("a");
        assertThat(bob.next().data()).isEqualTo("b");
        MissedMessages missed = RoomsEndpoint.MISSED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(missed).isNotNull();
        assertThat(missed.room()).isEqualTo(room);
        assertThat(missed.reason()).isEqualTo(MissedMessages.Reason.HISTORY_RESET);
        assertThat(missed.onResume()).isTrue();
        assertThat(missed.since()).isEqualTo(StreamPosition.of(7, "gone"));
        assertThat(rooms2.stats().missedMessages()).isPositive();
        bob.close();
    }

    @Test
    void aClientThatMissedMoreThanTheServerReplaysIsNotRecoveredAndContinuesLive() throws Exception {
        String room = room("x");
        HistoryClient cy = new HistoryClient().connect(server1.uri("/short/" + room));
        assertThat(cy.nextControl().type()).isEqualTo("subscribed");
        cy.drop();
        RoomsEndpoint.MISSED.clear();
        sayAt(server2, "/short/", room, "1", "2", "3", "4", "5");

        cy.connect(server2.uri("/short/" + room), room);
        HistoryClient.Frame notRecovered = cy.nextControl();
        sayAt(server2, "/short/", room, "6");

        assertThat(notRecovered.type()).isEqualTo("not-recovered");
        assertThat(notRecovered.reason()).isEqualTo("too-far-behind");
        assertThat(notRecovered.offset()).isEqualTo(5);
        assertThat(cy.next().data()).isEqualTo("6");
        assertThat(cy.data(room)).containsExactly("6");
        MissedMessages missed = RoomsEndpoint.MISSED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(missed).isNotNull();
        assertThat(missed.reason()).isEqualTo(MissedMessages.Reason.TOO_FAR_BEHIND);
        cy.close();
    }

    @Test
    void plainRoomsOfTheSameEndpointStayPlain() throws Exception {
        String room = room("p");
        try (TestClient dan = TestClient.connect(server1.uri("/rooms/" + room));
                TestClient eve = TestClient.connect(server2.uri("/rooms/" + room))) {
            await().atMost(WAIT).until(() -> redis.numsub(namespace + ":" + room) == 2);
            eve.send("hello");
            dan.expect("hello");
        }
    }

    @Test
    void anInvalidPositionClosesTheSessionWith1008() throws Exception {
        try (TestClient bad = TestClient.connect(URI.create(server1.uri("/rooms/hbad") + "?since=hbad:x:y"))) {
            assertThat(bad.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.VIOLATED_POLICY.getCode());
        }
    }
}
