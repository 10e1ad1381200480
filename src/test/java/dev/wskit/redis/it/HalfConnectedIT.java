package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * After an outage, the connection of an instance that gets through to Redis first makes the others retry at once
 * instead of waiting out their (by then long) backoff, so that the instance does not stay half-connected.
 *
 * <p>A real Redis turns away every new connection while {@code maxclients} is lowered to the connections already
 * open ({@code ERR max number of clients reached}). That keeps one connection of the instance failing, its backoff
 * doubling from 50 ms towards the 60 s cap, while the other stays up. Once the failing connection waits at least
 * 5 s, the limit is lifted and the healthy connection is killed: it comes back after its first, 50 ms, delay. The
 * other must follow it within 3 s; on its own it would wait the rest of its 5 s or more.
 */
class HalfConnectedIT {

    private static final String NAME = "halfway";
    private static final String REJECTED = "max number of clients reached";
    /**
     * Refusals after which the next delay is at least 50 ms * 2^7 * 0.8 (jitter) = 5.1 s: with the lost connection
     * before them, the 8th failure in a row.
     */
    private static final int FAILURES = 7;
    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(3);

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private RedisServer server;
    private Jedis admin;
    private RedisPubSub pubsub;
    private Collector received;

    @BeforeEach
    void connect() {
        server = RedisServer.builder().start();
        admin = server.newClient();
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder()
                .url(server.url())
                .clientName(NAME)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofSeconds(60))
                .onError(errors::add)
                .build());
        received = new Collector();
        pubsub.subscribe("news", received);
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        Probes.flowsAgain(pubsub, received, "news", Duration.ofSeconds(10));
    }

    @AfterEach
    void closeAll() {
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSubscriberComingBackEndsTheBackoffOfThePublisher() {
        long subscriberBefore = clientId(NAME + "-sub");
        keepOutNewConnections();
        admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(clientId(NAME + "-pub"))));
        // an idle publisher notices the lost connection with its next command
        pubsub.publish("news", "lost");
        publisherOrSubscriberFailsRepeatedly();
        assertThat(clientId(NAME + "-sub")).as("the subscriber stayed connected").isEqualTo(subscriberBefore);

        letConnectionsIn();
        assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB))).isOne();

        await("the publisher to follow the subscriber").atMost(FOLLOWS_WITHIN).pollInterval(Duration.ofMillis(10))
                .until(pubsub::isConnected);
        long subscriber = clientId(NAME + "-sub");
        long publisher = clientId(NAME + "-pub");
        assertThat(subscriber).as("the subscriber reconnected").isGreaterThan(subscriberBefore);
        assertThat(publisher).as("the publisher connected after the subscriber").isGreaterThan(subscriber);
        Probes.flowsAgain(pubsub, received, "news", Duration.ofSeconds(10));
    }

    @Test
    void thePublisherComingBackEndsTheBackoffOfTheSubscriber() {
        long publisherBefore = clientId(NAME + "-pub");
        keepOutNewConnections();
        assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB))).isOne();
        publisherOrSubscriberFailsRepeatedly();
        assertThat(clientId(NAME + "-pub")).as("the publisher stayed connected").isEqualTo(publisherBefore);

        letConnectionsIn();
        admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(publisherBefore)));
        pubsub.publish("news", "lost");

        await("the subscriber to follow the publisher").atMost(FOLLOWS_WITHIN).pollInterval(Duration.ofMillis(10))
                .until(pubsub::isConnected);
        long subscriber = clientId(NAME + "-sub");
        long publisher = clientId(NAME + "-pub");
        assertThat(publisher).as("the publisher reconnected").isGreaterThan(publisherBefore);
        assertThat(subscriber).as("the subscriber connected after the publisher").isGreaterThan(publisher);
        assertThat(server.numsub("ws:news")).isOne();
        Probes.flowsAgain(pubsub, received, "news", Duration.ofSeconds(10));
    }

    /**
     * Make Redis refuse new connections once one of those open is gone (the one about to be killed); the ones open
     * stay.
     */
    private void keepOutNewConnections() {
        admin.configSet("maxclients", Integer.toString(connectedClients() - 1));
    }

    private void letConnectionsIn() {
        admin.configSet("maxclients", "10000");
    }

    /** Wait until the connection that was killed has been turned away often enough to wait 5 s or more. */
    private void publisherOrSubscriberFailsRepeatedly() {
        await("the killed connection to be turned away " + FAILURES + " times").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> errors.stream().filter(e -> String.valueOf(e.getMessage()).contains(REJECTED)).count()
                        >= FAILURES);
        assertThat(pubsub.isConnected()).isFalse();
    }

    private int connectedClients() {
        return admin.info("clients").lines()
                .filter(line -> line.startsWith("connected_clients:"))
                .mapToInt(line -> Integer.parseInt(line.substring("connected_clients:".length()).trim()))
                .findFirst()
                .orElseThrow();
    }

    /** The id of the connection with this name (ids grow with every new connection), or -1 if there is none. */
    private long clientId(String name) {
        return admin.clientList().lines()
                .filter(line -> (" " + line + " ").contains(" name=" + name + " "))
                .mapToLong(line -> Long.parseLong(line.substring(3, line.indexOf(' '))))
                .findFirst()
                .orElse(-1);
    }
}
