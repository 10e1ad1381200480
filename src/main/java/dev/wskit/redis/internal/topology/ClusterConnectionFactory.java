package dev.wskit.redis.internal.topology;

import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionFactory;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;

/**
 * Opens connections for classic pub/sub in a Redis Cluster: to any node that answers, since the cluster bus
 * forwards every PUBLISH to every node, replicas included.
 *
 * <p>Losing the node only means reconnecting to another one (the subscriber then replays its subscriptions there).
 * One instance per connection role, so that {@link #endpoint()} names the node that role uses; the topology, and
 * with it the nodes learned from {@code CLUSTER SLOTS}, is shared.
 */
public final class ClusterConnectionFactory implements ConnectionFactory {

    private final ClusterTopology topology;
    private final String initialEndpoint;
    private volatile HostAndPort current;

    public ClusterConnectionFactory(ClusterTopology topology, String initialEndpoint) {
        this.topology = topology;
        this.initialEndpoint = initialEndpoint;
    }

    @Override
    public Connection open(String role) {
        Connection connection = topology.openAny(role);
        current = connection.getHostAndPort();
        return connection;
    }

    @Override
    public String endpoint() {
        HostAndPort node = current;
        return node == null ? initialEndpoint : ClientConfigs.format(node) + " (cluster node)";
    }
}
