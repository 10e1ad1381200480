package dev.wskit.redis.internal.connection;

import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;
import dev.wskit.redis.internal.support.OptionsSecrets;

/**
 * Builds the Jedis client configurations of the connections the library opens itself, and reads the
 * {@code host:port} entries of the options.
 *
 * <p>The protocol is RESP2, set explicitly: the subscriber reads pub/sub messages as RESP2 arrays, and Jedis 8 would
 * otherwise negotiate.
 */
public final class ClientConfigs {

    private ClientConfigs() {
    }

    /** The configuration of a connection to a Redis data node (standalone server, master, cluster node). */
    public static JedisClientConfig dataNode(RedisPubSubOptions options, String role) {
        DefaultJedisClientConfig.Builder config = common(options)
                .clientName(options.clientName() + "-" + role)
                .database(options.db());
        if (options.username() != null) {
            config.user(options.username());
        }
        String password = OptionsSecrets.password(options);
        if (password != null) {
            config.password(password);
        }
        return config.build();
    }

    /** The configuration of a short-lived connection to a sentinel. */
    public static JedisClientConfig sentinel(RedisPubSubOptions options) {
        DefaultJedisClientConfig.Builder config = common(options)
                .clientName(options.clientName() + "-sentinel");
        if (options.sentinelUsername() != null) {
            config.user(options.sentinelUsername());
        }
        String password = OptionsSecrets.sentinelPassword(options);
        if (password != null) {
            config.password(password);
        }
        return config.build();
    }

    private static DefaultJedisClientConfig.Builder common(RedisPubSubOptions options) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis(Math.toIntExact(options.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(options.commandTimeout().toMillis()));
        if (options.tls()) {
            config.ssl(true);
            if (options.sslContext() != null) {
                config.sslSocketFactory(options.sslContext().getSocketFactory());
            }
        }
        return config;
    }

    /** Read a {@code host:port} entry as normalised by the options ({@code [v6]:port} for IPv6). */
    public static HostAndPort parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostAndPort(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Format an address as {@code host:port}, an IPv6 address in brackets. */
    public static String format(HostAndPort hostAndPort) {
        String host = hostAndPort.getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + hostAndPort.getPort();
    }
}
