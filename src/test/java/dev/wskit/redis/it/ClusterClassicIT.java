package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisCluster;
import dev.wskit.redis.testing.RedisServer;

/**
 * Classic pub/sub in a Redis Cluster of three masters of its own: PUBLISH on one node reaches SUBSCRIBE on another,
 * and losing the subscriber's node only means reconnecting to another one. About 4 s.
 */
class ClusterClassicIT {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisPubSub create(String url, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(url)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500))
                .onError(errors::add);
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        resources.add(pubsub);
        return pubsub;
    }

    private static boolean hasClient(RedisServer server, String name) {
        return server.clientList().stream().anyMatch(line -> line.contains(" name=" + name + " "));
    }

    @Test
    void deliversAcrossNodesAndSurvivesTheLossOfTheSubscribersNode() {
        RedisCluster cluster = RedisCluster.builder().masters(3).start();
        resources.add(cluster);
        List<RedisServer> n = cluster.initialMasters();
        // a connects to the first node of its list, b to the second: they share no node
        RedisPubSub a = create(RedisCluster.url(List.of(n.get(0), n.get(1), n.get(2))),
                o -> o.clientName("classic-a").onDisconnect(disconnects::incrementAndGet));
        RedisPubSub b = create(RedisCluster.url(List.of(n.get(1), n.get(0), n.get(2))), o -> o.clientName("classic-b"));
        Collector news = new Collector();
        Collector pattern = new Collector();
        a.subscribe("news", news);
        a.psubscribe("pat:*", pattern);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isConnected() && b.isConnected());

        assertThat(hasClient(n.get(0), "classic-a-sub")).isTrue();
        assertThat(hasClient(n.get(1), "classic-b-pub")).isTrue();
        assertThat(hasClient(n.get(0), "classic-b-pub")).isFalse();
        Probes.join(b.publish("news", "hello"));
        assertThat(news.next().message()).isEqualTo("hello");
        Probes.join(b.publish("pat:1", "hi"));
        assertThat(pattern.next()).isEqualTo(new Collector.Received("pat:1", "hi"));

        long killed = System.nanoTime();
        n.get(0).kill9();
        Probes.flowsAgain(b, news, "news", Duration.ofSeconds(20));
        System.out.println("[ClusterClassicIT] subscriber's node killed: messages flowed again after "
                + (System.nanoTime() - killed) / 1_000_000 + " ms");
        assertThat(Probes.flowsAgain(b, pattern, "pat:2", Duration.ofSeconds(10)))
                .isLessThan(Duration.ofSeconds(5));
        assertThat(hasClient(n.get(1), "classic-a-sub") || hasClient(n.get(2), "classic-a-sub")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(a::isConnected);
        assertThat(disconnects.get()).isGreaterThanOrEqualTo(1);
        assertThat(a.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void aStandaloneServerIsReportedAsNotACluster() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        RedisPubSub pubsub = create("redis-cluster://127.0.0.1:" + server.port(), o -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).hasMessageContaining("no node of the cluster answered")
                .hasMessageContaining("127.0.0.1:" + server.port() + ": not a cluster node")
                .hasMessageContaining("use a redis:// url for a standalone server");
        assertThat(pubsub.isConnected()).isFalse();
    }
}
