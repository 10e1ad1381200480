package dev.wskit.redis.internal.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import dev.wskit.redis.internal.support.Failures;

/**
 * Opens connections to the current master of a Sentinel-monitored deployment.
 *
 * <p>Every {@link #open(String)} asks the sentinels again ({@code SENTINEL get-master-addr-by-name}), one after the
 * other, starting with the one that answered last; so a reconnect after a failover reaches the new master. The
 * connection is then checked with {@code ROLE}: during a failover a sentinel may still name a server that is no
 * longer (or not yet) a master, and PUBLISH on a replica would silently reach only that replica's subscribers. A
 * connection that is not to a master fails the attempt, and the caller retries with backoff. (An ACL user that may
 * not run {@code ROLE} skips the check.)
 *
 * <p>Following the master afterwards: a dead master breaks the connections, and when Sentinel demotes a master
 * that is still alive it kills its normal and pub/sub clients ({@code CLIENT KILL TYPE normal|pubsub}); both make
 * the subscriber and the publisher reconnect through here. The {@link SentinelWatcher} makes them move at once when
 * Sentinel announces the new master, also from a master that is cut off but alive.
 *
 * <p>Thread-safe; one instance per connection role, so that {@link #endpoint()} names the master that role uses.
 */
public final class SentinelConnectionFactory implements ConnectionFactory {

    private final RedisPubSubOptions options;
    private final List<HostAndPort> sentinels = new ArrayList<>();
    private final String master;
    private final JedisClientConfig sentinelConfig;
    private final String initialEndpoint;
    private volatile HostAndPort current;
    private volatile int preferred;

    public SentinelConnectionFactory(RedisPubSubOptions options) {
        this.options = options;
        for (String sentinel : options.sentinels()) {
            sentinels.add(ClientConfigs.parse(sentinel));
        }
        this.master = options.sentinelMaster();
        this.sentinelConfig = ClientConfigs.sentinel(options);
        this.initialEndpoint = options.endpoint();
    }

    @Override
    public Connection open(String role) {
        HostAndPort address = resolve();
        current = address;
        Connection connection = new OneSocketConnection(address, ClientConfigs.dataNode(options, role));
        try {
            String actual = roleOf(connection);
            if (!"master".equals(actual)) {
                throw new RedisPubSubException("Redis at " + ClientConfigs.format(address) + " is not the master of "
                        + master + ", its ROLE is " + actual + "; the sentinels are probably in the middle of a"
                        + " failover, retrying");
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Ask the sentinels for the master's address, starting with the one that answered last. */
    HostAndPort resolve() {
        List<String> problems = new ArrayList<>();
        int start = preferred;
        int n = sentinels.size();
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            HostAndPort sentinel = sentinels.get(index);
            try (Connection c = new OneSocketConnection(sentinel, sentinelConfig)) {
                c.sendCommand(Protocol.Command.SENTINEL, "get-master-addr-by-name", master);
                List<String> reply = c.getMultiBulkReply();
                if (reply == null || reply.size() < 2) {
                    problems.add(ClientConfigs.format(sentinel) + " does not know master " + master);
                    continue;
                }
                preferred = index;
                return new HostAndPort(reply.get(0), Integer.parseInt(reply.get(1)));
            } catch (RuntimeException e) {
                problems.add(ClientConfigs.format(sentinel) + ": " + Failures.reason(e));
            }
        }
        throw new RedisPubSubException("no sentinel named the master " + master + " (" + String.join("; ", problems)
                + "); check the sentinels' addresses, the master name and sentinelPassword");
    }

    private static String roleOf(Connection connection) {
        connection.sendCommand(Protocol.Command.ROLE);
        Object reply;
        try {
            reply = connection.getOne();
        } catch (JedisDataException e) {
            if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
                // an ACL user limited to pub/sub may not run ROLE: trust the sentinels then
                return "master";
            }
            throw e;
        }
        if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[] role) {
            return new String(role, StandardCharsets.UTF_8);
        }
        return String.valueOf(reply);
    }

    /** The master this factory connected to last (or is connecting to); {@code null} before the first attempt. */
    public HostAndPort current() {
        return current;
    }

    @Override
    public String endpoint() {
        HostAndPort address = current;
        return address == null ? initialEndpoint : ClientConfigs.format(address) + " (master " + master + ")";
    }
}
