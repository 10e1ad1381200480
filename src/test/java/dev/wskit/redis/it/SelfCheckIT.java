package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubOptions.SelfCheck;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.internal.RedisPubSubImpl;
import dev.wskit.redis.internal.selfcheck.SelfCheckReport;
import dev.wskit.redis.testing.RedisCluster;
import dev.wskit.redis.testing.RedisSentinelGroup;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;

/**
 * The start-up self-check against Redis servers of its own: each problem is one WARNING line naming the setting and
 * the fix, is part of the health view, and in strict mode fails the start.
 */
class SelfCheckIT {

    private static final long WAIT_SECONDS = 20;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        log.close();
    }

    private RedisServer redis() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        return server;
    }

    private RedisPubSubImpl create(String url, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(url)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500));
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        resources.add(pubsub);
        return (RedisPubSubImpl) pubsub;
    }

    private static SelfCheckReport report(RedisPubSubImpl pubsub) throws Exception {
        return pubsub.selfCheck().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private List<String> warnings() {
        return log.messages(Level.WARNING).stream().filter(m -> m.contains("self-check")).toList();
    }

    @Test
    void aDefaultRedisPassesWithOneInfoLine() throws Exception {
        RedisServer redis = redis();
        RedisPubSubImpl pubsub = create(redis.url(), o -> o.clientName("check-ok"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.problems()).isEmpty();
        assertThat(report.redis()).startsWith("Redis ").contains("(standalone)");
        assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("self-check of Redis ")
                && m.contains("at 127.0.0.1:" + redis.port() + ": passed"));
        assertThat(warnings()).isEmpty();
        assertThat(pubsub.health().selfCheck()).isEqualTo("passed");
        assertThat(pubsub.health().selfCheckProblems()).isZero();
        // the check's own connection is closed again
        assertThat(redis.clientList()).noneMatch(line -> line.contains("name=check-ok-check "));
    }

    @Test
    void aUserWithoutSubscribeGetsOneLineNamingTheCommandAndTheFix() throws Exception {
        RedisServer redis = redis();
        try (Jedis admin = redis.newClient()) {
            admin.aclSetUser("app", "on", ">app-s3cret", "~*", "&*", "+@all", "-subscribe");
        }
        RedisPubSubImpl pubsub = create("redis://app:app-s3cret@127.0.0.1:" + redis.port(),
                o -> o.namespace("chat").clientName("check-acl"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.problems()).hasSize(1);
        assertThat(report.problems().get(0)).contains("may not run SUBSCRIBE chat:__wskit:selfcheck")
                .contains("ACL SETUSER <user> +subscribe &chat:*");
        assertThat(warnings()).anyMatch(m -> m.contains("self-check: ACL: the user may not run SUBSCRIBE"));
        assertThat(pubsub.health().selfCheckProblems()).isEqualTo(1);
        assertThat(log.text()).doesNotContain("app-s3cret");
    }

    @Test
    void aUserWhoMayNotRunAclDryRunIsToldTheRightsAreNotCheckable() throws Exception {
        RedisServer redis = redis();
        try (Jedis admin = redis.newClient()) {
            admin.aclSetUser("app", "on", ">app-pw", "~*", "&*", "+@all", "-acl");
        }
        RedisPubSubImpl pubsub = create("redis://app:app-pw@127.0.0.1:" + redis.port(), o -> o.clientName("nodry"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("ACL rights not checkable"));
        assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("self-check note: ACL rights not checkable"));
    }

    @Test
    void aLowPubsubOutputBufferLimitGetsItsLine() throws Exception {
        RedisServer redis = redis();
        try (Jedis admin = redis.newClient()) {
            admin.configSet("client-output-buffer-limit", "pubsub 1mb 256kb 60");
        }
        RedisPubSubImpl pubsub = create(redis.url(), o -> o.clientName("check-cobl"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.problems()).singleElement().asString()
                .contains("client-output-buffer-limit is pubsub 1048576 262144 60, low")
                .contains("CONFIG SET client-output-buffer-limit");
        assertThat(warnings()).anyMatch(m -> m.contains("self-check: client-output-buffer-limit"));
        // a problem in LOG mode changes nothing: the instance connects (its subscriber may still be on its way)
        await().atMost(Duration.ofSeconds(20)).until(pubsub::isConnected);
    }

    @Test
    void aClusterWithASlotWithoutMasterGetsItsLine() throws Exception {
        RedisCluster cluster = RedisCluster.builder().masters(3).arg("--cluster-require-full-coverage", "no").start();
        resources.add(cluster);
        RedisServer owner = cluster.masterOfSlot(0);
        try (Jedis admin = owner.newClient()) {
            admin.clusterDelSlots(0);
        }
        RedisPubSubImpl pubsub = create(cluster.url(), o -> o.clientName("check-slots"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.redis()).contains("(cluster)");
        assertThat(report.problems()).anyMatch(p -> p.startsWith("cluster slots: 1 of 16384 hash slots have no master"
                + " (the first is 0)"));
        assertThat(warnings()).anyMatch(m -> m.contains("self-check: cluster slots: 1 of 16384"));
    }

    @Test
    void withSentinelTheMasterIsNamedAndASentinelThatCannotBeAskedIsNoted() throws Exception {
        RedisSentinelGroup group = RedisSentinelGroup.builder().replicas(1).sentinels(1, 1).start();
        resources.add(group);
        RedisServer gone = RedisServer.start();
        int port = gone.port();
        gone.close();
        RedisServer sentinel = group.sentinels().get(0);
        RedisPubSubImpl pubsub = create(null, o -> o.url(null)
                .sentinels(List.of(sentinel.host() + ":" + sentinel.port(), "127.0.0.1:" + port))
                .sentinelMaster(group.masterName()).clientName("check-sentinel"));

        SelfCheckReport report = report(pubsub);

        assertThat(report.problems()).isEmpty();
        assertThat(report.redis()).contains("master " + group.masterName() + " at ")
                .contains(":" + group.master().port());
        assertThat(report.notes()).anyMatch(n -> n.startsWith("sentinel 127.0.0.1:" + port + " could not be asked"));
    }

    @Test
    void strictModeFailsTheStartThroughConnected() throws Exception {
        RedisServer redis = redis();
        try (Jedis admin = redis.newClient()) {
            admin.configSet("client-output-buffer-limit", "pubsub 1mb 256kb 60");
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RedisPubSubImpl pubsub = create(redis.url(), o -> o.clientName("check-strict").selfCheck(SelfCheck.STRICT)
                .onError(errors::add));

        Throwable failure = catchThrowable(() -> pubsub.connected().toCompletableFuture()
                .get(WAIT_SECONDS, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("self-check strict").hasMessageContaining("client-output-buffer-limit");
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> pubsub.health().destroyed() && !errors.isEmpty());
        assertThat(errors.get(0)).hasMessageContaining("client-output-buffer-limit");
        Throwable publish = catchThrowable(() -> pubsub.publish("room", "x").toCompletableFuture()
                .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join());
        assertThat(publish).isInstanceOf(CompletionException.class).hasCauseInstanceOf(RedisPubSubException.class);
    }

    @Test
    void strictModeThatPassesCompletesConnected() throws Exception {
        RedisServer redis = redis();
        RedisPubSubImpl pubsub = create(redis.url(), o -> o.clientName("strict-ok").selfCheck(SelfCheck.STRICT));

        pubsub.connected().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(report(pubsub).passed()).isTrue();
    }

    @Test
    void offRunsNothing() {
        RedisServer redis = redis();
        RedisPubSubImpl pubsub = create(redis.url(), o -> o.selfCheck(SelfCheck.OFF));

        assertThat(pubsub.selfCheck()).isNull();
        assertThat(pubsub.health().selfCheck()).isEqualTo("off");
    }
}
