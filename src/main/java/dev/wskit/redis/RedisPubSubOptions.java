package dev.wskit.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import dev.wskit.redis.internal.codec.DefaultCodec;
import dev.wskit.redis.internal.support.Masking;
import dev.wskit.redis.internal.support.OptionsSecrets;
import redis.clients.jedis.UnifiedJedis;

/**
 * The immutable options of a {@link RedisPubSub}, created with {@link #builder()}.
 *
 * <pre>{@code
 * RedisPubSubOptions options = RedisPubSubOptions.builder()
 *         .url("rediss://redis.example.com:6380/0")
 *         .password(System.getenv("REDIS_PASSWORD"))
 *         .namespace("myapp:prod")
 *         .onError(e -> metrics.redisErrors().increment())
 *         .build();
 * }</pre>
 *
 * <p>The options and their defaults:
 * <table>
 * <caption>Options</caption>
 * <tr><th>Option</th><th>Default</th><th>Rule</th></tr>
 * <tr><td>{@code url}</td><td>none</td><td>{@code redis://[[user]:password@]host[:port][/db]} or
 *     {@code rediss://...}; {@code redis-sentinel://[[user]:password@]s1[:port],s2[:port][/db]?sentinels=NAME}
 *     (or {@code ?master=NAME}); {@code redis-cluster://[[user]:password@]n1[:port],n2[:port]} (optional
 *     {@code ?sharded=true}); {@code rediss-sentinel://} and {@code rediss-cluster://} for TLS; replaces host, port,
 *     username, password, db, tls, sentinels, sentinelMaster and clusterNodes</td></tr>
 * <tr><td>{@code host}</td><td>{@code localhost}</td><td>not empty, no whitespace</td></tr>
 * <tr><td>{@code port}</td><td>{@code 6379}</td><td>1 to 65535</td></tr>
 * <tr><td>{@code username}</td><td>none</td><td>not empty</td></tr>
 * <tr><td>{@code password}</td><td>none</td><td>not empty</td></tr>
 * <tr><td>{@code db}</td><td>{@code 0}</td><td>at least 0</td></tr>
 * <tr><td>{@code tls}</td><td>{@code false}</td><td></td></tr>
 * <tr><td>{@code sslContext}</td><td>the JVM default</td><td></td></tr>
 * <tr><td>{@code sentinels}</td><td>none</td><td>{@code host[:port]} entries (port 26379 by default), at least one;
 *     not with {@code url}, {@code host}, {@code port} or {@code clusterNodes}</td></tr>
 * <tr><td>{@code sentinelMaster}</td><td>none</td><td>required with Sentinel; not empty, no whitespace</td></tr>
 * <tr><td>{@code sentinelUsername}, {@code sentinelPassword}</td><td>none</td><td>only with Sentinel; not
 *     empty</td></tr>
 * <tr><td>{@code clusterNodes}</td><td>none</td><td>{@code host[:port]} seed nodes (port 6379 by default), at least
 *     one; not with {@code url}, {@code host}, {@code port} or {@code sentinels}; {@code db} must be 0</td></tr>
 * <tr><td>{@code shardedPubSub}</td><td>{@code false}</td><td>only with a cluster</td></tr>
 * <tr><td>{@code client}</td><td>none</td><td>replaces all connection options</td></tr>
 * <tr><td>{@code namespace}</td><td>{@code ws}</td><td>1 to 256 characters, no whitespace, no {@code * ? [ ]},
 *     not ending with {@code :}</td></tr>
 * <tr><td>{@code onConnect}, {@code onDisconnect}, {@code onError}</td><td>do nothing</td><td></td></tr>
 * <tr><td>{@code reconnectDelay}</td><td>100 ms</td><td>1 ms to 24 h</td></tr>
 * <tr><td>{@code maxReconnectDelay}</td><td>30 s</td><td>1 ms to 24 h, at least {@code reconnectDelay}</td></tr>
 * <tr><td>{@code pingInterval}</td><td>5 s</td><td>10 ms to 24 h</td></tr>
 * <tr><td>{@code pingTimeout}</td><td>3 s</td><td>10 ms to 24 h</td></tr>
 * <tr><td>{@code connectTimeout}</td><td>2 s</td><td>10 ms to 24 h</td></tr>
 * <tr><td>{@code commandTimeout}</td><td>5 s</td><td>10 ms to 24 h</td></tr>
 * <tr><td>{@code maxPendingPublishes}</td><td>65536</td><td>at least 1</td></tr>
 * <tr><td>{@code maxPendingPublishBytes}</td><td>64 MiB</td><td>at least 1</td></tr>
 * <tr><td>{@code maxReceivedMessageBytes}</td><td>64 MiB</td><td>at least 1</td></tr>
 * <tr><td>{@code holdPublishesWhileConnecting}</td><td>2 s</td><td>0 (fail at once) to 24 h</td></tr>
 * <tr><td>{@code historySize}</td><td>1000</td><td>1 to 1,000,000</td></tr>
 * <tr><td>{@code historyTtl}</td><td>5 min</td><td>1 s to 24 h</td></tr>
 * <tr><td>{@code historyMetaTtl}</td><td>1 day</td><td>{@code historyTtl} to 365 days</td></tr>
 * <tr><td>{@code clientName}</td><td>{@code wskit-redis-pubsub}</td><td>1 to 128 characters, no whitespace</td></tr>
 * <tr><td>{@code threadFactory}</td><td>daemon threads of the library</td><td></td></tr>
 * <tr><td>{@code canaryInterval}</td><td>10 s</td><td>0 (off), or 10 ms to 24 h</td></tr>
 * <tr><td>{@code selfCheck}</td><td>{@link SelfCheck#LOG}</td><td>not {@code null}</td></tr>
 * <tr><td>{@code serializeMessage}, {@code deserializeMessage}</td><td>the table of {@link MessageSerializer}
 *     and {@link MessageDeserializer}</td><td></td></tr>
 * </table>
 *
 * <p>{@link Builder#build()} checks every rule and throws one {@link InvalidOptionsException} (an
 * {@link IllegalArgumentException}) that reports all problems at once: its message joins them with {@code "; "},
 * and {@link InvalidOptionsException#problems()} lists them as {@link OptionProblem}s. Each problem names the
 * option, the rule and the bad value, for example {@code port must be between 1 and 65535, was 70000}. Secrets are never part
 * of a message, of an {@link OptionProblem} or of {@link #toString()}: the passwords are shown as {@code ***}, and
 * in every
 * value shown (a URL, a host, an entry of a list) the user info before the last {@code @} and the value of every
 * query parameter are masked: {@code redis://app:***@h:6379}, {@code redis-sentinel://s1?sentinels=***}.
 *
 * <p>No accessor returns a password: the options pass them to the connections the library opens and to nothing
 * else; {@link #hasPassword()} and {@link #hasSentinelPassword()} tell whether one is set, and {@link #url()} returns
 * the URL masked.
 *
 * <p>Instances are immutable and thread-safe. The accessors return the resolved values: with a {@code url}, the
 * host, port, username, database, TLS flag, sentinels, master name and cluster nodes come from it.
 *
 * <p>The {@linkplain #topology() topology} follows from the options: {@link Topology#SENTINEL} with a
 * {@code redis-sentinel://} URL or {@code sentinels}, {@link Topology#CLUSTER} with a {@code redis-cluster://} URL or
 * {@code clusterNodes}, else {@link Topology#STANDALONE}. The user name and password (from the URL or set) are those
 * of the Redis data nodes; with Sentinel, {@code sentinelUsername} and {@code sentinelPassword} authenticate to the
 * sentinels themselves. TLS applies to every connection, to sentinels too.
 *
 * @since 0.1
 */
public final class RedisPubSubOptions {

    /** The default Redis host, {@value}. */
    public static final String DEFAULT_HOST = "localhost";

    /** The default Redis port, {@value}. */
    public static final int DEFAULT_PORT = 6379;

    /** The default port of a Redis Sentinel, {@value}. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** The default Redis database, {@value}. */
    public static final int DEFAULT_DB = 0;

    /** The default namespace, {@value}. */
    public static final String DEFAULT_NAMESPACE = "ws";

    /** The default initial delay before reconnecting, 100 ms. */
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(100);

    /** The default longest delay between reconnect attempts, 30 s. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(30);

    /** The default interval between PINGs on the subscriber connection, 5 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);

    /** The default time to wait for the answer to a PING, 3 s. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(3);

    /** The default timeout for opening a connection, 2 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The default timeout for the answer to a command on the publisher connection, 5 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /** The default longest time a publish issued while the instance is connecting waits for the connection, 2 s. */
    public static final Duration DEFAULT_HOLD_PUBLISHES_WHILE_CONNECTING = Duration.ofSeconds(2);

    /**
     * The default number of messages a channel's history keeps, {@value}.
     *
     * @since 0.2
     */
    public static final int DEFAULT_HISTORY_SIZE = 1000;

    /**
     * The default time to live of a channel's history after its last message, 5 minutes.
     *
     * @since 0.2
     */
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ofMinutes(5);

    /**
     * The default time to live of a channel's epoch and last offset, 1 day.
     *
     * @since 0.2
     */
    public static final Duration DEFAULT_HISTORY_META_TTL = Duration.ofDays(1);

    /** The default number of bytes (channels and payloads) publishes waiting for Redis may hold, {@value} (64 MiB). */
    public static final long DEFAULT_MAX_PENDING_PUBLISH_BYTES = 64L * 1024 * 1024;

    /** The default size of the largest payload handed to handlers, {@value} bytes (64 MiB). */
    public static final long DEFAULT_MAX_RECEIVED_MESSAGE_BYTES = 64L * 1024 * 1024;

    /**
     * The default interval of the loopback canary, 10 s; see {@link Builder#canaryInterval(Duration)}.
     *
     * @since 0.2
     */
    public static final Duration DEFAULT_CANARY_INTERVAL = Duration.ofSeconds(10);

    /**
     * The default mode of the start-up self-check, {@link SelfCheck#LOG}; see {@link Builder#selfCheck(SelfCheck)}.
     *
     * @since 0.2
     */
    public static final SelfCheck DEFAULT_SELF_CHECK = SelfCheck.LOG;

    /** The default number of publishes that may wait for Redis, {@value}. */
    public static final int DEFAULT_MAX_PENDING_PUBLISHES = 65536;

    /** The default connection name set with {@code CLIENT SETNAME}, {@value}. */
    public static final String DEFAULT_CLIENT_NAME = "wskit-redis-pubsub";

    static {
        // the internals read the passwords through this bridge; users have no accessor for them
        OptionsSecrets.install(new OptionsSecrets.Reader() {
            @Override
            public String password(RedisPubSubOptions options) {
                return RedisPubSubOptions.password(options);
            }

            @Override
            public String sentinelPassword(RedisPubSubOptions options) {
                return RedisPubSubOptions.sentinelPassword(options);
            }
        });
    }

    /**
     * How the Redis deployment is reached.
     *
     * @since 0.1
     */
    public enum Topology {
        /** One Redis server at {@link RedisPubSubOptions#host()}:{@link RedisPubSubOptions#port()}. */
        STANDALONE,
        /**
         * The master of {@link RedisPubSubOptions#sentinelMaster()}, found through
         * {@link RedisPubSubOptions#sentinels()} and followed across failovers.
         */
        SENTINEL,
        /** A Redis Cluster reached through the seed nodes {@link RedisPubSubOptions#clusterNodes()}. */
        CLUSTER
    }

    /**
     * What the start-up self-check does; see {@link Builder#selfCheck(SelfCheck)}.
     *
     * @since 0.2
     */
    public enum SelfCheck {
        /** No self-check. */
        OFF,
        /** Check once at start-up and log one line per problem found; the instance works on regardless. */
        LOG,
        /**
         * Check once at start-up, log like {@link #LOG}, and fail the start when a problem is found: the first
         * {@link RedisPubSub#connected()} completes only after the check passed, exceptionally when it did not,
         * and the instance is then destroyed. In CDI the deployment fails.
         */
        STRICT
    }

    /** The options as given to the builder, for the accessors of the options that are not resolved. */
    private final OptionValues given;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final int db;
    private final boolean tls;
    private final Topology topology;
    private final List<String> sentinels;
    private final String sentinelMaster;
    private final List<String> clusterNodes;
    private final boolean shardedPubSub;

    private RedisPubSubOptions(OptionValues given, OptionRules.Resolved r) {
        this.given = given;
        this.host = r.host;
        this.port = r.port;
        this.username = r.username;
        this.password = r.password;
        this.db = r.db;
        this.tls = r.tls;
        this.topology = r.topology;
        this.sentinels = r.topology == Topology.SENTINEL ? List.copyOf(r.hosts) : List.of();
        this.sentinelMaster = r.master;
        this.clusterNodes = r.topology == Topology.CLUSTER ? List.copyOf(r.hosts) : List.of();
        this.shardedPubSub = Boolean.TRUE.equals(r.sharded);
    }

    /**
     * Create a builder with every option at its default.
     *
     * @return a new builder; never {@code null}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Create a builder holding the options as they were given to the builder of this instance, to derive
     * changed options.
     *
     * @return a new builder; never {@code null}
     */
    public Builder toBuilder() {
        return new Builder(given.copy());
    }

    /**
     * Return the Redis URL as given, with its secrets masked as the class doc says (the user info's password and
     * the values of the query parameters shown as {@code ***}). The host, port, username, database and TLS flag
     * resolved from it are returned by their own accessors. Default: none.
     *
     * @return the masked URL; can be {@code null}
     */
    public String url() {
        return Masking.mask(given.url);
    }

    /**
     * Return the Redis host, from the {@code url} when one is set, without brackets for an IPv6 address. With
     * Sentinel or Cluster, the host of the first sentinel or seed node. Default: {@code localhost}.
     *
     * @return the host; never {@code null}
     */
    public String host() {
        return host;
    }

    /**
     * Return the Redis port, from the {@code url} when one is set. With Sentinel or Cluster, the port of the first
     * sentinel or seed node. Default: 6379.
     *
     * @return the port, between 1 and 65535
     */
    public int port() {
        return port;
    }

    /**
     * Return the user name for {@code AUTH}, from the {@code url} when it has one. Default: none (the
     * {@code default} user).
     *
     * @return the user name; can be {@code null}
     */
    public String username() {
        return username;
    }

    /**
     * Tell whether a password for {@code AUTH} is set, in the {@code url} or with
     * {@link Builder#password(String)}. The password itself has no accessor: it goes to the connections the library
     * opens and nowhere else. Default: none (no {@code AUTH}).
     *
     * @return {@code true} if a password is set
     * @since 0.2
     */
    public boolean hasPassword() {
        return password != null;
    }

    /** The password of the data nodes, for the internals (through {@link OptionsSecrets}) and the tests. */
    static String password(RedisPubSubOptions options) {
        return options.password;
    }

    /**
     * Return the Redis database, from the {@code url} when it has one. Pub/sub channels are global in Redis, so the
     * database only matters for the {@code SELECT} sent on connecting. Default: 0.
     *
     * @return the database, at least 0
     */
    public int db() {
        return db;
    }

    /**
     * Tell whether connections use TLS: {@code true} with a {@code rediss://} URL or when set. Default:
     * {@code false}.
     *
     * @return {@code true} for TLS
     */
    public boolean tls() {
        return tls;
    }

    /**
     * Return the SSL context for TLS connections; ignored when {@link #tls()} is {@code false}. Default: none,
     * the JVM's default SSL context is used.
     *
     * @return the SSL context; can be {@code null}
     */
    public SSLContext sslContext() {
        return given.sslContext;
    }

    /**
     * Return how Redis is reached: {@link Topology#SENTINEL} with a {@code redis-sentinel://} URL or
     * {@link Builder#sentinels(List) sentinels}, {@link Topology#CLUSTER} with a {@code redis-cluster://} URL or
     * {@link Builder#clusterNodes(List) clusterNodes}, else {@link Topology#STANDALONE}.
     *
     * @return the topology; never {@code null}
     * @since 0.1
     */
    public Topology topology() {
        return topology;
    }

    /**
     * Return the sentinels as {@code host:port} entries (an IPv6 address in brackets), in the order they are tried.
     * Default: none.
     *
     * @return the sentinels, empty unless the topology is {@link Topology#SENTINEL}; never {@code null}; immutable
     * @since 0.1
     */
    public List<String> sentinels() {
        return sentinels;
    }

    /**
     * Return the name of the master the sentinels monitor ({@code sentinel monitor <name> ...}), from the URL's
     * {@code sentinels=} or {@code master=} parameter or set. Default: none.
     *
     * @return the master name; {@code null} unless the topology is {@link Topology#SENTINEL}
     * @since 0.1
     */
    public String sentinelMaster() {
        return sentinelMaster;
    }

    /**
     * Return the user name for {@code AUTH} on the sentinels. Default: none.
     *
     * @return the user name; can be {@code null}
     * @since 0.1
     */
    public String sentinelUsername() {
        return given.sentinelUsername;
    }

    /**
     * Tell whether a password for {@code AUTH} on the sentinels is set (the master's is {@link #hasPassword()}).
     * The password itself has no accessor. Default: none.
     *
     * @return {@code true} if a sentinel password is set
     * @since 0.2
     */
    public boolean hasSentinelPassword() {
        return given.sentinelPassword != null;
    }

    /** The password of the sentinels, for the internals (through {@link OptionsSecrets}) and the tests. */
    static String sentinelPassword(RedisPubSubOptions options) {
        return options.given.sentinelPassword;
    }

    /**
     * Return the seed nodes of the cluster as {@code host:port} entries (an IPv6 address in brackets), in the order
     * they are tried. The nodes the cluster reports are used as well. Default: none.
     *
     * @return the seed nodes, empty unless the topology is {@link Topology#CLUSTER}; never {@code null}; immutable
     * @since 0.1
     */
    public List<String> clusterNodes() {
        return clusterNodes;
    }

    /**
     * Tell whether a cluster uses sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}, Redis 7+): messages then
     * only travel within the shard that owns the channel's slot instead of reaching every node, and pattern
     * subscriptions are not available. Default: {@code false}, classic pub/sub.
     *
     * @return {@code true} for sharded pub/sub
     * @since 0.1
     */
    public boolean shardedPubSub() {
        return shardedPubSub;
    }

    /**
     * Return the pre-configured client. When set, it is used for all commands and the connection options (url,
     * host, port, username, password, db, tls, sslContext, sentinels, sentinelMaster, sentinelUsername,
     * sentinelPassword, clusterNodes, shardedPubSub, connectTimeout, commandTimeout, clientName) are ignored. The
     * caller owns the client and closes it after destroying the {@link RedisPubSub}. Default: none.
     *
     * @return the client; can be {@code null}
     */
    public UnifiedJedis client() {
        return given.client;
    }

    /**
     * Return the namespace that prefixes every channel on the wire, followed by {@code :}. Default: {@code ws}.
     *
     * @return the namespace; never {@code null}
     */
    public String namespace() {
        return given.namespace;
    }

    /**
     * Return the callback run each time both connections are up, the first time and after every reconnect.
     * Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Runnable onConnect() {
        return given.onConnect;
    }

    /**
     * Return the callback run each time a connection is lost. Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Runnable onDisconnect() {
        return given.onDisconnect;
    }

    /**
     * Return the callback given every connection error. Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Consumer<Throwable> onError() {
        return given.onError;
    }

    /**
     * Return the delay before the first reconnect attempt; it doubles with each failed attempt up to
     * {@link #maxReconnectDelay()}, less a random jitter. Default: 100 ms.
     *
     * @return the initial reconnect delay; never {@code null}
     */
    public Duration reconnectDelay() {
        return given.reconnectDelay;
    }

    /**
     * Return the longest delay between reconnect attempts. Default: 30 s.
     *
     * @return the maximum reconnect delay; never {@code null}
     */
    public Duration maxReconnectDelay() {
        return given.maxReconnectDelay;
    }

    /**
     * Return the interval between PINGs on the subscriber connection, which detect a half-open connection.
     * Default: 5 s.
     *
     * @return the ping interval; never {@code null}
     */
    public Duration pingInterval() {
        return given.pingInterval;
    }

    /**
     * Return how long to wait for the answer to a PING before the subscriber connection is considered lost and
     * reconnected. Default: 3 s.
     *
     * @return the ping timeout; never {@code null}
     */
    public Duration pingTimeout() {
        return given.pingTimeout;
    }

    /**
     * Return the timeout for opening a connection. Default: 2 s.
     *
     * @return the connect timeout; never {@code null}
     */
    public Duration connectTimeout() {
        return given.connectTimeout;
    }

    /**
     * Return the timeout for the answer to a command on the publisher connection. Default: 5 s.
     *
     * @return the command timeout; never {@code null}
     */
    public Duration commandTimeout() {
        return given.commandTimeout;
    }

    /**
     * Return how many publishes may wait for Redis; further publishes fail at once. Default: 65536.
     *
     * @return the maximum number of pending publishes, at least 1
     */
    public int maxPendingPublishes() {
        return given.maxPendingPublishes;
    }

    /**
     * Return how many bytes, channels and payloads together, the publishes waiting for Redis may hold; a publish
     * that would exceed it fails at once. Default: 64 MiB.
     *
     * @return the maximum, at least 1
     * @since 0.2
     */
    public long maxPendingPublishBytes() {
        return given.maxPendingPublishBytes;
    }

    /**
     * Return the size of the largest payload received from Redis that is handed to handlers; a larger one is counted
     * as malformed and dropped. Default: 64 MiB.
     *
     * @return the maximum in bytes, at least 1
     * @since 0.2
     */
    public long maxReceivedMessageBytes() {
        return given.maxReceivedMessageBytes;
    }

    /**
     * Return how long a publish issued while the instance is connecting may wait for the connection instead of
     * failing at once; {@link Duration#ZERO} when publishes fail at once. Default: 2 s. See
     * {@link Builder#holdPublishesWhileConnecting(Duration)}.
     *
     * @return the longest wait; never {@code null}
     * @since 0.2
     */
    public Duration holdPublishesWhileConnecting() {
        return given.holdPublishesWhileConnecting;
    }

    /**
     * Return how many messages a channel's history keeps; see {@link Builder#historySize(int)}.
     *
     * @return the number of messages
     * @since 0.2
     */
    public int historySize() {
        return given.historySize;
    }

    /**
     * Return how long a channel's history lives after its last message; see {@link Builder#historyTtl(Duration)}.
     *
     * @return the time to live
     * @since 0.2
     */
    public Duration historyTtl() {
        return given.historyTtl;
    }

    /**
     * Return how long a channel's epoch and last offset live; see {@link Builder#historyMetaTtl(Duration)}.
     *
     * @return the time to live
     * @since 0.2
     */
    public Duration historyMetaTtl() {
        return given.historyMetaTtl;
    }

    /**
     * Return the interval of the loopback canary, which is also the deadline of each canary; {@link Duration#ZERO}
     * when it is off. Default: 10 s. See {@link Builder#canaryInterval(Duration)}.
     *
     * @return the interval; never {@code null}
     * @since 0.2
     */
    public Duration canaryInterval() {
        return given.canaryInterval;
    }

    /**
     * Return what the start-up self-check does; see {@link Builder#selfCheck(SelfCheck)}. Default:
     * {@link SelfCheck#LOG}.
     *
     * @return the mode; never {@code null}
     * @since 0.2
     */
    public SelfCheck selfCheck() {
        return given.selfCheck;
    }

    /**
     * Return the connection name set with {@code CLIENT SETNAME}, shown by {@code CLIENT LIST}. Default:
     * {@code wskit-redis-pubsub}.
     *
     * @return the client name; never {@code null}
     */
    public String clientName() {
        return given.clientName;
    }

    /**
     * Return the factory of the subscriber and publisher threads. Default: none, the library creates daemon
     * threads.
     *
     * @return the thread factory; can be {@code null}
     */
    public ThreadFactory threadFactory() {
        return given.threadFactory;
    }

    /**
     * Return the serializer of published messages. Default: the table of {@link MessageSerializer}.
     *
     * @return the serializer; never {@code null}
     */
    public MessageSerializer serializeMessage() {
        return given.serializeMessage;
    }

    /**
     * Return the deserializer of received messages. Default: the rules of {@link MessageDeserializer}.
     *
     * @return the deserializer; never {@code null}
     */
    public MessageDeserializer deserializeMessage() {
        return given.deserializeMessage;
    }

    /**
     * Return the Redis endpoint for messages: {@code host:port}, with an IPv6 address in brackets;
     * {@code master NAME via sentinels s1:26379,s2:26379} with Sentinel; {@code cluster n1:6379,n2:6379} with a
     * cluster (followed by {@code (sharded pub/sub)} when it applies); or {@code pre-configured client} when
     * {@link #client()} is set. Never contains credentials.
     *
     * @return the endpoint; never {@code null}
     */
    public String endpoint() {
        if (given.client != null) {
            return "pre-configured client";
        }
        switch (topology) {
            case SENTINEL:
                return "master " + sentinelMaster + " via sentinels " + String.join(",", sentinels);
            case CLUSTER:
                return "cluster " + String.join(",", clusterNodes) + (shardedPubSub ? " (sharded pub/sub)" : "");
            default:
                return OptionText.hostPort(host, port);
        }
    }

    /**
     * Return the options as text, with passwords shown as {@code ***}.
     *
     * @return the options; never {@code null}
     */
    @Override
    public String toString() {
        OptionValues g = given;
        return "RedisPubSubOptions{"
                + "url=" + Masking.maskUrl(g.url)
                + ", host=" + host
                + ", port=" + port
                + ", username=" + Masking.mask(username)
                + ", password=" + (password == null ? "null" : Masking.MASK)
                + ", db=" + db
                + ", tls=" + tls
                + ", sslContext=" + (g.sslContext == null ? "null" : g.sslContext.getProtocol())
                + ", topology=" + topology
                + ", sentinels=" + sentinels
                + ", sentinelMaster=" + sentinelMaster
                + ", sentinelUsername=" + Masking.mask(g.sentinelUsername)
                + ", sentinelPassword=" + (g.sentinelPassword == null ? "null" : Masking.MASK)
                + ", clusterNodes=" + clusterNodes
                + ", shardedPubSub=" + shardedPubSub
                + ", client=" + (g.client == null ? "null" : g.client.getClass().getSimpleName())
                + ", namespace=" + g.namespace
                + ", reconnectDelay=" + OptionText.duration(g.reconnectDelay)
                + ", maxReconnectDelay=" + OptionText.duration(g.maxReconnectDelay)
                + ", pingInterval=" + OptionText.duration(g.pingInterval)
                + ", pingTimeout=" + OptionText.duration(g.pingTimeout)
                + ", connectTimeout=" + OptionText.duration(g.connectTimeout)
                + ", commandTimeout=" + OptionText.duration(g.commandTimeout)
                + ", maxPendingPublishes=" + g.maxPendingPublishes
                + ", maxPendingPublishBytes=" + g.maxPendingPublishBytes
                + ", maxReceivedMessageBytes=" + g.maxReceivedMessageBytes
                + ", holdPublishesWhileConnecting=" + OptionText.duration(g.holdPublishesWhileConnecting)
                + ", historySize=" + g.historySize
                + ", historyTtl=" + OptionText.duration(g.historyTtl)
                + ", historyMetaTtl=" + OptionText.duration(g.historyMetaTtl)
                + ", clientName=" + g.clientName
                + ", canaryInterval=" + OptionText.duration(g.canaryInterval)
                + ", selfCheck=" + g.selfCheck
                + ", threadFactory=" + (g.threadFactory == null ? "null" : "custom")
                + ", serializeMessage=" + (g.serializeMessage == DefaultCodec.INSTANCE ? "default" : "custom")
                + ", deserializeMessage=" + (g.deserializeMessage == DefaultCodec.INSTANCE ? "default" : "custom")
                + ", onConnect=" + (g.onConnect == OptionValues.NO_OP ? "none" : "custom")
                + ", onDisconnect=" + (g.onDisconnect == OptionValues.NO_OP ? "none" : "custom")
                + ", onError=" + (g.onError == OptionValues.NO_OP_ERROR ? "none" : "custom")
                + "}";
    }

    /**
     * Builds {@link RedisPubSubOptions}; every option starts at its default.
     *
     * <p>Setters only record values; {@link #build()} checks them all and reports every problem at once. Only the
     * callbacks and codecs, which have no value to report, are checked for {@code null} by their setters. A builder
     * is not thread-safe and can build any number of instances.
     *
     * @since 0.1
     */
    public static final class Builder extends OptionSetters {

        private Builder() {
            this(new OptionValues());
        }

        private Builder(OptionValues values) {
            super(values);
        }

        /**
         * Check every option and create the options.
         *
         * @return the options; never {@code null}
         * @throws InvalidOptionsException if any option breaks a rule; {@link InvalidOptionsException#problems()}
         *         lists every problem, and the message joins them with {@code "; "}
         */
        public RedisPubSubOptions build() {
            // a copy: the builder can go on changing and build again
            OptionValues snapshot = values.copy();
            return new RedisPubSubOptions(snapshot, OptionRules.check(snapshot));
        }
    }
}
