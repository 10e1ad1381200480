package dev.wskit.redis.internal.connection;

import redis.clients.jedis.Connection;

/**
 * Flushes a Jedis connection without reading a reply (see {@link JedisAccess}), and closes a connection for good.
 */
public final class ConnectionIo {

    private ConnectionIo() {
    }

    public static void flush(Connection connection) {
        JedisAccess.flush(connection);
    }
    /**
     * Shut a connection's socket at once, ignoring errors (a write or read blocked on it ends); {@code null} is
     * ignored. Unlike {@link #discard}, the connection is not closed for good: Jedis could open a new socket on the
     * next command, so the owner must stop using it.
     */
    public static void forceDisconnect(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.forceDisconnect();
        } catch (Exception ignored) {
            // already closed
        }
    }

    /**
     * Close a connection that must not be used again, ignoring errors: the socket is shut at once, and a pooled
     * connection (pre-configured client) is destroyed rather than returned to its pool.
     *
     * @param connection the connection; can be {@code null}
     */
    public static void discard(Connection connection) {
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
