package dev.wskit.redis.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of real {@code redis-server} processes on free loopback ports, for tests of cluster topologies.
 *
 * <p>{@link Builder#start()} starts the nodes ({@code --cluster-enabled yes}), assigns the 16384 slots evenly to the
 * masters, joins the nodes with {@code CLUSTER MEET}, attaches the replicas ({@code CLUSTER REPLICATE}) and returns
 * when every node reports {@code cluster_state:ok} and every replica is in sync: about 2 s for 3 masters and 3
 * replicas. No {@code redis-cli} is needed. Replicas can always be promoted ({@code cluster-replica-validity-factor
 * 0}), so failover takes about twice the node timeout.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
 *     RedisServer owner = cluster.masterOf("ws:chat");
 *     owner.kill9();
 *     RedisServer promoted = cluster.awaitFailover(owner);
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills every node, also when {@code start()} fails half way; {@link RedisServer}'s shutdown
 * hook covers a JVM that exits without closing. Not thread-safe: use it from the test thread.
 */
public final class RedisCluster implements AutoCloseable {

    /** How long the helpers wait for the cluster to agree on a change. */
    public static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final int SLOTS = 16384;

    private final List<RedisServer> nodes = new ArrayList<>();
    private final int masterCount;
    /** The command-line arguments of every node, set by {@link #create}. */
    private List<String> nodeArgs = List.of();

    private RedisCluster(int masterCount) {
        this.masterCount = masterCount;
    }

    /**
     * Returns a new builder: 3 masters, no replicas, node timeout 1 s.
     *
     * @return a builder, never {@code null}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns every node, the initial masters first, then the replicas (replica {@code i} of master
     * {@code i % masters}).
     */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** Returns the nodes that were started as masters, in slot order (master 0 owns the lowest slots). */
    public List<RedisServer> initialMasters() {
        return List.copyOf(nodes.subList(0, masterCount));
    }

    /** Returns {@code redis-cluster://127.0.0.1:P1,...} listing every node, the initial masters first. */
    public String url() {
        return url(nodes);
    }

    /**
     * Returns a {@code redis-cluster://} URL listing the given nodes in this order, so that a classic pub/sub client
     * connects to the first one that answers.
     *
     * @param seeds the nodes, must not be empty
     * @return the URL, never {@code null}
     */
    public static String url(List<RedisServer> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must not be empty");
        }
        return "redis-cluster://" + seeds.stream()
                .map(node -> node.host() + ":" + node.port())
                .collect(Collectors.joining(","));
    }

    /** Returns the hash slot of a channel or key, as Redis computes it (hash tags apply). */
    public static int slot(String channelOrKey) {
        return JedisClusterCRC16.getSlot(channelOrKey);
    }

    /** Returns the node id ({@code CLUSTER MYID}) of a running node. */
    public static String nodeId(RedisServer node) {
        try (Jedis jedis = node.newClient()) {
            return (String) decode(jedis.sendCommand(Protocol.Command.CLUSTER, "MYID"));
        }
    }

    /** Returns the master that owns the slot of {@code channelOrKey}, as a running node sees it. */
    public RedisServer masterOf(String channelOrKey) {
        return masterOfSlot(slot(channelOrKey));
    }

    /** Returns the master that owns {@code slot}, as the first running node sees it. */
    public RedisServer masterOfSlot(int slot) {
        RedisServer any = running().get(0);
        return byPort(ownerPort(any, slot));
    }

    /**
     * Returns a channel name, {@code prefix} followed by a number, whose slot on the wire ({@code wirePrefix} +
     * name, e.g. {@code ws:}) the given master owns now.
     *
     * @param master a master
     * @param wirePrefix what the client puts before the name on the wire, such as the namespace and {@code :}
     * @param prefix the start of the name
     * @param except slots not to use, e.g. those of channels already chosen
     * @return the channel name without {@code wirePrefix}
     */
    public String channelOwnedBy(RedisServer master, String wirePrefix, String prefix, int... except) {
        RedisServer any = running().get(0);
        List<int[]> ranges = new ArrayList<>();
        try (Jedis jedis = any.newClient()) {
            for (Object range : (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
                List<?> r = (List<?>) range;
                if (((Long) ((List<?>) r.get(2)).get(1)).intValue() == master.port()) {
                    ranges.add(new int[] {((Long) r.get(0)).intValue(), ((Long) r.get(1)).intValue()});
                }
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            String name = prefix + i;
            int slot = slot(wirePrefix + name);
            boolean excluded = Arrays.stream(except).anyMatch(e -> e == slot);
            if (!excluded && ranges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1])) {
                return name;
            }
        }
        throw new IllegalStateException(master.port() + " owns no slot");
    }

    /**
     * Returns a channel name, {@code prefix} followed by a number, whose slot on the wire ({@code wirePrefix} +
     * name) lies in the slots the cluster gave initial master {@code shard} when it was formed, whichever node owns
     * them now.
     *
     * @param shard the index of an initial master
     * @param wirePrefix what the client puts before the name on the wire, such as the namespace and {@code :}
     * @param prefix the start of the name
     * @param except slots not to use, e.g. those of channels already chosen
     * @return the channel name without {@code wirePrefix}
     */
    public String channelInShard(int shard, String wirePrefix, String prefix, int... except) {
        int per = SLOTS / masterCount;
        int start = shard * per;
        int end = shard == masterCount - 1 ? SLOTS - 1 : start + per - 1;
        for (int i = 0; i < 1_000_000; i++) {
            String name = prefix + i;
            int slot = slot(wirePrefix + name);
            if (slot >= start && slot <= end && Arrays.stream(except).noneMatch(e -> e == slot)) {
                return name;
            }
        }
        throw new IllegalStateException("no name found for shard " + shard);
    }

    /** Returns a replica of {@code master} (as the master reports them), or fails if it has none. */
    public RedisServer replicaOf(RedisServer master) {
        String id = nodeId(master);
        for (RedisServer node : running()) {
            if (node != master && role(node).equals("slave") && id.equals(masterIdOf(node))) {
                return node;
            }
        }
        throw new IllegalStateException("master " + master.port() + " has no running replica");
    }

    /** Returns the nodes whose process is alive. */
    public List<RedisServer> running() {
        return nodes.stream().filter(RedisServer::isRunning).collect(Collectors.toList());
    }

    /**
     * Waits until a replica of {@code oldMaster} is a master and every running node agrees that it owns the slots
     * {@code oldMaster} had; returns it. Use after killing {@code oldMaster} or {@link #manualFailover}.
     *
     * @param oldMaster the former master
     * @param slot a slot {@code oldMaster} owned
     * @return the new owner of the slot, never {@code null}
     */
    public RedisServer awaitNewMasterOfSlot(RedisServer oldMaster, int slot) {
        Awaitility.await("a new master of slot " + slot + " instead of " + oldMaster.port())
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Integer port = agreedOwnerPort(slot);
                    return port != null && port != oldMaster.port() && role(byPort(port)).equals("master");
                });
        return byPort(agreedOwnerPort(slot));
    }

    /**
     * Promotes a replica with {@code CLUSTER FAILOVER} (the master stays up and becomes its replica) and waits until
     * every running node agrees.
     *
     * @param replica a replica
     * @param slot a slot of its master, to wait for
     */
    public void manualFailover(RedisServer replica, int slot) {
        RedisServer oldMaster = masterOfSlot(slot);
        try (Jedis jedis = replica.newClient()) {
            jedis.sendCommand(Protocol.Command.CLUSTER, "FAILOVER");
        }
        RedisServer promoted = awaitNewMasterOfSlot(oldMaster, slot);
        if (promoted != replica) {
            throw new IllegalStateException("expected " + replica.port() + " to be promoted, was " + promoted.port());
        }
    }

    /**
     * Moves an empty slot to another master ({@code SETSLOT IMPORTING/MIGRATING}, no keys to {@code MIGRATE}, then
     * {@code SETSLOT NODE} on the target, the source and the other masters) and waits until every running node
     * agrees.
     *
     * @param slot the slot; must hold no keys
     * @param target the new owner, a master
     */
    public void moveSlot(int slot, RedisServer target) {
        RedisServer source = masterOfSlot(slot);
        if (source == target) {
            throw new IllegalArgumentException("slot " + slot + " is already owned by " + target.port());
        }
        String sourceId = nodeId(source);
        String targetId = nodeId(target);
        String s = Integer.toString(slot);
        clusterCommand(target, "SETSLOT", s, "IMPORTING", sourceId);
        clusterCommand(source, "SETSLOT", s, "MIGRATING", targetId);
        clusterCommand(target, "SETSLOT", s, "NODE", targetId);
        clusterCommand(source, "SETSLOT", s, "NODE", targetId);
        for (RedisServer node : running()) {
            if (node != source && node != target && role(node).equals("master")) {
                clusterCommand(node, "SETSLOT", s, "NODE", targetId);
            }
        }
        Awaitility.await("every node to agree that " + target.port() + " owns slot " + slot)
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Objects.equals(agreedOwnerPort(slot), target.port()));
    }

    /**
     * Starts moving a slot with its keys to another master while clients may use it, as {@code redis-cli --cluster
     * reshard} does: {@code SETSLOT IMPORTING} on the target, {@code MIGRATING} on the source, then
     * {@code MIGRATE ... KEYS} of the keys {@code CLUSTER GETKEYSINSLOT} lists until none is left. The source still
     * owns the slot: it answers commands on keys it no longer has with {@code ASK}. {@link #assignSlot} ends the move.
     *
     * @param slot the slot
     * @param target the new owner, a master
     * @return the number of keys moved
     */
    public int migrateSlotKeys(int slot, RedisServer target) {
        RedisServer source = masterOfSlot(slot);
        if (source == target) {
            throw new IllegalArgumentException("slot " + slot + " is already owned by " + target.port());
        }
        String s = Integer.toString(slot);
        clusterCommand(target, "SETSLOT", s, "IMPORTING", nodeId(source));
        clusterCommand(source, "SETSLOT", s, "MIGRATING", nodeId(target));
        int moved = 0;
        try (Jedis jedis = source.newClient()) {
            while (true) {
                List<?> keys = (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "GETKEYSINSLOT", s, "100");
                if (keys.isEmpty()) {
                    break;
                }
                List<String> args = new ArrayList<>(List.of(target.host(), Integer.toString(target.port()), "", "0",
                        "5000", "KEYS"));
                keys.forEach(k -> args.add((String) decode(k)));
                Object reply = decode(jedis.sendCommand(Protocol.Command.MIGRATE, args.toArray(new String[0])));
                if (!"OK".equals(reply)) {
                    throw new IllegalStateException("MIGRATE of " + keys.size() + " key(s) answered " + reply);
                }
                moved += keys.size();
            }
        }
        return moved;
    }

    /**
     * Starts moving a slot to another master, like {@link #migrateSlotKeys}, but {@code MIGRATE}s only the given keys
     * (which must be in the slot; none: only the {@code SETSLOT}s): the slot is left half migrated, its other keys
     * still on the source. A command on keys of both sides is then answered {@code TRYAGAIN}. {@link #migrateSlotKeys} moves the rest,
     * {@link #assignSlot} ends the move. Calling it again for the same slot and target migrates more keys.
     *
     * @param slot the slot
     * @param target the new owner, a master
     * @param keys the keys to move now
     */
    public void migrateSomeSlotKeys(int slot, RedisServer target, String... keys) {
        RedisServer source = masterOfSlot(slot);
        if (source == target) {
            throw new IllegalArgumentException("slot " + slot + " is already owned by " + target.port());
        }
        for (String key : keys) {
            if (slot(key) != slot) {
                throw new IllegalArgumentException(key + " is not in slot " + slot);
            }
        }
        String s = Integer.toString(slot);
        clusterCommand(target, "SETSLOT", s, "IMPORTING", nodeId(source));
        clusterCommand(source, "SETSLOT", s, "MIGRATING", nodeId(target));
        if (keys.length == 0) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(target.host(), Integer.toString(target.port()), "", "0",
                "5000", "KEYS"));
        args.addAll(Arrays.asList(keys));
        try (Jedis jedis = source.newClient()) {
            Object reply = decode(jedis.sendCommand(Protocol.Command.MIGRATE, args.toArray(new String[0])));
            if (!"OK".equals(reply)) {
                throw new IllegalStateException("MIGRATE of " + Arrays.toString(keys) + " answered " + reply);
            }
        }
    }

    /**
     * Returns how many error replies starting with {@code prefix} (such as {@code TRYAGAIN}) a node has sent, from
     * {@code INFO errorstats}.
     *
     * @param node a node
     * @param prefix the error's first word
     * @return the count, 0 if none
     */
    public static long errorCount(RedisServer node, String prefix) {
        String line = "errorstat_" + prefix + ":count=";
        return info(node, "errorstats").lines().map(String::trim).filter(l -> l.startsWith(line))
                .mapToLong(l -> Long.parseLong(l.substring(line.length()).split(",")[0])).sum();
    }

    /**
     * Ends a move begun with {@link #migrateSlotKeys}: {@code SETSLOT NODE} on the target, the source (which drops
     * the slot's sharded subscribers with a {@code sunsubscribe}) and the other masters. Returns at once;
     * {@link #awaitOwner} waits until every node agrees.
     *
     * @param slot the slot
     * @param source its owner until now
     * @param target the new owner
     */
    public void assignSlot(int slot, RedisServer source, RedisServer target) {
        String targetId = nodeId(target);
        String s = Integer.toString(slot);
        clusterCommand(target, "SETSLOT", s, "NODE", targetId);
        clusterCommand(source, "SETSLOT", s, "NODE", targetId);
        for (RedisServer node : running()) {
            if (node != source && node != target && role(node).equals("master")) {
                clusterCommand(node, "SETSLOT", s, "NODE", targetId);
            }
        }
    }

    /**
     * Waits until every running node agrees that {@code owner} owns {@code slot}.
     *
     * @param slot the slot
     * @param owner a master
     */
    public void awaitOwner(int slot, RedisServer owner) {
        Awaitility.await("every node to agree that " + owner.port() + " owns slot " + slot)
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Objects.equals(agreedOwnerPort(slot), owner.port()));
    }

    /**
     * Starts one more node, configured like the others, and joins it to the cluster ({@code CLUSTER MEET}) as a
     * master without slots, as before resharding onto a new machine; returns once every running node knows it and
     * it sees the cluster ok. {@code CLUSTER SLOTS} does not list it until it owns a slot.
     *
     * @return the new master, also in {@link #nodes()} (after the others)
     */
    public RedisServer addEmptyMaster() {
        RedisServer node = RedisServer.builder().arg(nodeArgs.toArray(new String[0])).start();
        nodes.add(node);
        RedisServer any = running().get(0);
        clusterCommand(node, "MEET", any.host(), Integer.toString(any.port()));
        String id = nodeId(node);
        Awaitility.await("every node of " + this + " to know the new master " + node.port())
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> running().stream().allMatch(n -> ((String) clusterCommand(n, "NODES")).contains(id))
                        && ((String) clusterCommand(node, "NODES")).lines().filter(l -> !l.isBlank()).count()
                                == running().size()
                        && ((String) clusterCommand(node, "INFO")).lines()
                                .anyMatch(l -> l.trim().equals("cluster_state:ok")));
        return node;
    }

    /** Kills every node; idempotent. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (RedisServer node : nodes) {
            try {
                node.close();
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
        return "RedisCluster" + nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The owner port of a slot if all running nodes agree, else null. */
    private Integer agreedOwnerPort(int slot) {
        Integer agreed = null;
        for (RedisServer node : running()) {
            Integer port;
            try {
                port = ownerPort(node, slot);
            } catch (RuntimeException e) {
                return null;
            }
            if (port == null || (agreed != null && !agreed.equals(port))) {
                return null;
            }
            agreed = port;
        }
        return agreed;
    }

    private static Integer ownerPort(RedisServer node, int slot) {
        try (Jedis jedis = node.newClient()) {
            for (Object range : (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
                List<?> r = (List<?>) range;
                long start = (Long) r.get(0);
                long end = (Long) r.get(1);
                if (slot >= start && slot <= end) {
                    return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                }
            }
        }
        return null;
    }

    private RedisServer byPort(int port) {
        for (RedisServer node : nodes) {
            if (node.port() == port) {
                return node;
            }
        }
        throw new IllegalStateException("no node of " + this + " listens on " + port);
    }

    private static String role(RedisServer node) {
        try (Jedis jedis = node.newClient()) {
            return (String) decode(((List<?>) jedis.sendCommand(Protocol.Command.ROLE)).get(0));
        }
    }

    /** The master id a replica follows, from its own CLUSTER NODES line. */
    private static String masterIdOf(RedisServer replica) {
        try (Jedis jedis = replica.newClient()) {
            String nodesText = (String) decode(jedis.sendCommand(Protocol.Command.CLUSTER, "NODES"));
            for (String line : nodesText.split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length > 3 && fields[2].contains("myself")) {
                    return fields[3];
                }
            }
        }
        return "-";
    }

    private static Object clusterCommand(RedisServer node, String... args) {
        try (Jedis jedis = node.newClient()) {
            return decode(jedis.sendCommand(Protocol.Command.CLUSTER, args));
        }
    }

    private static Object decode(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply;
    }

    private static String info(RedisServer node, String section) {
        try (Jedis jedis = node.newClient()) {
            return jedis.info(section);
        }
    }

    private static boolean infoHas(RedisServer node, String section, String line) {
        return info(node, section).lines().anyMatch(l -> l.trim().equals(line));
    }

    private void create(Duration nodeTimeout, int replicasPerMaster, List<String> extraArgs) {
        int total = masterCount * (1 + replicasPerMaster);
        List<String> common = new ArrayList<>(List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                "--cluster-replica-validity-factor", "0",
                "--cluster-allow-replica-migration", "no",
                // replicas sync at once instead of waiting 5 s for more replicas to join
                "--repl-diskless-sync-delay", "0",
                // CLUSTER SLOTS lists a replica only once its replication offset moved; an idle
                // master moves it only with these pings (default every 10 s)
                "--repl-ping-replica-period", "1"));
        common.addAll(extraArgs);
        nodeArgs = List.copyOf(common);
        for (int i = 0; i < total; i++) {
            nodes.add(RedisServer.builder().arg(nodeArgs.toArray(new String[0])).start());
        }
        // distinct config epochs before the nodes meet, as redis-cli --cluster create does
        for (int i = 0; i < total; i++) {
            clusterCommand(nodes.get(i), "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        }
        int per = SLOTS / masterCount;
        for (int m = 0; m < masterCount; m++) {
            int start = m * per;
            int end = m == masterCount - 1 ? SLOTS - 1 : start + per - 1;
            String[] args = new String[end - start + 2];
            args[0] = "ADDSLOTS";
            for (int slot = start; slot <= end; slot++) {
                args[slot - start + 1] = Integer.toString(slot);
            }
            clusterCommand(nodes.get(m), args);
        }
        RedisServer first = nodes.get(0);
        for (int i = 1; i < total; i++) {
            clusterCommand(nodes.get(i), "MEET", first.host(), Integer.toString(first.port()));
        }
        Awaitility.await("every node of " + this + " to know every other")
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> nodes.stream().allMatch(node -> ((String) clusterCommand(node, "NODES"))
                        .lines().filter(l -> !l.isBlank()).count() == total));
        for (int r = masterCount; r < total; r++) {
            RedisServer master = nodes.get(r % masterCount);
            clusterCommand(nodes.get(r), "REPLICATE", nodeId(master));
        }
        Awaitility.await("cluster " + this + " to be ok with replicas in sync")
                .atMost(AGREEMENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> nodes.stream().allMatch(node -> ((String) clusterCommand(node, "INFO")).lines()
                        .anyMatch(l -> l.trim().equals("cluster_state:ok")))
                        && nodes.subList(masterCount, total).stream()
                                .allMatch(node -> infoHas(node, "replication", "master_link_status:up"))
                        && nodes.stream().allMatch(node -> slotsListReplicas(node, replicasPerMaster)));
    }

    /** True when the node's CLUSTER SLOTS lists every master's replicas, so clients learn about them. */
    private boolean slotsListReplicas(RedisServer node, int replicasPerMaster) {
        try (Jedis jedis = node.newClient()) {
            List<?> ranges = (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "SLOTS");
            return ranges.size() == masterCount
                    && ranges.stream().allMatch(r -> ((List<?>) r).size() == 3 + replicasPerMaster);
        }
    }

    /** Builder of {@link RedisCluster}; {@link #start()} starts it. */
    public static final class Builder {

        private int masters = 3;
        private int replicasPerMaster;
        private Duration nodeTimeout = Duration.ofMillis(1000);
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the number of masters, 1 to 16; the default is 3.
         *
         * @param masters the number of masters
         * @return this builder
         */
        public Builder masters(int masters) {
            if (masters < 1 || masters > 16) {
                throw new IllegalArgumentException("masters must be 1 to 16, was " + masters);
            }
            this.masters = masters;
            return this;
        }

        /**
         * Sets the number of replicas of each master, 0 to 3; the default is 0.
         *
         * @param replicasPerMaster the number of replicas per master
         * @return this builder
         */
        public Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0 || replicasPerMaster > 3) {
                throw new IllegalArgumentException("replicasPerMaster must be 0 to 3, was " + replicasPerMaster);
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /**
         * Sets {@code cluster-node-timeout}: a master unreachable this long is failed over; the default is 1 s.
         *
         * @param nodeTimeout at least 100 ms
         * @return this builder
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            if (nodeTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("nodeTimeout must be at least 100 ms, was " + nodeTimeout);
            }
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /**
         * Appends command-line arguments for every node.
         *
         * @param args must not be {@code null}
         * @return this builder
         */
        public Builder arg(String... args) {
            extraArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Starts the nodes and forms the cluster; kills every node it started if that fails.
         *
         * @return the running cluster, never {@code null}
         */
        public RedisCluster start() {
            RedisCluster cluster = new RedisCluster(masters);
            try {
                cluster.create(nodeTimeout, replicasPerMaster, extraArgs);
                return cluster;
            } catch (RuntimeException | Error e) {
                try {
                    cluster.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}
