package dev.wskit.redis.internal.connection;

import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * Borrows connections from a pre-configured {@link UnifiedJedis}: one held by the subscriber and one by the
 * publisher, returned to the client's pool when closed. The client itself is never closed here.
 *
 * <p>{@code UnifiedJedis} keeps its connection provider in a protected field and offers no way to hold one
 * connection for a long-running subscription loop of our own; {@link JedisAccess} reads it.
 */
public final class ClientConnectionFactory implements ConnectionFactory {

    private final ConnectionProvider provider;

    public ClientConnectionFactory(UnifiedJedis client) {
        this.provider = providerOf(client);
    }

    private static ConnectionProvider providerOf(UnifiedJedis client) {
        ConnectionProvider provider;
        try {
            provider = JedisAccess.providerOf(client);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("client cannot be used, was " + client.getClass().getName()
                    + ": its connection provider is not accessible (" + e + ")", e);
        }
        if (provider == null) {
            throw new IllegalArgumentException("client must be a UnifiedJedis backed by a connection provider, "
                    + "was " + client.getClass().getName() + " without one");
        }
        return provider;
    }

    @Override
    public Connection open(String role) {
        Connection connection = provider.getConnection();
        if (connection.getRedisProtocol() == RedisProtocol.RESP3) {
            connection.close();
            throw new IllegalArgumentException("client must use the RESP2 protocol, was RESP3; "
                    + "build it with DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2)");
        }
        return connection;
    }

    @Override
    public String endpoint() {
        return "pre-configured client";
    }
}
