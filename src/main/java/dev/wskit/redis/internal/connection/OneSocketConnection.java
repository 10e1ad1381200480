package dev.wskit.redis.internal.connection;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Jedis connection that never opens a second socket.
 *
 * <p>Jedis's {@code Connection.connect()}, called by every {@code sendCommand}, silently opens a new socket when the
 * old one was closed, without {@code AUTH}, {@code SELECT} or {@code CLIENT SETNAME}, and clears the broken flag.
 * For the long-lived connections here that is wrong: a PING written by the housekeeper just after the subscriber's
 * socket was closed (lost, or dropped to follow a new master) would revive it as a fresh socket on which nothing is
 * subscribed, and the reader would go on reading it, healthy-looking and deaf. With this class such a write fails
 * instead, and the owner reconnects properly.
 */
public final class OneSocketConnection extends Connection {

    private final boolean established;

    public OneSocketConnection(HostAndPort hostAndPort, JedisClientConfig config) {
        // the super constructor connects, authenticates and selects, before 'established' is set
        super(hostAndPort, config);
        this.established = true;
    }

    @Override
    public void connect() {
        if (established && !isConnected()) {
            throw new JedisConnectionException("the connection to " + getHostAndPort() + " was closed");
        }
        super.connect();
    }
}
