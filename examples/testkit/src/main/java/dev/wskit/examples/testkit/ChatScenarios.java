package dev.wskit.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every example proves on its server: two instances of the example WAR on one real Redis, WebSocket clients on
 * both. A subclass names the server; the scenarios are the same everywhere.
 *
 * <p>The example's configuration: namespace {@code chat} (so room {@code lobby} is the Redis channel
 * {@code chat:lobby}), rooms {@code lobby, dev, ops} open, any other room refused with close code 4403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ChatScenarios {

    /** How long a message may take from one client to another. */
    protected static final Duration DELIVERY = Duration.ofSeconds(15);
    /** How long the instances may take to subscribe, also after Redis came back. */
    protected static final Duration SUBSCRIBED = Duration.ofSeconds(60);
    /** The close code of the example's room allow-list. */
    protected static final int ROOM_NOT_ALLOWED = 4403;

    /** The Redis both instances use. */
    protected RedisProcess redis;
    /** The first instance. */
    protected AppServer one;
    /** The second instance. */
    protected AppServer two;

    private final List<ChatClient> clients = new ArrayList<>();

    /**
     * Describe an instance of the server under test; not started yet.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the example WAR
     * @return the instance
     */
    protected abstract AppServer newServer(String name, Path work, Path war);

    /** Return the prefix of the instance names, such as {@code wildfly}. */
    protected abstract String serverName();

    @BeforeAll
    void startInstances() {
        Path work = Path.of(System.getProperty("wskit.examples.work", "target/servers")).toAbsolutePath();
        Path war = Path.of(System.getProperty("wskit.examples.war", "target/wskit-chat.war"));
        redis = RedisProcess.start(work.resolve("redis"));
        one = newServer(serverName() + "-1", work, war).redis(redis.url());
        two = newServer(serverName() + "-2", work, war).redis(redis.url());
        AppServer.startAll(one, two);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ChatClient::close);
        clients.clear();
    }

    @AfterAll
    void stopInstances() {
        try {
            for (AppServer s : new AppServer[] {one, two}) {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /**
     * Connect a client to a room of an instance.
     *
     * @param server the instance
     * @param room the room
     * @return the client, closed after the test
     */
    protected ChatClient connect(AppServer server, String room) {
        ChatClient client = ChatClient.connect(server.name() + "/" + room + "#" + clients.size(), server.chat(room));
        clients.add(client);
        return client;
    }

    /**
     * Return a message text no other test sends.
     *
     * @param label a readable part
     * @return the text
     */
    protected static String unique(String label) {
        return label + "-" + UUID.randomUUID();
    }

    @Test
    @Order(1)
    void bothInstancesDeployTheEndpointWithTheContainersManagedThreads() {
        for (AppServer s : List.of(one, two)) {
            assertThat(s.logContains("ChatEndpoint at /chat/{room}"))
                    .as("%s logs that the library deployed the endpoint (%s)", s, s.log()).isTrue();
            assertThat(s.logContains("java:comp/DefaultManagedThreadFactory"))
                    .as("%s: the RedisPubSub bean runs on the container's ManagedThreadFactory (%s)", s, s.log())
                    .isTrue();
            assertThat(s.logContains("own daemon threads"))
                    .as("%s: the RedisPubSub bean did not fall back to its own threads (%s)", s, s.log()).isFalse();
        }
    }

    @Test
    @Order(2)
    void messagesCrossInstancesInBothDirections() {
        ChatClient a = connect(one, "lobby");
        ChatClient b = connect(two, "lobby");
        redis.awaitNumsub("chat:lobby", 2, SUBSCRIBED);

        String fromOne = unique("from-" + one.name());
        a.send(fromOne);
        b.awaitText(fromOne, DELIVERY);
        a.awaitText(fromOne, DELIVERY); // the sender is in the room too

        String fromTwo = unique("from-" + two.name());
        b.send(fromTwo);
        a.awaitText(fromTwo, DELIVERY);
        b.awaitText(fromTwo, DELIVERY);
    }

    @Test
    @Order(3)
    void roomsAreIsolated() {
        ChatClient devOnOne = connect(one, "dev");
        ChatClient opsOnOne = connect(one, "ops");
        ChatClient devOnTwo = connect(two, "dev");
        ChatClient opsOnTwo = connect(two, "ops");
        redis.awaitNumsub("chat:dev", 2, SUBSCRIBED);
        redis.awaitNumsub("chat:ops", 2, SUBSCRIBED);

        String dev = unique("dev-only");
        devOnOne.send(dev);
        devOnTwo.awaitText(dev, DELIVERY);
        // published after the dev message on the same publisher connection: if ops clients received the dev
        // message at all, it would come before this one
        String ops = unique("ops-marker");
        opsOnOne.send(ops);
        assertThat(opsOnTwo.await("ops marker", m -> m.startsWith("ops-marker"), DELIVERY)).isEqualTo(ops);
        assertThat(opsOnOne.await("ops marker", m -> m.startsWith("ops-marker"), DELIVERY)).isEqualTo(ops);
        assertThat(opsOnTwo.all()).containsExactly(ops);
        assertThat(opsOnOne.all()).containsExactly(ops);
        devOnOne.awaitText(dev, DELIVERY);
        assertThat(devOnTwo.all()).doesNotContain(ops);
    }

    @Test
    @Order(4)
    void aRoomOutsideTheAllowListIsRefusedWithCloseCode4403() {
        for (AppServer s : List.of(one, two)) {
            ChatClient refused = connect(s, "secret");
            ChatClient.Closed closed = refused.awaitClosed(DELIVERY);
            assertThat(closed.code()).as("close code from %s", s).isEqualTo(ROOM_NOT_ALLOWED);
            assertThat(closed.reason()).as("close reason from %s", s).contains("secret");
        }
        assertThat(redis.numsub("chat:secret")).as("no instance subscribed to the refused room").isZero();
    }

    @Test
    @Order(5)
    void anyRedisClientCanPublishIntoARoom() {
        ChatClient a = connect(one, "lobby");
        ChatClient b = connect(two, "lobby");
        redis.awaitNumsub("chat:lobby", 2, SUBSCRIBED);

        String text = unique("{\"name\":\"redis-cli\",\"text\":\"hello\"}");
        assertThat(redis.publish("chat:lobby", text)).isEqualTo(2);
        a.awaitText(text, DELIVERY);
        b.awaitText(text, DELIVERY);
    }

    @Test
    @Order(9)
    void aMessagePublishedTheMomentTheFirstSessionJoinedReachesIt() {
        // the first session of a room on an instance makes the instance subscribe; a message published the moment
        // Redis has that subscription must reach the session (servers that call onOpen after the handshake response,
        // like Open Liberty, let the client and Redis see the join before onOpen returned)
        List<String> lost = new ArrayList<>();
        int iterations = Integer.getInteger("wskit.examples.join-race-iterations", 60);
        for (int i = 0; i < iterations; i++) {
            ChatClient a = ChatClient.connect(one.name() + "/dev#race" + i, one.chat("dev"));
            ChatClient b = ChatClient.connect(two.name() + "/dev#race" + i, two.chat("dev"));
            try {
                redis.awaitNumsub("chat:dev", 2, SUBSCRIBED, Duration.ofMillis(1));
                String text = unique("right-after-join-" + i);
                redis.publish("chat:dev", text);
                for (ChatClient c : List.of(a, b)) {
                    try {
                        c.await(text, text::equals, Duration.ofSeconds(5));
                    } catch (AssertionError e) {
                        lost.add(c + ": " + text);
                    }
                }
            } finally {
                a.close();
                b.close();
            }
            redis.awaitNumsub("chat:dev", 0, SUBSCRIBED, Duration.ofMillis(5));
        }
        assertThat(lost).as("messages published right after the first join, not delivered").isEmpty();
    }

    @Test
    @Order(6)
    void aBurstOfAThousandMessagesArrivesCompleteAndInOrder() {
        // Open Liberty fails overlapping asynchronous sends, WildFly may complete a send inline: a burst that arrives
        // faster than it can be written is where a naive endpoint loses messages or overflows its stack
        ChatClient a = connect(one, "dev");
        ChatClient b = connect(two, "dev");
        redis.awaitNumsub("chat:dev", 2, SUBSCRIBED);
        String prefix = unique("burst") + ":";
        List<String> burst = IntStream.range(0, 1000).mapToObj(i -> prefix + i).toList();

        assertThat(redis.publishBurst("chat:dev", burst)).isEqualTo(2);

        for (ChatClient client : List.of(a, b)) {
            List<String> received = new ArrayList<>();
            for (int i = 0; i < burst.size(); i++) {
                received.add(client.await("burst message " + i, m -> m.startsWith(prefix), DELIVERY));
            }
            assertThat(received).as("what %s received", client).containsExactlyElementsOf(burst);
        }
    }

    @Test
    @Order(7)
    void aClientThatStopsReadingIsClosedWith1013AndDoesNotHoldUpTheOthers() {
        ChatClient stalled = ChatClient.connectStalled(one.name() + "/ops#stalled", one.chat("ops"));
        clients.add(stalled);
        ChatClient sameInstance = connect(one, "ops");
        ChatClient otherInstance = connect(two, "ops");
        redis.awaitNumsub("chat:ops", 2, SUBSCRIBED);

        // 2000 messages of 32 KB: far more than the stalled client's socket buffers plus its send queue
        // (1024 messages by default); sent in chunks that the reading clients' queues always hold, and that stay
        // below Redis's own output buffer limit for subscribers (client-output-buffer-limit pubsub 32mb 8mb 60)
        String padding = "x".repeat(32 * 1024);
        String prefix = unique("flood") + ":";
        int chunk = 200;
        int total = 2000;
        for (int start = 0; start < total; start += chunk) {
            List<String> messages = new ArrayList<>();
            for (int i = start; i < start + chunk; i++) {
                messages.add(prefix + i + ":" + padding);
            }
            redis.publishBurst("chat:ops", messages);
            for (ChatClient reader : List.of(sameInstance, otherInstance)) {
                for (int i = start; i < start + chunk; i++) {
                    String expected = prefix + i + ":";
                    String got = reader.await("flood message " + i, m -> m.startsWith(prefix), DELIVERY);
                    assertThat(got).as("%s, message %d", reader, i).startsWith(expected);
                }
            }
        }
        assertThat(sameInstance.isClosed()).isFalse();
        assertThat(otherInstance.isClosed()).isFalse();

        stalled.resume();
        ChatClient.Closed closed = stalled.awaitClosed(Duration.ofSeconds(60));
        if (overflowSendsCloseFrame()) {
            assertThat(closed.code()).as("how %s closed the stalled session: %s", one, closed).isEqualTo(1013);
        } else {
            assertThat(closed.code() == 1006 || closed.error() != null)
                    .as("%s drops the stalled connection without a close frame: %s", one, closed).isTrue();
        }
    }

    /**
     * Tell whether a client that stopped reading sees the library's close frame, 1013 "Try Again Later", once it
     * reads again. A server that aborts the connection instead of writing the close frame behind the data already
     * queued for the client makes the client see an abnormal closure (1006, or a transport error).
     *
     * @return {@code true} if the client sees 1013
     */
    protected boolean overflowSendsCloseFrame() {
        return true;
    }

    @Test
    @Order(8)
    void undeployingReleasesTheRedisConnectionsAndARedeployedApplicationChatsAgain() {
        Assumptions.assumeTrue(two.supportsRedeploy(), two.kind() + " has no hot undeploy in these tests");
        ChatClient a = connect(one, "lobby");
        ChatClient b = connect(two, "lobby");
        redis.awaitNumsub("chat:lobby", 2, SUBSCRIBED);
        Wait.until("the 4 connections of the 2 instances in CLIENT LIST", DELIVERY,
                () -> redis.clientsNamed("wskit-redis-pubsub") == 4);

        two.undeploy();
        try {
            // the application is gone: its sessions must not stay open as zombies that nothing reaches any more
            ChatClient.Closed closed = b.awaitClosed(DELIVERY);
            assertThat(closed.code()).as("how %s closed a session of the undeployed application", two)
                    .isIn(1001, 1006);
            // the RedisPubSub bean of the undeployed application closed its connections and stopped its threads
            Wait.until("the connections of " + two + " gone from CLIENT LIST", SUBSCRIBED,
                    () -> redis.clientsNamed("wskit-redis-pubsub") == 2);
            redis.awaitNumsub("chat:lobby", 1, DELIVERY);
        } finally {
            two.redeploy();
        }
        ChatClient again = connect(two, "lobby");
        redis.awaitNumsub("chat:lobby", 2, SUBSCRIBED);
        String text = unique("after-redeploy");
        a.send(text);
        again.awaitText(text, DELIVERY);
        String back = unique("from-the-redeployed");
        again.send(back);
        a.awaitText(back, DELIVERY);
    }

    @Test
    @Order(100)
    void sessionsSurviveARedisRestartAndMessagesFlowAgain() {
        ChatClient a = connect(one, "ops");
        ChatClient b = connect(two, "ops");
        redis.awaitNumsub("chat:ops", 2, SUBSCRIBED);
        String before = unique("before-restart");
        a.send(before);
        b.awaitText(before, DELIVERY);
        a.awaitText(before, DELIVERY);

        redis.kill9();
        // while Redis is down: publishing fails (fail fast, nothing queued), the sessions stay open
        a.send(unique("while-down"));
        b.send(unique("while-down"));
        assertThat(a.poll(Duration.ofSeconds(2))).as("nothing is delivered while Redis is down").isNull();
        assertThat(a.isClosed()).as("session on %s closed while Redis was down", one).isFalse();
        assertThat(b.isClosed()).as("session on %s closed while Redis was down", two).isFalse();

        redis.restart();
        redis.awaitNumsub("chat:ops", 2, SUBSCRIBED);
        // resubscribed; each instance's publisher connection reconnects on its own schedule (measured: up to a few
        // hundred ms after the subscriber), and until then publishing fails fast: the message is dropped, by design
        awaitFlow(a, one, b, two);
        awaitFlow(b, two, a, one);
        String fromTwo = unique("after-restart-from-" + two.name());
        b.send(fromTwo);
        a.await("the message from " + two, fromTwo::equals, DELIVERY);
        String fromOne = unique("after-restart-from-" + one.name());
        a.send(fromOne);
        b.await("the message from " + one, fromOne::equals, DELIVERY);
        assertThat(a.isClosed()).isFalse();
        assertThat(b.isClosed()).isFalse();
    }

    /**
     * Send probes from one client until another receives one: for the moments after a Redis restart, when a
     * publish may still fail fast.
     *
     * @param from the sending client
     * @param fromServer its instance
     * @param to the receiving client
     * @param toServer its instance
     */
    protected static void awaitFlow(ChatClient from, AppServer fromServer, ChatClient to, AppServer toServer) {
        String probe = "probe-" + UUID.randomUUID() + "-";
        Wait.until("a message from " + fromServer + " reaching " + toServer, SUBSCRIBED, () -> {
            from.send(probe + System.nanoTime());
            try {
                to.await("a probe", m -> m.startsWith(probe), Duration.ofMillis(300));
                return true;
            } catch (AssertionError e) {
                return false;
            }
        });
    }
}
