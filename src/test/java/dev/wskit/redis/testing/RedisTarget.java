package dev.wskit.redis.testing;

import java.util.Objects;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The shared Redis that {@link RedisExtension} provides to integration tests: plain TCP, no password.
 *
 * @param url {@code redis://host:port}, never {@code null}
 * @param host the host name or address, never {@code null}
 * @param port the TCP port
 */
public record RedisTarget(String url, String host, int port) {

    /** Validates the components. */
    public RedisTarget {
        Objects.requireNonNull(url, "url must not be null");
        Objects.requireNonNull(host, "host must not be null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** Returns the host and port as a Jedis {@link HostAndPort}. */
    public HostAndPort hostAndPort() {
        return new HostAndPort(host, port);
    }

    /** Returns a Jedis client config builder with RESP2 and 2 s timeouts; add settings and {@code build()} it. */
    public DefaultJedisClientConfig.Builder clientConfig() {
        return DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(2000);
    }

    /**
     * Returns a new connected Jedis client speaking RESP2; the caller closes it.
     *
     * @return a new client, never {@code null}
     */
    public Jedis newClient() {
        return new Jedis(hostAndPort(), clientConfig().build());
    }

    /** Returns {@code PUBSUB NUMSUB wireChannel}: the number of subscribers of that exact channel name. */
    public long numsub(String wireChannel) {
        Objects.requireNonNull(wireChannel, "wireChannel must not be null");
        try (Jedis jedis = newClient()) {
            Long count = jedis.pubsubNumSub(wireChannel).get(wireChannel);
            return count == null ? 0 : count;
        }
    }

    /** Returns {@code PUBSUB NUMPAT}: the number of pattern subscriptions on the server. */
    public long numpat() {
        try (Jedis jedis = newClient()) {
            return jedis.pubsubNumPat();
        }
    }
}
