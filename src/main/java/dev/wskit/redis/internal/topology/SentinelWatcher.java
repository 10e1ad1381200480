package dev.wskit.redis.internal.topology;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionIo;
import dev.wskit.redis.internal.connection.OneSocketConnection;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.Failures;
import dev.wskit.redis.internal.support.ThrottledLog;

/**
 * Listens to {@code +switch-master} on one sentinel at a time, so that a failover is followed as soon as Sentinel
 * completes it, not only when the old master's connections break.
 *
 * <p>That matters when the old master is cut off rather than dead: its sockets stay open, PUBLISH on it would
 * reach nobody, and the PING watchdog would notice only after {@code pingInterval + pingTimeout}. It also ends the
 * reconnect backoff of connections that lost a dead master, so they reach the new one as soon as it exists.
 *
 * <p>On every (re)subscription the watcher also asks the sentinel for the current master, so a switch missed while
 * it was disconnected is still reported. Reports go to {@code onSwitch} on this watcher's thread, which compares
 * them with the masters the connections use. A failing sentinel is replaced by the next one, with backoff; the
 * failures are logged (throttled) but not reported as errors: the data connections do not depend on the watcher.
 * The housekeeper PINGs the connection like the subscriber's, so a silent sentinel is detected by the read
 * timeout.
 */
public final class SentinelWatcher implements Runnable {

    private static final String CHANNEL = "+switch-master";

    private final List<HostAndPort> sentinels = new ArrayList<>();
    private final String master;
    private final JedisClientConfig config;
    private final Consumer<HostAndPort> onSwitch;
    private final Logger logger;
    private final String prefix;
    private final Reconnect reconnect;
    private final int readTimeoutMillis;
    private final Object writeLock = new Object();
    private Connection connection;
    private volatile boolean running = true;

    public SentinelWatcher(RedisPubSubOptions options, Consumer<HostAndPort> onSwitch, Logger logger, String prefix,
            long initialDelayMillis, long maxDelayMillis, int readTimeoutMillis) {
        for (String sentinel : options.sentinels()) {
            sentinels.add(ClientConfigs.parse(sentinel));
        }
        this.master = options.sentinelMaster();
        this.config = ClientConfigs.sentinel(options);
        this.onSwitch = onSwitch;
        this.logger = logger;
        this.prefix = prefix;
        this.reconnect = new Reconnect(new ThrottledLog(logger, prefix), initialDelayMillis, maxDelayMillis);
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Called by the housekeeper every ping interval. */
    public void ping() {
        synchronized (writeLock) {
            if (connection != null) {
                try {
                    connection.sendCommand(Protocol.Command.PING);
                    ConnectionIo.flush(connection);
                } catch (RuntimeException e) {
                    disconnect(connection);
                }
            }
        }
    }

    public void stop() {
        running = false;
        reconnect.stop();
        Connection c;
        synchronized (writeLock) {
            c = connection;
        }
        if (c != null) {
            disconnect(c);
        }
    }

    @Override
    public void run() {
        int index = 0;
        while (running) {
            HostAndPort sentinel = sentinels.get(index % sentinels.size());
            Connection c = null;
            try {
                c = new OneSocketConnection(sentinel, config);
                c.sendCommand(Protocol.Command.SENTINEL, "get-master-addr-by-name", master);
                List<String> address = c.getMultiBulkReply();
                c.setSoTimeout(readTimeoutMillis);
                synchronized (writeLock) {
                    if (!running) {
                        break;
                    }
                    connection = c;
                    c.sendCommand(Protocol.Command.SUBSCRIBE, CHANNEL);
                    ConnectionIo.flush(c);
                }
                reconnect.succeeded(failed -> "watching sentinel " + ClientConfigs.format(sentinel)
                        + " for failovers of " + master + " again");
                if (address != null && address.size() >= 2) {
                    onSwitch.accept(new HostAndPort(address.get(0), Integer.parseInt(address.get(1))));
                }
                read(c);
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                long delay = reconnect.failed("cannot watch sentinel " + ClientConfigs.format(sentinel)
                        + " for failovers of " + master + " (" + Failures.reason(t) + "); trying the next sentinel",
                        t);
                index++;
                if (!reconnect.waitToRetry(delay)) {
                    break;
                }
            } finally {
                if (c != null) {
                    synchronized (writeLock) {
                        if (connection == c) {
                            connection = null;
                        }
                    }
                    disconnect(c);
                    c.close();
                }
            }
        }
    }

    private void read(Connection c) {
        while (running) {
            Object reply = c.getUnflushedObject();
            if (reply instanceof List<?> list && list.size() >= 3 && "message".equals(string(list.get(0)))
                    && CHANNEL.equals(string(list.get(1)))) {
                // "<master name> <old ip> <old port> <new ip> <new port>"
                String[] parts = string(list.get(2)).split(" ");
                if (parts.length == 5 && parts[0].equals(master)) {
                    logger.log(Level.INFO, prefix + "Sentinel reports that master " + master + " moved from "
                            + parts[1] + ":" + parts[2] + " to " + parts[3] + ":" + parts[4]);
                    onSwitch.accept(new HostAndPort(parts[3], Integer.parseInt(parts[4])));
                }
            }
        }
    }

    private static void disconnect(Connection c) {
        ConnectionIo.forceDisconnect(c);
    }

    private static String string(Object raw) {
        return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
    }
}
