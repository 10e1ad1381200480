package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.internal.RedisPubSubImpl;
import dev.wskit.redis.internal.health.HealthView;
import dev.wskit.redis.testing.DeafeningProxy;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;

/**
 * The loopback canary catches a subscriber connection that answers PING but receives nothing. A proxy between the
 * instance and a private Redis swaps, behind the instance's back, the proxy's connection to Redis for one subscribed
 * only to a decoy channel: the socket stays open, PINGs are answered, and nothing the instance subscribed arrives.
 */
class CanaryIT {

    private static final Duration CANARY = Duration.ofSeconds(1);

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private RedisServer server;
    private DeafeningProxy proxy;
    private RedisPubSub pubsub;
    private LogCapture log;
    private Collector received;

    @BeforeEach
    void start() {
        server = RedisServer.builder().start();
        proxy = DeafeningProxy.to(server.host(), server.port());
        log = LogCapture.start();
    }

    @AfterEach
    void stop() {
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (log != null) {
            log.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void connect(Duration canaryInterval) {
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder()
                .url(proxy.url())
                .clientName("canary-it")
                // the proxy tells the subscriber connection by what passes through it: no check connection as well
                .selfCheck(RedisPubSubOptions.SelfCheck.OFF)
                .pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(500))
                .canaryInterval(canaryInterval)
                .onError(errors::add)
                .build());
        received = new Collector();
        pubsub.subscribe("news", received);
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        Probes.flowsAgain(pubsub, received, "news", Duration.ofSeconds(10));
    }

    private HealthView health() {
        return ((RedisPubSubImpl) pubsub).health();
    }

    @Test
    void aDeafSubscriberIsNotReadyAndIsReplacedAndMessagesFlowAgain() {
        connect(CANARY);
        await("a first canary back").atMost(Duration.ofSeconds(10))
                .until(() -> pubsub.stats().canaryRoundTrip().isPresent());
        assertThat(health().ready()).as("ready: %s", health()).isTrue();
        long reconnects = pubsub.stats().reconnects();

        long deafAt = System.nanoTime();
        assertThat(proxy.deafen()).as("subscriber connections made deaf").isOne();

        await("readiness DOWN because the canary is late").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> health().reasons().contains("loopback canary late"));
        long detected = System.nanoTime() - deafAt;
        // readiness goes DOWN at the deadline; the housekeeper's next tick counts the late canary
        await("the late canary counted").atMost(Duration.ofSeconds(10))
                .until(() -> pubsub.stats().canaryFailures() > 0);
        await("the subscriber connection replaced").atMost(Duration.ofSeconds(10))
                .until(() -> pubsub.stats().reconnects() > reconnects);
        Duration outage = Probes.flowsAgain(pubsub, received, "news", Duration.ofSeconds(10));
        await("ready again").atMost(Duration.ofSeconds(10)).until(() -> health().ready());
        System.out.printf("canary: deaf subscriber detected after %d ms (interval %d ms), messages flow again %d ms "
                + "later%n", detected / 1_000_000, CANARY.toMillis(), outage.toMillis());

        assertThat(log.messages(Level.WARNING)).filteredOn(m -> m.contains("loopback canary"))
                .singleElement().asString()
                .contains("did not come back within 1000 ms")
                .contains("replacing it");
        assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("loopback canary came back"));
        assertThat(pubsub.stats().subscriptions()).as("the canary's own channel is not counted").isOne();
    }

    @Test
    void withoutTheCanaryTheDeafSubscriberGoesUnnoticed() {
        connect(Duration.ZERO);
        long reconnects = pubsub.stats().reconnects();

        assertThat(proxy.deafen()).isOne();

        // the trick works: PINGs are answered, nothing arrives, nothing is replaced (bounded, not a sleep to sync)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> pubsub.isConnected() && pubsub.stats().reconnects() == reconnects);
        pubsub.publish("news", "lost");
        assertThat(received.poll(Duration.ofMillis(500))).as("received by a deaf subscriber").isNull();
        assertThat(health().ready()).isTrue();
        assertThat(pubsub.stats().canaryRoundTrip()).isEmpty();
    }

    @Test
    void canariesAreLeftOutOfTheApplicationsCountsAndOutOfItsPatterns() {
        connect(Duration.ofMillis(400));
        Collector all = new Collector();
        pubsub.psubscribe("*", all);
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        await("several canaries back").atMost(Duration.ofSeconds(10))
                .until(() -> pubsub.stats().canaryRoundTrip().isPresent());
        long start = System.nanoTime();
        try (Jedis admin = server.newClient()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.pubsubChannels("ws:__wskit:canary:*").size() == 1);
        }
        var before = pubsub.stats();
        pubsub.publish("news", "one");
        assertThat(received.next().message()).isEqualTo("one");
        assertThat(all.next().message()).isEqualTo("one");
        // at least two canary intervals more
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - start > 1_000_000_000L
                && pubsub.stats().canaryRoundTrip().isPresent());

        assertThat(all.poll(Duration.ofMillis(200))).as("a canary delivered to a pattern").isNull();
        var after = pubsub.stats();
        assertThat(after.published() - before.published()).isOne();
        assertThat(after.received() - before.received()).as("received: the message and its pattern copy")
                .isEqualTo(2);
        assertThat(after.subscriptions()).isEqualTo(2);
        assertThat(errors).isEmpty();
    }
}
