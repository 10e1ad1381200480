package dev.wskit.redis.internal.connection;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * The only place where the library reaches into Jedis beyond its public API, for two things Jedis keeps protected:
 * <ul>
 * <li>{@code Connection.flush()}: our threads write commands and read replies on separate threads (the subscriber
 * writes SUBSCRIBE while its reader blocks; the publisher writes while its reply reader reads), so a write must be
 * flushed without reading a reply. Jedis's own pub/sub class can, because it lives in Jedis's package.
 * <li>{@code UnifiedJedis.provider}: a pre-configured client offers no way to hold one of its connections for a
 * long-running loop of our own.
 * </ul>
 * Both handles are looked up when the class loads; {@code JedisAccessTest} fails at once if a Jedis upgrade renames
 * or removes either.
 */
final class JedisAccess {

    private static final MethodHandle FLUSH;
    private static final VarHandle PROVIDER;

    static {
        try {
            FLUSH = MethodHandles.privateLookupIn(Connection.class, MethodHandles.lookup())
                    .findVirtual(Connection.class, "flush", MethodType.methodType(void.class));
            PROVIDER = MethodHandles.privateLookupIn(UnifiedJedis.class, MethodHandles.lookup())
                    .findVarHandle(UnifiedJedis.class, "provider", ConnectionProvider.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private JedisAccess() {
    }

    /** Flush what was written to the connection, without reading a reply. */
    static void flush(Connection connection) {
        try {
            FLUSH.invokeExact(connection);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The connection provider of a client.
     *
     * @return the provider; {@code null} if the client has none (built around a single connection)
     */
    static ConnectionProvider providerOf(UnifiedJedis client) {
        return (ConnectionProvider) PROVIDER.get(client);
    }
}
