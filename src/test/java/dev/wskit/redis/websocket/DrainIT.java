package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.internal.websocket.delivery.Drain;
import dev.wskit.redis.testing.RedisServer;

/**
 * The graceful drain of an instance that stops, with in-JVM Tyrus servers and real clients: queued messages reach the
 * clients before the 1012 close, a client of a history room reconnects to the other instance and resumes without
 * loss, spread closes come spread, and connections opened during the drain are closed at once with 1012.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrainIT {

    /** Rooms starting with h have history; remembers its last session, to queue messages for it. */
    @ServerEndpoint("/drain/{room}")
    public static class DrainEndpoint extends RedisPubSubEndpoint {

        static volatile DrainEndpoint last;
        volatile Session session;

        @Override
        protected void onOpen(Session session) {
            this.session = session;
            last = this;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer redis;
    private RedisPubSub pubsub1;
    private RedisPubSub pubsub2;
    private final List<AutoCloseable> perTest = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        redis = RedisServer.start();
        String namespace = "wsdrain" + ThreadLocalRandom.current().nextInt(1_000_000);
        pubsub1 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace).build());
        pubsub2 = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace).build());
        pubsub1.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        pubsub2.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void closePerTest() {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            try {
                perTest.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        perTest.clear();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pubsub1, pubsub2, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static WebSocketSettings settings(int timeoutMillis, int spreadMillis) {
        return new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1).withHistory(List.of("h*"), 1000)
                .withDrain(timeoutMillis, spreadMillis);
    }

    private EndpointRegistration registration(RedisPubSub pubsub, int timeoutMillis, int spreadMillis) {
        return EndpointRegistration.create(DrainEndpoint.class, settings(timeoutMillis, spreadMillis), pubsub, null);
    }

    private TyrusServer server(EndpointRegistration registration) throws Exception {
        TyrusServer server = TyrusServer.start(registration.config());
        perTest.add(server);
        return server;
    }

    private TestClient client(TyrusServer server, String room) throws Exception {
        TestClient client = TestClient.connect(server.uri("/drain/" + room));
        perTest.add(client);
        return client;
    }

    private static CompletableFuture<Drain.Result> drainLater(EndpointRegistration registration) {
        return CompletableFuture.supplyAsync(() -> EndpointRegistration.drain(List.of(registration)));
    }

    private static String room(String prefix) {
        return prefix + ThreadLocalRandom.current().nextInt(1_000_000);
    }

    /** Queue n messages of 4 KiB for a client that does not read, so that most of them wait in its queue. */
    private static void queueFor(SlowClient client, int n) throws Exception {
        await().atMost(WAIT).until(() -> DrainEndpoint.last != null && DrainEndpoint.last.session != null
                && DrainEndpoint.last.session.getRequestURI().toString().contains(client.room));
        DrainEndpoint endpoint = DrainEndpoint.last;
        String pad = "x".repeat(4096);
        for (int i = 0; i < n; i++) {
            endpoint.send(endpoint.session, i + ":" + pad);
        }
    }

    @Test
    void queuedMessagesReachTheClientBeforeThe1012Close() throws Exception {
        EndpointRegistration registration = registration(pubsub1, 20_000, 0);
        TyrusServer server = server(registration);
        SlowClient ann = SlowClient.connect(server.port(), room("plain"));
        perTest.add(ann);
        int n = 1000;
        queueFor(ann, n);
        assertThat(registration.stats().queuedBytes()).as("messages wait in the queue").isPositive();

        CompletableFuture<Drain.Result> drain = drainLater(registration);
        SlowClient.Received got = ann.readUntilClose();
        Drain.Result result = drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(got.closeCode()).isEqualTo(1012);
        assertThat(got.texts()).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.texts().get(i)).startsWith(i + ":");
        }
        assertThat(result.sessions()).isEqualTo(1);
        assertThat(result.dropped()).isZero();
        assertThat(result.flushed()).isTrue();
        assertThat(registration.stats().drainedSessions()).isEqualTo(1);
        assertThat(registration.stats().drainDropped()).isZero();
        assertThat(registration.stats().drainDelivered()).isEqualTo(result.delivered()).isPositive();
    }

    @Test
    void whatIsStillQueuedAtTheDeadlineIsDroppedAndCounted() throws Exception {
        EndpointRegistration registration = registration(pubsub1, 100, 0);
        TyrusServer server = server(registration);
        SlowClient bob = SlowClient.connect(server.port(), room("plain"));
        perTest.add(bob);
        queueFor(bob, 1000);

        Drain.Result result = drainLater(registration).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SlowClient.Received got = bob.readUntilClose();

        assertThat(result.flushed()).isFalse();
        assertThat(result.dropped()).isPositive();
        assertThat(registration.stats().drainDropped()).isEqualTo(result.dropped());
        assertThat(got.texts().size()).isLessThan(1000);
        assertThat(got.closeCode()).isEqualTo(1012);
    }

    @Test
    void aClientOfTheDrainedInstanceResumesOnTheOtherOneWithoutLoss() throws Exception {
        EndpointRegistration drained = registration(pubsub1, 5_000, 0);
        TyrusServer server1 = server(drained);
        TyrusServer server2 = server(registration(pubsub2, 5_000, 0));
        String room = room("hdrain");
        HistoryClient ann = new HistoryClient().connect(server1.uri("/drain/" + room));
        perTest.add(ann);
        assertThat(ann.nextControl().type()).isEqualTo("subscribed");
        try (HistoryClient sender = new HistoryClient().connect(server2.uri("/drain/" + room))) {
            assertThat(sender.nextControl().type()).isEqualTo("subscribed");
            for (String text : List.of("m1", "m2", "m3")) {
                sender.connection().send(text);
            }
            for (int i = 0; i < 3; i++) {
                ann.next();
            }
            // messages on their way while the instance drains, and more while the client is away
            for (String text : List.of("m4", "m5", "m6")) {
                sender.connection().send(text);
            }
            drainLater(drained).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ann.connection().awaitClose().getCloseCode().getCode()).isEqualTo(1012);
            ann.drop();
            for (String text : List.of("m7", "m8")) {
                sender.connection().send(text);
            }
            for (int i = 0; i < 8; i++) {
                sender.next();
            }

            StreamPosition before = ann.positions.get(room);
            ann.connect(server2.uri("/drain/" + room), room);
            HistoryClient.Frame resumed = ann.nextControl();
            sender.connection().send("m9");
            while (ann.data(room).size() < 9) {
                ann.next();
            }

            assertThat(before).isNotNull();
            assertThat(resumed.type()).isEqualTo("recovered");
            assertThat(ann.data(room)).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(ann.violations).isEmpty();
        }
    }

    @Test
    void spreadClosesComeSpreadAndNewConnectionsAreClosedAtOnceWith1012() throws Exception {
        int spread = 1200;
        EndpointRegistration registration = registration(pubsub1, 5_000, spread);
        TyrusServer server = server(registration);
        int n = 4;
        List<TestClient> clients = new ArrayList<>();
        List<CompletableFuture<Long>> closedAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestClient c = client(server, room("spread"));
            clients.add(c);
            closedAt.add(c.closed.thenApply(reason -> System.nanoTime()));
        }
        await().atMost(WAIT).until(() -> registration.stats().sessions() == n);

        long started = System.nanoTime();
        CompletableFuture<Drain.Result> drain = drainLater(registration);
        // the first close comes at once, the last one not before 3/4 of the window: a client opening now is in it
        await().atMost(WAIT).until(() -> closedAt.stream().anyMatch(CompletableFuture::isDone));
        TestClient late = client(server, room("late"));
        CloseReason lateReason = late.awaitClose();
        Drain.Result result = drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(lateReason.getCloseCode().getCode()).isEqualTo(1012);
        assertThat(result.sessions()).isEqualTo(n);
        List<Long> times = new ArrayList<>();
        for (TestClient c : clients) {
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(1012);
        }
        for (CompletableFuture<Long> f : closedAt) {
            times.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        long first = times.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = times.stream().mapToLong(Long::longValue).max().orElseThrow();
        // spread: the last close came at least (n-1)/n of the window after the drain began (a lower bound only)
        assertThat(TimeUnit.NANOSECONDS.toMillis(last - started)).isGreaterThanOrEqualTo(spread * (n - 1L) / n - 50);
        assertThat(last - first).isPositive();
        assertThat(registration.stats().drainedSessions()).isEqualTo(n + 1);
    }
}
