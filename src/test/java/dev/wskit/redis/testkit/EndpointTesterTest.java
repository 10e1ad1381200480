package dev.wskit.redis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.websocket.JoinRefusedException;
import dev.wskit.redis.websocket.MissedMessages;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

class EndpointTesterTest {

    /** The endpoint under test: hooks of every kind. */
    @ServerEndpoint("/chat/{room}")
    static class ChatEndpoint extends RedisPubSubEndpoint {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        protected Set<String> channelsFor(Session session) {
            Set<String> channels = new LinkedHashSet<>(super.channelsFor(session));
            List<String> also = session.getRequestParameterMap().get("also");
            if (also != null) {
                channels.addAll(also);
            }
            return channels;
        }

        @Override
        protected boolean mayJoin(Session session, String channel) {
            if (channel.equals("vault")) {
                throw new JoinRefusedException(CloseCodes.CANNOT_ACCEPT, "the vault is closed");
            }
            if (channel.startsWith("staff")) {
                return session.getUserPrincipal() != null && session.getUserPrincipal().getName().equals("admin");
            }
            return true;
        }

        @Override
        protected void onOpen(Session session) {
            events.add("open " + session.getId());
        }

        @Override
        protected void onText(Session session, String text) {
            if (text.startsWith("/join ")) {
                if (join(session, text.substring(6))) {
                    send(session, "joined " + text.substring(6));
                }
            } else if (text.equals("/whoami")) {
                send(session, session.getUserPrincipal() == null ? "nobody" : session.getUserPrincipal().getName());
            } else if (text.equals("/boom")) {
                throw new IllegalStateException("boom");
            } else {
                super.onText(session, text);
            }
        }

        @Override
        protected void onError(Session session, Throwable error) {
            events.add("error " + error.getMessage());
        }

        @Override
        protected void onClose(Session session, CloseReason closeReason) {
            events.add("close " + closeReason.getCloseCode().getCode());
        }
    }

    private final InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
    private final EndpointTester tester = EndpointTester.of(ChatEndpoint::new, pubsub);

    @Test
    void textIsPublishedToEveryClientOfTheRoomSenderIncluded() {
        EndpointTester.Client ann = tester.connect("room", "lobby");
        EndpointTester.Client bob = tester.connect("room", "lobby");
        EndpointTester.Client eve = tester.connect("room", "elsewhere");

        ann.send("hello");

        assertThat(ann.received()).containsExactly("hello");
        assertThat(bob.received()).containsExactly("hello");
        assertThat(eve.received()).isEmpty();
        assertThat(pubsub.broker().messages()).containsExactly(new InMemoryRedisPubSub.Broker.Message("ws:lobby",
                "hello"));
    }

    @Test
    void theRoomComesFromThePathParameter() {
        EndpointTester.Client client = tester.connect("room", "lobby");

        assertThat(client.isOpen()).isTrue();
        assertThat(client.channels()).containsExactly("lobby");
        assertThat(client.session().getRequestURI()).hasToString("ws://localhost/chat/lobby");
        assertThat(pubsub.broker().numsub("ws:lobby")).isEqualTo(1);
        assertThat(((ChatEndpoint) client.endpoint()).events).containsExactly("open " + client.session().getId());
    }

    @Test
    void channelsForCanUseRequestParameters() {
        EndpointTester.Client client = tester.connection().pathParameter("room", "lobby")
                .requestParameter("also", "news", "sports").open();

        assertThat(client.channels()).containsExactly("lobby", "news", "sports");
        assertThat(client.session().getQueryString()).isEqualTo("also=news&also=sports");
        pubsub.publish("sports", "goal");
        assertThat(client.received()).containsExactly("goal");
    }

    @Test
    void mayJoinRefusingClosesWithPolicyViolation() {
        EndpointTester.Client refused = tester.connect("room", "staff-room");

        assertThat(refused.isOpen()).isFalse();
        assertThat(refused.closeReason().getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(refused.channels()).isEmpty();
        assertThat(tester.stats().refused()).isEqualTo(1);
        assertThat(pubsub.broker().numsub("ws:staff-room")).isZero();
        assertThat(((ChatEndpoint) refused.endpoint()).events).as("no onOpen, one onClose")
                .containsExactly("close 1008");
    }

    @Test
    void mayJoinSeesTheUser() {
        EndpointTester.Client admin = tester.connection().pathParameter("room", "staff-room").user("admin").open();

        assertThat(admin.isOpen()).isTrue();
        admin.send("/whoami");
        assertThat(admin.received()).containsExactly("admin");
    }

    @Test
    void aJoinRefusedExceptionClosesWithItsReason() {
        EndpointTester.Client client = tester.connect("room", "vault");

        assertThat(client.closeReason().getCloseCode()).isEqualTo(CloseCodes.CANNOT_ACCEPT);
        assertThat(client.closeReason().getReasonPhrase()).isEqualTo("the vault is closed");
    }

    @Test
    void anInvalidChannelFromTheUrlClosesWithPolicyViolation() {
        EndpointTester.Client client = tester.connect("room", "has space");

        assertThat(client.closeReason().getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(client.closeReason().getReasonPhrase()).startsWith("invalid channel");
    }

    @Test
    void onTextCanJoinMoreChannels() {
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.send("/join news");
        pubsub.publish("news", "extra");

        assertThat(client.channels()).containsExactly("lobby", "news");
        assertThat(client.received()).containsExactly("joined news", "extra");
        client.send("/join staff");
        assertThat(client.isOpen()).as("a refused join closes the session").isFalse();
    }

    @Test
    void anExceptionInOnTextGoesToOnErrorAndKeepsTheSessionOpen() {
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.send("/boom");

        assertThat(client.isOpen()).isTrue();
        assertThat(((ChatEndpoint) client.endpoint()).events).contains("error boom");
    }

    @Test
    void messagesPublishedByApplicationCodeReachTheClientsAsPublished() {
        EndpointTester.Client client = tester.connect("room", "lobby");

        pubsub.publish("lobby", Map.of("user", "system"));
        pubsub.publish("lobby", 42);

        assertThat(client.received()).containsExactly("{\"user\":\"system\"}", "42");
    }

    @Test
    void twoServerInstancesShareOneBroker() {
        InMemoryRedisPubSub server2 = pubsub.broker().connect();
        EndpointTester tester2 = EndpointTester.of(ChatEndpoint::new, server2);
        EndpointTester.Client onServer1 = tester.connect("room", "lobby");
        EndpointTester.Client onServer2 = tester2.connect("room", "lobby");

        onServer1.send("across");

        assertThat(onServer2.received()).containsExactly("across");
        assertThat(pubsub.broker().numsub("ws:lobby")).as("one subscription per instance").isEqualTo(2);
    }

    @Test
    void closingLeavesTheChannelsAndReleasesTheSubscription() {
        EndpointTester.Client ann = tester.connect("room", "lobby");
        EndpointTester.Client bob = tester.connect("room", "lobby");

        ann.close();
        assertThat(ann.closeReason().getCloseCode()).isEqualTo(CloseCodes.NORMAL_CLOSURE);
        assertThat(pubsub.broker().numsub("ws:lobby")).isEqualTo(1);
        bob.close();

        assertThat(pubsub.broker().numsub("ws:lobby")).isZero();
        assertThat(tester.stats().sessions()).isZero();
        assertThat(((ChatEndpoint) ann.endpoint()).events).endsWith("close 1000");
        assertThatThrownBy(() -> ann.send("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSharedInstanceServesEverySession() {
        ChatEndpoint shared = new ChatEndpoint();
        EndpointTester sharing = EndpointTester.of(shared, pubsub);

        EndpointTester.Client a = sharing.connect("room", "lobby");
        EndpointTester.Client b = sharing.connect("room", "lobby");
        a.send("hi");

        assertThat(a.endpoint()).isSameAs(shared);
        assertThat(b.endpoint()).isSameAs(shared);
        assertThat(b.received()).containsExactly("hi");
        assertThat(shared.events).hasSize(2);
    }

    @Test
    void aFailedPublishIsCounted() {
        EndpointTester.Client client = tester.connect("room", "lobby");

        pubsub.simulateDisconnect();
        client.send("lost");

        assertThat(tester.stats().publishFailures()).isEqualTo(1);
        assertThat(client.received()).isEmpty();
    }

    /** A small queue, for the overflow policy. */
    @ServerEndpoint("/small/{room}")
    static class SmallQueueEndpoint extends RedisPubSubEndpoint {

        @Override
        protected int sendQueueCapacity() {
            return 2;
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedWhenItsQueueOverflows() {
        EndpointTester small = EndpointTester.of(SmallQueueEndpoint::new, pubsub);
        EndpointTester.Client slow = small.connect("room", "lobby");
        EndpointTester.Client fast = small.connect("room", "lobby");

        slow.pauseReading();
        for (int i = 1; i <= 3; i++) {
            pubsub.publish("lobby", "m" + i);
        }
        assertThat(slow.isOpen()).as("one in flight, two waiting").isTrue();
        slow.resumeReading();
        assertThat(slow.received()).containsExactly("m1", "m2", "m3");

        slow.pauseReading();
        for (int i = 4; i <= 7; i++) {
            pubsub.publish("lobby", "m" + i);
        }

        assertThat(slow.isOpen()).isFalse();
        assertThat(slow.closeReason().getCloseCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(small.stats().closedForOverflow()).isEqualTo(1);
        assertThat(fast.received()).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
    }

    /** Drops instead of closing, and keeps the sender's own messages from it. */
    @ServerEndpoint("/quiet/{room}")
    static class QuietEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean excludeSender(Session session) {
            return true;
        }

        @Override
        protected OverflowPolicy overflowPolicy() {
            return OverflowPolicy.DROP_NEWEST;
        }
    }

    @Test
    void theSenderCanBeExcluded() {
        EndpointTester quiet = EndpointTester.of(QuietEndpoint::new, pubsub);
        EndpointTester.Client ann = quiet.connect("room", "lobby");
        EndpointTester.Client bob = quiet.connect("room", "lobby");

        ann.send("hi bob");

        assertThat(ann.received()).isEmpty();
        assertThat(bob.received()).containsExactly("hi bob");
    }

    /** Neither public nor annotated: the default channel is the only path parameter. */
    static class PlainEndpoint extends RedisPubSubEndpoint {
    }

    @Test
    void anEndpointNeedNotBeAnnotated() {
        EndpointTester plain = EndpointTester.of(new PlainEndpoint(), pubsub);

        EndpointTester.Client byParameter = plain.connect("topic", "news");
        EndpointTester.Client byPath = plain.connect();

        assertThat(byParameter.channels()).containsExactly("news");
        assertThat(byPath.channels()).containsExactly("/");
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> EndpointTester.of((RedisPubSubEndpoint) null, pubsub))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndpointTester.of(new PlainEndpoint(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tester.connect("room", null)).isInstanceOf(IllegalArgumentException.class);
        EndpointTester.Client client = tester.connect("room", "lobby");
        assertThatThrownBy(() -> client.send(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Plain rooms starting with {@code m} signal missed messages. */
    @ServerEndpoint("/signal/{room}")
    static class SignallingEndpoint extends RedisPubSubEndpoint {

        final List<MissedMessages> missed = new CopyOnWriteArrayList<>();

        @Override
        protected boolean signalsMissedMessages(String room) {
            return room.startsWith("m");
        }

        @Override
        protected void onMissedMessages(Session session, MissedMessages report) {
            missed.add(report);
        }
    }

    @Test
    void aSimulatedReconnectSendsTheSessionsOfSignallingPlainRoomsAMissedFrame() {
        SignallingEndpoint endpoint = new SignallingEndpoint();
        EndpointTester signalling = EndpointTester.of(endpoint, pubsub);
        EndpointTester.Client ann = signalling.connect("room", "mlobby");
        EndpointTester.Client bob = signalling.connect("room", "quiet");

        pubsub.simulateDisconnect();
        pubsub.simulateReconnect();

        assertThat(ann.received()).singleElement().asString()
                .startsWith("{\"wskit\":1,\"type\":\"missed\",\"room\":\"mlobby\",\"from\":\"")
                .endsWith("\"reason\":\"connection-lost\"}");
        assertThat(bob.received()).isEmpty();
        assertThat(endpoint.missed).singleElement().satisfies(m -> {
            assertThat(m.reason()).isEqualTo(MissedMessages.Reason.SUBSCRIPTION_GAP);
            assertThat(m.room()).isEqualTo("mlobby");
            assertThat(m.gap().from()).isBeforeOrEqualTo(m.gap().to());
        });
        assertThat(signalling.stats().subscriptionGaps()).isOne();
        assertThat(pubsub.stats().subscriptionGaps()).as("both rooms' subscriptions").isEqualTo(2);
    }
}
