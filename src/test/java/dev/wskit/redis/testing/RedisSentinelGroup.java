package dev.wskit.redis.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import redis.clients.jedis.Jedis;

/**
 * A Sentinel-monitored Redis deployment of real processes on free loopback ports: one master, its replicas and
 * the sentinels that watch them, for failover tests.
 *
 * <p>{@link Builder#start()} starts the master, the replicas ({@code --replicaof}) and the sentinels
 * ({@code redis-server sentinel.conf --sentinel}, see {@link RedisServer.Builder#sentinel()}), and returns when the
 * replicas are in sync and every sentinel knows every replica and every other sentinel (they find each other through
 * the master's hello channel, every 2 s): about 3 to 5 s. With the defaults (down after 1 s, failover timeout 5 s)
 * a killed master is replaced within about 3 to 6 s.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.builder().start()) {
 *     RedisServer master = group.master();
 *     master.kill9();
 *     RedisServer promoted = group.awaitFailover(master);
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills every process, also when {@code start()} fails half way; {@link RedisServer}'s shutdown
 * hook covers a JVM that exits without closing. Not thread-safe: use it from the test thread.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    /** How long {@link #awaitFailover(RedisServer)} waits. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String masterName;
    private final List<RedisServer> dataNodes = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinelGroup(String masterName) {
        this.masterName = masterName;
    }

    /**
     * Returns a new builder: master {@code mymaster}, 1 replica, 3 sentinels, quorum 2, down after 1 s, failover
     * timeout 5 s.
     *
     * @return a builder, never {@code null}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the name the sentinels monitor the master under. */
    public String masterName() {
        return masterName;
    }

    /** Returns the master and the replicas as started (the first one was the master). */
    public List<RedisServer> dataNodes() {
        return List.copyOf(dataNodes);
    }

    /** Returns the sentinels. */
    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** Returns {@code redis-sentinel://127.0.0.1:S1,...?sentinels=NAME}. */
    public String url() {
        return "redis-sentinel://" + sentinels.stream()
                .map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(",")) + "?sentinels=" + masterName;
    }

    /** Returns the current master as the first running sentinel names it. */
    public RedisServer master() {
        for (RedisServer sentinel : sentinels) {
            if (sentinel.isRunning()) {
                return byPort(masterPort(sentinel));
            }
        }
        throw new IllegalStateException("no sentinel is running");
    }

    /**
     * Waits until every running sentinel names a master other than {@code oldMaster} and that server says it is a
     * master ({@code ROLE}); returns it.
     *
     * @param oldMaster the master that was killed or paused
     * @return the new master, never {@code null}
     */
    public RedisServer awaitFailover(RedisServer oldMaster) {
        Awaitility.await("the sentinels to promote a replica of " + oldMaster.port())
                .atMost(FAILOVER_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    Integer agreed = null;
                    for (RedisServer sentinel : sentinels) {
                        if (!sentinel.isRunning()) {
                            continue;
                        }
                        int port = masterPort(sentinel);
                        if (port == oldMaster.port() || (agreed != null && agreed != port)) {
                            return false;
                        }
                        agreed = port;
                    }
                    return agreed != null && isMaster(byPort(agreed));
                });
        return master();
    }

    /** Kills every process; idempotent. */
    @Override
    public void close() {
        RuntimeException first = null;
        List<RedisServer> all = new ArrayList<>(sentinels);
        all.addAll(dataNodes);
        for (RedisServer server : all) {
            try {
                server.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "RedisSentinelGroup[" + url() + ", data nodes "
                + dataNodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.toList()) + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private int masterPort(RedisServer sentinel) {
        try (Jedis jedis = sentinel.newClient()) {
            List<String> address = jedis.sentinelGetMasterAddrByName(masterName);
            return Integer.parseInt(address.get(1));
        }
    }

    private static boolean isMaster(RedisServer server) {
        try (Jedis jedis = server.newClient()) {
            return jedis.info("replication").lines().anyMatch(l -> l.trim().equals("role:master"));
        }
    }

    private RedisServer byPort(int port) {
        for (RedisServer node : dataNodes) {
            if (node.port() == port) {
                return node;
            }
        }
        throw new IllegalStateException("no data node of " + this + " listens on " + port);
    }

    private void create(int replicas, int sentinelCount, int quorum, Duration downAfter, Duration failoverTimeout) {
        // replicas sync at once instead of waiting 5 s for more replicas to join
        RedisServer master = RedisServer.builder().arg("--repl-diskless-sync-delay", "0").start();
        dataNodes.add(master);
        for (int i = 0; i < replicas; i++) {
            dataNodes.add(RedisServer.builder()
                    .arg("--replicaof", master.host(), Integer.toString(master.port()))
                    .arg("--repl-diskless-sync-delay", "0")
                    .start());
        }
        Awaitility.await("the replicas of " + master.port() + " to be in sync")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> dataNodes.subList(1, dataNodes.size()).stream().allMatch(replica -> {
                    try (Jedis jedis = replica.newClient()) {
                        return jedis.info("replication").lines()
                                .anyMatch(l -> l.trim().equals("master_link_status:up"));
                    }
                }));
        for (int i = 0; i < sentinelCount; i++) {
            sentinels.add(RedisServer.builder()
                    .sentinel()
                    .arg("--sentinel", "monitor", masterName, master.host(), Integer.toString(master.port()),
                            Integer.toString(quorum))
                    .arg("--sentinel", "down-after-milliseconds", masterName, Long.toString(downAfter.toMillis()))
                    .arg("--sentinel", "failover-timeout", masterName, Long.toString(failoverTimeout.toMillis()))
                    .arg("--sentinel", "parallel-syncs", masterName, "1")
                    .start());
        }
        Awaitility.await("every sentinel to know " + replicas + " replica(s) and " + (sentinelCount - 1)
                + " other sentinel(s)")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sentinels.stream().allMatch(sentinel -> {
                    try (Jedis jedis = sentinel.newClient()) {
                        Map<String, String> state = jedis.sentinelMaster(masterName);
                        return "master".equals(state.get("flags"))
                                && Integer.toString(replicas).equals(state.get("num-slaves"))
                                && Integer.toString(sentinelCount - 1).equals(state.get("num-other-sentinels"));
                    }
                }));
    }

    /** Builder of {@link RedisSentinelGroup}; {@link #start()} starts it. */
    public static final class Builder {

        private String masterName = "mymaster";
        private int replicas = 1;
        private int sentinels = 3;
        private int quorum = 2;
        private Duration downAfter = Duration.ofMillis(1000);
        private Duration failoverTimeout = Duration.ofMillis(5000);

        private Builder() {
        }

        /**
         * Sets the name the sentinels monitor the master under; the default is {@code mymaster}.
         *
         * @param masterName not empty, no whitespace
         * @return this builder
         */
        public Builder masterName(String masterName) {
            if (masterName == null || masterName.isEmpty() || masterName.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("masterName must be a non-empty word, was " + masterName);
            }
            this.masterName = masterName;
            return this;
        }

        /**
         * Sets the number of replicas, 1 to 3; the default is 1.
         *
         * @param replicas the number of replicas
         * @return this builder
         */
        public Builder replicas(int replicas) {
            if (replicas < 1 || replicas > 3) {
                throw new IllegalArgumentException("replicas must be 1 to 3, was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * Sets the number of sentinels (1 to 5) and the quorum (1 to sentinels); the defaults are 3 and 2.
         *
         * @param sentinels the number of sentinels
         * @param quorum how many sentinels must agree that the master is down
         * @return this builder
         */
        public Builder sentinels(int sentinels, int quorum) {
            if (sentinels < 1 || sentinels > 5 || quorum < 1 || quorum > sentinels) {
                throw new IllegalArgumentException("need 1 to 5 sentinels and a quorum of 1 to sentinels, was "
                        + sentinels + " and " + quorum);
            }
            this.sentinels = sentinels;
            this.quorum = quorum;
            return this;
        }

        /**
         * Sets {@code down-after-milliseconds}; the default is 1 s.
         *
         * @param downAfter at least 100 ms
         * @return this builder
         */
        public Builder downAfter(Duration downAfter) {
            if (downAfter.toMillis() < 100) {
                throw new IllegalArgumentException("downAfter must be at least 100 ms, was " + downAfter);
            }
            this.downAfter = downAfter;
            return this;
        }

        /**
         * Sets {@code failover-timeout}; the default is 5 s.
         *
         * @param failoverTimeout at least 1 s
         * @return this builder
         */
        public Builder failoverTimeout(Duration failoverTimeout) {
            if (failoverTimeout.toMillis() < 1000) {
                throw new IllegalArgumentException("failoverTimeout must be at least 1 s, was " + failoverTimeout);
            }
            this.failoverTimeout = failoverTimeout;
            return this;
        }

        /**
         * Starts the processes and waits until the sentinels know each other and the replicas; kills every process
         * it started if that fails.
         *
         * @return the running group, never {@code null}
         */
        public RedisSentinelGroup start() {
            RedisSentinelGroup group = new RedisSentinelGroup(masterName);
            try {
                group.create(replicas, sentinels, quorum, downAfter, failoverTimeout);
                return group;
            } catch (RuntimeException | Error e) {
                try {
                    group.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}
