package dev.wskit.redis.internal.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.OneSocketConnection;
import dev.wskit.redis.internal.support.Failures;

/**
 * What this instance knows about a Redis Cluster: its nodes and which master owns each hash slot.
 *
 * <p>The slot map comes from {@code CLUSTER SLOTS} (answered by Redis 3 to 7+) of the first node that answers,
 * tried in this order: the node that answered last, the nodes of the current map, then the seed nodes of the
 * options. It is loaded on demand by {@link #refresh()}, which the sharded subscriber and publisher call after a
 * {@code MOVED} reply, a lost connection or an unsolicited {@code sunsubscribe}; listeners hear about every change.
 * Classic pub/sub uses only {@link #openAny(String)}, which also learns the nodes so that losing every seed node is
 * survivable.
 *
 * <p>Thread-safe: the map is an immutable snapshot in a volatile field; {@link #refresh()} is synchronized, so
 * concurrent callers do the network round trip once.
 */
public final class ClusterTopology {

    static final int SLOTS = 16384;

    /** An immutable slot map. */
    public static final class Snapshot {
        public final long generation;
        final HostAndPort[] masterBySlot;
        public final List<HostAndPort> masters;
        final List<HostAndPort> nodes;

        Snapshot(long generation, HostAndPort[] masterBySlot, List<HostAndPort> masters, List<HostAndPort> nodes) {
            this.generation = generation;
            this.masterBySlot = masterBySlot;
            this.masters = masters;
            this.nodes = nodes;
        }

        public HostAndPort masterFor(int slot) {
            return masterBySlot[slot];
        }
    }

    /** Opens a connection to one node (tests: scripted nodes). */
    interface Connector {

        Connection open(HostAndPort node, String role);
    }

    private final RedisPubSubOptions options;
    private final Connector connector;
    private final List<HostAndPort> seeds = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;
    private volatile HostAndPort lastGood;

    public ClusterTopology(RedisPubSubOptions options) {
        this(options, (node, role) -> new OneSocketConnection(node, ClientConfigs.dataNode(options, role)));
    }

    /** A topology whose connections come from {@code connector}. */
    ClusterTopology(RedisPubSubOptions options, Connector connector) {
        this.options = options;
        this.connector = connector;
        for (String node : options.clusterNodes()) {
            seeds.add(ClientConfigs.parse(node));
        }
    }

    /** The slot of a channel (hash tags apply: {@code {room}:a} and {@code {room}:b} share a slot). */
    public static int slot(byte[] channel) {
        return JedisClusterCRC16.getSlot(channel);
    }

    public static int slot(String channel) {
        return JedisClusterCRC16.getSlot(channel);
    }

    /** Register a listener run (on the refreshing thread, must not block) after each change of the slot map. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** The current map; {@code null} until loaded. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** The generation of the current map, 0 before the first load. */
    long generation() {
        Snapshot s = snapshot;
        return s == null ? 0 : s.generation;
    }

    /** Ask this node first at the next refresh, e.g. the target of a {@code MOVED}: it knows its own slots. */
    public void prefer(HostAndPort node) {
        lastGood = node;
    }

    /** The seed nodes for messages, such as {@code cluster n1:6379,n2:6379}. */
    public String describeSeeds() {
        return "cluster " + String.join(",", options.clusterNodes());
    }

    /** Open a connection to one node, as {@code role} in {@code CLIENT LIST}. */
    public Connection open(HostAndPort node, String role) {
        return connector.open(node, role);
    }

    /**
     * Connect to the first node that answers (for classic pub/sub, where any node will do) and learn the slot map
     * from it.
     *
     * @throws RedisPubSubException if no node answers, naming every node tried and why
     */
    public Connection openAny(String role) {
        List<String> problems = new ArrayList<>();
        for (HostAndPort node : candidates()) {
            Connection connection = null;
            try {
                connection = open(node, role);
                update(readSlots(connection, node));
                lastGood = node;
                return connection;
            } catch (RuntimeException e) {
                if (connection != null) {
                    connection.close();
                }
                problems.add(describe(node, e));
            }
        }
        throw new RedisPubSubException("no node of the cluster answered (" + String.join("; ", problems) + ")");
    }

    /**
     * Reload the slot map unless it changed since the caller saw generation {@code seen} (another thread refreshed
     * meanwhile).
     *
     * @throws RedisPubSubException if no node answers
     */
    synchronized void refreshIfNotNewerThan(long seen) {
        if (generation() > seen) {
            return;
        }
        refresh();
    }

    /**
     * Reload the slot map from the first node that answers.
     *
     * @throws RedisPubSubException if no node answers, naming every node tried and why
     */
    public synchronized void refresh() {
        List<String> problems = new ArrayList<>();
        for (HostAndPort node : candidates()) {
            try (Connection connection = open(node, "topology")) {
                update(readSlots(connection, node));
                lastGood = node;
                return;
            } catch (RuntimeException e) {
                problems.add(describe(node, e));
            }
        }
        throw new RedisPubSubException("cannot load the slot map of the cluster, no node answered ("
                + String.join("; ", problems) + ")");
    }

    private static String describe(HostAndPort node, RuntimeException e) {
        String reason = Failures.reason(e);
        if (e instanceof JedisDataException && reason.contains("cluster support disabled")) {
            reason = "not a cluster node (" + reason + "); use a redis:// url for a standalone server";
        }
        return ClientConfigs.format(node) + ": " + reason;
    }

    /** Nodes to try: the one that answered last, the nodes of the map (masters first), then the seeds. */
    private List<HostAndPort> candidates() {
        Set<HostAndPort> result = new LinkedHashSet<>();
        HostAndPort last = lastGood;
        if (last != null) {
            result.add(last);
        }
        Snapshot s = snapshot;
        if (s != null) {
            result.addAll(s.masters);
            result.addAll(s.nodes);
        }
        result.addAll(seeds);
        return new ArrayList<>(result);
    }

    private synchronized void update(Snapshot fresh) {
        Snapshot old = snapshot;
        if (old != null && Arrays.equals(old.masterBySlot, fresh.masterBySlot) && old.nodes.equals(fresh.nodes)) {
            return;
        }
        long generation = old == null ? 1 : old.generation + 1;
        snapshot = new Snapshot(generation, fresh.masterBySlot, fresh.masters, fresh.nodes);
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** Read {@code CLUSTER SLOTS}: [[start, end, [host, port, id, ...], replicas...], ...]. */
    private static Snapshot readSlots(Connection connection, HostAndPort asked) {
        connection.sendCommand(Protocol.Command.CLUSTER, "SLOTS");
        Object reply = connection.getOne();
        if (!(reply instanceof List<?> ranges)) {
            throw new RedisPubSubException("unexpected CLUSTER SLOTS reply from " + ClientConfigs.format(asked));
        }
        HostAndPort[] bySlot = new HostAndPort[SLOTS];
        Set<HostAndPort> masters = new LinkedHashSet<>();
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (Object item : ranges) {
            List<?> range = (List<?>) item;
            int start = ((Long) range.get(0)).intValue();
            int end = ((Long) range.get(1)).intValue();
            for (int i = 2; i < range.size(); i++) {
                HostAndPort node = node((List<?>) range.get(i), asked);
                if (node == null) {
                    continue;
                }
                nodes.add(node);
                if (i == 2) {
                    masters.add(node);
                    Arrays.fill(bySlot, start, end + 1, node);
                }
            }
        }
        return new Snapshot(0, bySlot, List.copyOf(masters), List.copyOf(nodes));
    }

    private static HostAndPort node(List<?> entry, HostAndPort asked) {
        String host = new String((byte[]) entry.get(0), StandardCharsets.UTF_8);
        int port = ((Long) entry.get(1)).intValue();
        if (port <= 0) {
            return null;
        }
        // an empty host (or "?") means "the address you used to reach me"
        if (host.isEmpty() || host.equals("?")) {
            host = asked.getHost();
        }
        return new HostAndPort(host, port);
    }
}
