package dev.wskit.redis.internal;

import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;

/**
 * Opens plain Jedis connections from the host, port, credentials, database and TLS options.
 *
 * <p>The protocol is RESP2, set explicitly: the subscriber reads pub/sub messages as RESP2 arrays.
 */
final class DirectConnectionFactory implements ConnectionFactory {

    private final HostAndPort hostAndPort;
    private final RedisPubSubOptions options;
    private final String endpoint;

    DirectConnectionFactory(RedisPubSubOptions options) {
        this.options = options;
        this.hostAndPort = new HostAndPort(options.host(), options.port());
        this.endpoint = options.endpoint();
    }

    @Override
    public Connection open(String role) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis(Math.toIntExact(options.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(options.commandTimeout().toMillis()))
                .clientName(options.clientName() + "-" + role)
                .database(options.db());
        if (options.username() != null) {
            config.user(options.username());
        }
        if (options.password() != null) {
            config.password(options.password());
        }
        if (options.tls()) {
            config.ssl(true);
            if (options.sslContext() != null) {
                config.sslSocketFactory(options.sslContext().getSocketFactory());
            }
        }
        return new Connection(hostAndPort, config.build());
    }

    @Override
    public String endpoint() {
        return endpoint;
    }
}
