package dev.wskit.redis.internal;

import java.lang.reflect.Field;

import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * Borrows connections from a pre-configured {@link UnifiedJedis}: one held by the subscriber and one by the
 * publisher, returned to the client's pool when closed. The client itself is never closed here.
 *
 * <p>{@code UnifiedJedis} keeps its connection provider in a protected field and offers no way to hold one
 * connection for a long-running subscription loop of our own, so the provider is read reflectively once.
 */
final class ClientConnectionFactory implements ConnectionFactory {

    private final ConnectionProvider provider;

    ClientConnectionFactory(UnifiedJedis client) {
        this.provider = providerOf(client);
    }

    private static ConnectionProvider providerOf(UnifiedJedis client) {
        try {
            Field field = UnifiedJedis.class.getDeclaredField("provider");
            field.setAccessible(true);
            Object provider = field.get(client);
            if (provider == null) {
                throw new IllegalArgumentException("client must be a UnifiedJedis backed by a connection provider, "
                        + "was " + client.getClass().getName() + " without one");
            }
            return (ConnectionProvider) provider;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("client cannot be used, was " + client.getClass().getName()
                    + ": its connection provider is not accessible (" + e + ")", e);
        }
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
