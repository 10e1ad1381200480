package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;

/** The {@code missed} frames of plain rooms that signal subscription gaps, per session. */
class SessionGapsTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

    /** A session whose sends complete only when the test says so. */
    private static final class FakeSession {

        final Map<String, Object> userProperties = new ConcurrentHashMap<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<SendHandler> inFlight = new CopyOnWriteArrayList<>();
        final Session session;

        FakeSession(String id) {
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                    RemoteEndpoint.Async.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("sendText") && args.length == 2) {
                            sent.add((String) args[0]);
                            inFlight.add((SendHandler) args[1]);
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getId", "toString" -> id;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "getUserProperties" -> userProperties;
                        case "isOpen" -> true;
                        case "getAsyncRemote" -> remote;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        /** Complete the send in flight. */
        void completeOne() {
            inFlight.remove(0).onResult(new SendResult());
        }
    }

    private record Told(String room, SubscriptionGap gap) {
    }

    private final FakePubSub pubsub = new FakePubSub();
    private final RoomRegistry rooms = new RoomRegistry(pubsub);
    private final SessionRegistry registry = new SessionRegistry(Runnable::run);
    private final List<Told> told = new CopyOnWriteArrayList<>();
    private final SessionState.Hooks gapRooms = new SessionState.Hooks() {
        @Override
        public boolean signalsGaps(SessionState state, String room) {
            return room.startsWith("m");
        }

        @Override
        public void gapTold(SessionState state, String room, SubscriptionGap gap) {
            told.add(new Told(room, gap));
        }
    };

    private SessionState open(FakeSession session, int capacity, OverflowPolicy policy) {
        return registry.open(session.session, rooms, gapRooms, null, new SessionState.Limits(capacity, 1_000_000,
                policy, 65_536, 0, 1, RateLimitPolicy.CLOSE, 8, 0));
    }

    private static SubscriptionGap gap(String room, long fromMillis, long toMillis) {
        return SubscriptionGap.of(room, false, T0.plusMillis(fromMillis), T0.plusMillis(toMillis),
                SubscriptionGap.Reason.CONNECTION_LOST);
    }

    @Test
    void aSignallingRoomsSessionGetsOneMissedFrameAndOthersNone() {
        FakeSession ann = new FakeSession("ann");
        FakeSession bob = new FakeSession("bob");
        open(ann, 8, OverflowPolicy.CLOSE).join("mlobby");
        open(bob, 8, OverflowPolicy.CLOSE).join("quiet");
        SubscriptionGap gap = gap("mlobby", 0, 250);

        pubsub.gap("mlobby", gap);
        pubsub.gap("quiet", gap("quiet", 0, 250));

        assertThat(ann.sent).containsExactly("{\"wskit\":1,\"type\":\"missed\",\"room\":\"mlobby\","
                + "\"from\":\"2026-01-02T03:04:05.123Z\",\"to\":\"2026-01-02T03:04:05.374Z\","
                + "\"reason\":\"connection-lost\"}");
        assertThat(bob.sent).isEmpty();
        assertThat(told).containsExactly(new Told("mlobby", gap));
        assertThat(registry.stats(rooms).subscriptionGaps()).as("one room told").isOne();
    }

    @Test
    void aGapWaitsMergedWhileTheQueueIsFullAndGoesBeforeTheNextMessage() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = open(ann, 2, OverflowPolicy.DROP_NEWEST);
        state.join("mroom");
        pubsub.deliver("mroom", "m1"); // in flight
        pubsub.deliver("mroom", "m2");
        pubsub.deliver("mroom", "m3"); // the queue is full

        pubsub.gap("mroom", gap("mroom", 0, 100));
        pubsub.gap("mroom", gap("mroom", 200, 300));
        pubsub.deliver("mroom", "m4"); // still full: dropped, the gap still waits
        assertThat(told).isEmpty();
        ann.completeOne(); // m2 in flight, one place free
        pubsub.deliver("mroom", "m5"); // the gap takes the place, m5 is dropped
        ann.completeOne();
        ann.completeOne();

        assertThat(ann.sent).hasSize(4);
        assertThat(ann.sent.subList(0, 3)).containsExactly("m1", "m2", "m3");
        assertThat(ann.sent.get(3)).contains("\"type\":\"missed\"", "\"from\":\"2026-01-02T03:04:05.123Z\"",
                "\"reason\":\"connection-lost\"");
        assertThat(told).hasSize(1);
        assertThat(told.get(0).gap().from()).isEqualTo(T0);
        // m4, dropped while the gap waited, widened it to the moment of its drop
        assertThat(told.get(0).gap().to()).isAfter(T0.plusMillis(300));
        assertThat(told.get(0).gap().reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
        assertThat(registry.stats(rooms).dropped()).isEqualTo(2);
    }

    @Test
    void messagesDroppedForASessionAreAMissedFrameOnceItsQueueHasRoomAndNothingForARoomThatDoesNotSignal() {
        FakeSession ann = new FakeSession("ann");
        FakeSession bob = new FakeSession("bob");
        open(ann, 2, OverflowPolicy.DROP_NEWEST).join("mroom");
        open(bob, 2, OverflowPolicy.DROP_OLDEST).join("quiet");
        Instant before = Instant.now();
        for (int i = 1; i <= 6; i++) {
            pubsub.deliver("mroom", "m" + i); // m1 in flight, m2 and m3 wait, m4 to m6 dropped
            pubsub.deliver("quiet", "q" + i); // q1 in flight, q5 and q6 wait, q2 to q4 dropped
        }
        assertThat(told).as("nothing told while the queue is full").isEmpty();

        for (int i = 0; i < 3; i++) {
            ann.completeOne();
            bob.completeOne();
        }

        // the queue emptied: the frame goes although no message follows
        assertThat(ann.sent).hasSize(4);
        assertThat(ann.sent.subList(0, 3)).containsExactly("m1", "m2", "m3");
        assertThat(ann.sent.get(3)).startsWith("{\"wskit\":1,\"type\":\"missed\",\"room\":\"mroom\",\"from\":")
                .endsWith(",\"reason\":\"messages-dropped\"}");
        assertThat(told).hasSize(1);
        SubscriptionGap gap = told.get(0).gap();
        assertThat(told.get(0).room()).isEqualTo("mroom");
        assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.MESSAGES_DROPPED);
        assertThat(gap.from()).isAfterOrEqualTo(before);
        assertThat(gap.to()).isAfterOrEqualTo(gap.from());
        assertThat(bob.sent).containsExactly("q1", "q5", "q6");
        assertThat(registry.stats(rooms).dropped()).isEqualTo(6);
        assertThat(registry.stats(rooms).subscriptionGaps()).as("the instance's subscriptions had no gap").isZero();

        // told once: the next messages flow as before
        pubsub.deliver("mroom", "m7");
        ann.completeOne();
        ann.completeOne();
        assertThat(ann.sent.subList(4, 5)).containsExactly("m7");
        assertThat(told).hasSize(1);
    }

    @Test
    void aWaitingGapIsForgottenWhenTheSessionLeavesTheRoom() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = open(ann, 1, OverflowPolicy.DROP_NEWEST);
        state.join("mroom");
        state.join("other");
        pubsub.deliver("mroom", "m1");
        pubsub.deliver("mroom", "m2"); // full

        pubsub.gap("mroom", gap("mroom", 0, 100));
        state.leave("mroom");
        ann.completeOne();
        ann.completeOne();
        pubsub.deliver("other", "o1");

        assertThat(ann.sent).containsExactly("m1", "m2", "o1");
        assertThat(told).isEmpty();
    }
}
