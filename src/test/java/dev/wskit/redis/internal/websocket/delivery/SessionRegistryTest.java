package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.internal.websocket.delivery.SendQueue.Outcome;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

class SessionRegistryTest {

    private static final SessionState.Hooks ALLOW_ALL = SessionState.Hooks.NONE;

    /** A session whose sends stay in flight, and that records how it was closed. */
    private static final class FakeSession implements InvocationHandler {

        final String id;
        final Map<String, Object> userProperties = new ConcurrentHashMap<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, this);
        private final RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                RemoteEndpoint.Async.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]); // never completed: the send stays in flight
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

        FakeSession(String id) {
            this.id = id;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return switch (method.getName()) {
                case "getId", "toString" -> id;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "getUserProperties" -> userProperties;
                case "isOpen" -> closes.isEmpty();
                case "getAsyncRemote" -> remote;
                case "close" -> {
                    closes.add(args == null ? new CloseReason(CloseCodes.NORMAL_CLOSURE, "") : (CloseReason) args[0]);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
    }

    private final FakePubSub pubsub = new FakePubSub();
    private final RoomRegistry rooms = new RoomRegistry(pubsub);
    private final List<Runnable> closerTasks = new CopyOnWriteArrayList<>();
    private final SessionRegistry registry = new SessionRegistry(closerTasks::add);

    private static SessionState.Limits limits(int capacity, int maxRooms) {
        return new SessionState.Limits(capacity, 1_000_000, OverflowPolicy.CLOSE, 65_536, 0, 1, RateLimitPolicy.CLOSE,
                maxRooms, 0);
    }

    @Test
    void anOpenSessionIsFoundAndIsForgottenWithItsRoomsWhenItCloses() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = registry.open(ann.session, rooms, ALLOW_ALL, null, limits(8, 8));
        state.join("lobby");

        assertThat(registry.state(ann.session)).isSameAs(state);
        assertThat(SessionState.of(ann.session, registry)).isSameAs(state);
        assertThat(SessionState.of(ann.session, null)).as("through the user properties").isSameAs(state);
        RedisPubSubEndpointStats open = registry.stats(rooms);
        assertThat(open.sessions()).isOne();
        assertThat(open.channels()).isOne();

        state.closed();

        assertThat(registry.state(ann.session)).isNull();
        assertThat(pubsub.subscriptions()).isZero();
        RedisPubSubEndpointStats closed = registry.stats(rooms);
        assertThat(closed.sessions()).isZero();
        assertThat(closed.channels()).isZero();
        assertThat(state.join("kitchen")).as("a closed session joins nothing").isFalse();
    }

    @Test
    void aSessionOfNoRegistryIsRefused() {
        FakeSession stranger = new FakeSession("stranger");

        assertThatThrownBy(() -> SessionState.of(stranger.session, registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an open session");
    }

    @Test
    void aJoinThePolicyRefusesClosesTheSessionWithThePolicysReasonAndIsCounted() {
        FakeSession ann = new FakeSession("ann");
        CloseReason no = new CloseReason(CloseCodes.VIOLATED_POLICY, "members only");
        SessionState state = registry.open(ann.session, rooms, new SessionState.Hooks() {
            @Override
            public CloseReason refusal(SessionState s, String channel) {
                return channel.equals("vault") ? no : null;
            }
        }, null, limits(8, 8));

        assertThat(state.join("lobby")).isTrue();
        assertThat(state.join("vault")).isFalse();

        assertThat(ann.closes).containsExactly(no);
        assertThat(state.channels()).containsExactly("lobby");
        assertThat(rooms.members("vault")).isEmpty();
        assertThat(registry.stats(rooms).refused()).isOne();
    }

    @Test
    void theRoomsOfASessionKeepTheirJoiningOrderFromNoneToOneToManyAndBack() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = registry.open(ann.session, rooms, ALLOW_ALL, null, limits(8, 8));
        assertThat(state.channels()).isEmpty();

        assertThat(state.join("a")).isTrue();
        state.leave("b"); // a room it is not in
        assertThat(state.channels()).containsExactly("a");
        assertThat(state.join("b")).isTrue();
        assertThat(state.join("c")).isTrue();
        state.leave("b");
        assertThat(state.channels()).containsExactly("a", "c");
        assertThat(state.channelCount()).isEqualTo(2);
        state.leave("a");
        state.leave("c");
        assertThat(state.channels()).isEmpty();
        assertThat(state.channelCount()).isZero();
        assertThat(state.join("d")).isTrue();
        state.leave("d");
        assertThat(state.join("e")).isTrue();
        assertThat(state.join("d")).isTrue();
        assertThat(state.channels()).containsExactly("e", "d");
        assertThat(rooms.members("a")).isEmpty();
        assertThat(rooms.members("e")).containsExactly(state);

        state.closed();

        assertThat(rooms.members("e")).isEmpty();
        assertThat(rooms.members("d")).isEmpty();
        assertThat(pubsub.subscriptions()).isZero();
    }

    @Test
    void aJoinBeyondTheMostRoomsClosesTheSessionWith1008AndIsCounted() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = registry.open(ann.session, rooms, ALLOW_ALL, null, limits(8, 2));

        assertThat(state.join("a")).isTrue();
        assertThat(state.join("b")).isTrue();
        assertThat(state.join("a")).as("a room it is in already").isTrue();
        assertThat(state.join("c")).isFalse();

        assertThat(ann.closes).hasSize(1);
        assertThat(ann.closes.get(0).getCloseCode().getCode()).isEqualTo(CloseCodes.VIOLATED_POLICY.getCode());
        assertThat(ann.closes.get(0).getReasonPhrase()).startsWith("too many rooms");
        assertThat(state.channels()).containsExactly("a", "b");
        assertThat(registry.stats(rooms).refused()).isOne();
    }

    @Test
    void anOverflowingQueueClosesTheSessionWith1013OnTheCloserNotOnTheDeliveringThread() {
        FakeSession ann = new FakeSession("ann");
        SessionState state = registry.open(ann.session, rooms, ALLOW_ALL, null, limits(1, 8));
        state.join("lobby");

        pubsub.deliver("lobby", "in flight");
        pubsub.deliver("lobby", "waits");
        assertThat(registry.stats(rooms).queuedBytes()).isEqualTo(10);
        pubsub.deliver("lobby", "one too many");

        assertThat(ann.sent).containsExactly("in flight");
        assertThat(ann.closes).as("not closed on the delivering thread").isEmpty();
        assertThat(closerTasks).hasSize(1);
        closerTasks.get(0).run();
        assertThat(ann.closes).hasSize(1);
        assertThat(ann.closes.get(0).getCloseCode().getCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER.getCode());
        RedisPubSubEndpointStats stats = registry.stats(rooms);
        assertThat(stats.closedForOverflow()).isOne();
        assertThat(stats.queuedBytes()).isZero();
        assertThat(state.send("after")).isEqualTo(Outcome.CLOSED);
    }

    @Test
    void aCloserThatRefusesDoesNotFailTheDelivery() {
        SessionRegistry refusing = new SessionRegistry(task -> {
            throw new RejectedExecutionException("shutting down");
        });
        FakeSession ann = new FakeSession("ann");
        SessionState state = refusing.open(ann.session, rooms, ALLOW_ALL, null, limits(1, 8));
        state.send("in flight");
        state.send("waits");

        assertThat(state.send("one too many")).isEqualTo(Outcome.OVERFLOWED);

        assertThat(refusing.stats(rooms).closedForOverflow()).isOne();
    }

    @Test
    void closeAllClosesEveryOpenSessionOnTheCallingThread() {
        FakeSession ann = new FakeSession("ann");
        FakeSession bob = new FakeSession("bob");
        registry.open(ann.session, rooms, ALLOW_ALL, null, limits(8, 8));
        registry.open(bob.session, rooms, ALLOW_ALL, null, limits(8, 8));
        CloseReason stopping = new CloseReason(CloseCodes.GOING_AWAY, "application stopped");

        registry.closeAll(stopping);

        assertThat(ann.closes).containsExactly(stopping);
        assertThat(bob.closes).containsExactly(stopping);
        assertThat(closerTasks).isEmpty();
    }
}
