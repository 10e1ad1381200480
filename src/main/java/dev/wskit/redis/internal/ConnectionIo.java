package dev.wskit.redis.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import redis.clients.jedis.Connection;

/**
 * Flushes a Jedis connection without reading a reply, and closes a connection for good.
 *
 * <p>The subscriber writes commands (SUBSCRIBE, PING) from other threads while its own thread blocks reading; Jedis
 * keeps {@code Connection.flush()} protected because its own pub/sub class lives in Jedis's package. The handle is
 * looked up once.
 */
final class ConnectionIo {

    private static final MethodHandle FLUSH;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Connection.class, MethodHandles.lookup());
            FLUSH = lookup.findVirtual(Connection.class, "flush", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ConnectionIo() {
    }

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
     * Close a connection that must not be used again, ignoring errors: the socket is shut at once, and a pooled
     * connection (pre-configured client) is destroyed rather than returned to its pool.
     *
     * @param connection the connection; can be {@code null}
     */
    static void discard(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.forceDisconnect();
        } catch (Exception ignored) {
            // already closed
        }
        try {
            connection.setBroken();
            connection.close();
        } catch (Exception ignored) {
            // closing a broken connection
        }
    }
}
