package dev.wskit.redis.internal;

import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.connection.ClientConnectionFactory;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.connection.DirectConnectionFactory;
import dev.wskit.redis.internal.connection.SentinelConnectionFactory;
import dev.wskit.redis.internal.topology.ClusterConnectionFactory;
import dev.wskit.redis.internal.topology.ClusterTopology;

/** The connection factories of each side; with sharded pub/sub, the slot map both sides follow instead. */
record ConnectionFactories(ConnectionFactory subscriber, ConnectionFactory publisher, ClusterTopology sharded) {

    static ConnectionFactories of(RedisPubSubOptions options) {
        if (options.client() != null) {
            ConnectionFactory client = new ClientConnectionFactory(options.client());
            return new ConnectionFactories(client, client, null);
        }
        if (options.topology() == RedisPubSubOptions.Topology.SENTINEL) {
            // one factory per role, so that each names the master it uses in messages
            return new ConnectionFactories(new SentinelConnectionFactory(options), new SentinelConnectionFactory(options),
                    null);
        }
        if (options.topology() == RedisPubSubOptions.Topology.CLUSTER) {
            ClusterTopology topology = new ClusterTopology(options);
            if (options.shardedPubSub()) {
                return new ConnectionFactories(null, null, topology);
            }
            return new ConnectionFactories(new ClusterConnectionFactory(topology, options.endpoint()),
                    new ClusterConnectionFactory(topology, options.endpoint()), null);
        }
        ConnectionFactory direct = new DirectConnectionFactory(options);
        return new ConnectionFactories(direct, direct, null);
    }
}
