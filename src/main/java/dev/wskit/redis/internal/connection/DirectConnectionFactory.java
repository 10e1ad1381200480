package dev.wskit.redis.internal.connection;

import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;

/**
 * Opens plain Jedis connections to one server from the host, port, credentials, database and TLS options.
 */
public final class DirectConnectionFactory implements ConnectionFactory {

    private final HostAndPort hostAndPort;
    private final RedisPubSubOptions options;
    private final String endpoint;

    public DirectConnectionFactory(RedisPubSubOptions options) {
        this.options = options;
        this.hostAndPort = new HostAndPort(options.host(), options.port());
        this.endpoint = options.endpoint();
    }

    @Override
    public Connection open(String role) {
        return new OneSocketConnection(hostAndPort, ClientConfigs.dataNode(options, role));
    }

    @Override
    public String endpoint() {
        return endpoint;
    }
}
