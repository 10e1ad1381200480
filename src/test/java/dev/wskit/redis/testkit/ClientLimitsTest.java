package dev.wskit.redis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.websocket.RateLimitPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The limits on what one client may do, through the library's session code without a container: the library's own
 * size check (for containers that do not enforce the maximum message size), the publish rate limit and the maximum
 * number of rooms, with their counters.
 */
class ClientLimitsTest {

    /** Small limits, rate exceeded: close (the default). */
    @ServerEndpoint("/limited/{room}")
    static class LimitedEndpoint extends RedisPubSubEndpoint {

        @Override
        protected int maxMessageSize() {
            return 16;
        }

        @Override
        protected int publishRate() {
            return 1;
        }

        @Override
        protected int publishBurst() {
            return 3;
        }

        @Override
        protected int maxRoomsPerSession() {
            return 2;
        }

        @Override
        protected void onText(Session session, String text) {
            if (text.startsWith("/join ")) {
                join(session, text.substring(6));
            } else {
                super.onText(session, text);
            }
        }
    }

    /** Rate exceeded: drop. */
    @ServerEndpoint("/dropping/{room}")
    static class DroppingEndpoint extends LimitedEndpoint {

        @Override
        protected RateLimitPolicy publishRateExceeded() {
            return RateLimitPolicy.DROP;
        }
    }

    private final InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();

    @Test
    void aTextLargerThanTheMaximumClosesWithTooBigWithoutBeingPublished() {
        EndpointTester tester = EndpointTester.of(LimitedEndpoint::new, pubsub);
        EndpointTester.Client listener = tester.connect("room", "lobby");
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.send("\u00e9".repeat(9)); // 9 characters, 18 bytes in UTF-8

        assertThat(client.closeReason().getCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        assertThat(client.closeReason().getReasonPhrase()).isEqualTo("message too big: 18 bytes, at most 16");
        assertThat(listener.received()).isEmpty();
        assertThat(tester.stats().closedForSize()).isOne();
    }

    @Test
    void aTextOfExactlyTheMaximumGoesThrough() {
        EndpointTester tester = EndpointTester.of(LimitedEndpoint::new, pubsub);
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.send("\u00e9".repeat(8));

        assertThat(client.received()).containsExactly("\u00e9".repeat(8));
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aBinaryMessageLargerThanTheMaximumClosesWithTooBig() {
        EndpointTester tester = EndpointTester.of(LimitedEndpoint::new, pubsub);
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.sendBinary(ByteBuffer.allocate(17));

        assertThat(client.closeReason().getCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        assertThat(tester.stats().closedForSize()).isOne();
    }

    @Test
    void aCloseWithTooBigByTheContainerIsCountedToo() throws Exception {
        EndpointTester tester = EndpointTester.of(LimitedEndpoint::new, pubsub);
        EndpointTester.Client client = tester.connect("room", "lobby");

        client.session().close(new CloseReason(CloseCodes.TOO_BIG, "container limit"));

        assertThat(tester.stats().closedForSize()).isOne();
    }

    @Test
    void beyondTheBurstTheSessionIsClosedWithPolicyViolation() {
        EndpointTester tester = EndpointTester.of(LimitedEndpoint::new, pubsub);
        EndpointTester.Client other = tester.connect("room", "lobby");
        EndpointTester.Client flooder = tester.connect("room", "lobby");

        for (int i = 0; i < 4; i++) {
            flooder.send("m" + i); // a closed session would throw: the fourth is the one that closes it
        }

        assertThat(other.received()).containsExactly("m0", "m1", "m2");
        assertThat(flooder.closeReason().getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(flooder.closeReason().getReasonPhrase())
                .isEqualTo("publish rate exceeded: at most 1 messages per second, 3 at once");
        assertThat(tester.stats().rateLimited()).isOne();
        assertThat(other.isOpen()).isTrue();
    }

    @Test
    void underDropTheMessagesBeyondTheBurstAreDroppedAndCounted() {
        EndpointTester tester = EndpointTester.of(DroppingEndpoint::new, pubsub);
        EndpointTester.Client other = tester.connect("room", "lobby");
        EndpointTester.Client flooder = tester.connect("room", "lobby");

        for (int i = 0; i < 10; i++) {
            flooder.send("m" + i);
        }
        other.send("from other");

        assertThat(other.received()).startsWith("m0", "m1", "m2").endsWith("from other");
        assertThat(flooder.isOpen()).isTrue();
        // the bucket refills at 1 per second: at most one more got through while the loop ran
        assertThat(tester.stats().rateLimited()).isBetween(6L, 7L);
    }

    @Test
    void aJoinBeyondTheMaximumOfRoomsIsRefused() {
        EndpointTester tester = EndpointTester.of(DroppingEndpoint::new, pubsub);
        EndpointTester.Client client = tester.connect("room", "one");

        client.send("/join two");
        assertThat(client.channels()).containsExactly("one", "two");
        client.send("/join three");

        assertThat(client.closeReason().getCloseCode()).isEqualTo(CloseCodes.VIOLATED_POLICY);
        assertThat(client.closeReason().getReasonPhrase()).isEqualTo("too many rooms: at most 2 per session");
        assertThat(tester.stats().refused()).isOne();
        assertThat(pubsub.broker().channels()).isEmpty();
    }

    @Test
    void roomsFromTheUrlAreConfined() {
        EndpointTester tester = EndpointTester.of(DroppingEndpoint::new, pubsub);

        EndpointTester.Client colon = tester.connect("room", "admin:alerts");
        EndpointTester.Client bidi = tester.connect("room", "\u202eybbol");
        EndpointTester.Client decomposed = tester.connect("room", "cafe\u0301");

        assertThat(colon.closeReason().getReasonPhrase()).isEqualTo("invalid room: it must not contain ':' (it"
                + " separates the namespace from the room in the Redis channel)");
        assertThat(bidi.closeReason().getReasonPhrase())
                .isEqualTo("invalid room: it must not contain U+202E (an invisible format character)");
        assertThat(decomposed.channels()).containsExactly("caf\u00e9");
        assertThat(tester.stats().refused()).isEqualTo(2);
    }
}
