package dev.wskit.redis;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import dev.wskit.redis.internal.DefaultCodec;
import dev.wskit.redis.internal.Masking;
import dev.wskit.redis.internal.OptionsSecrets;
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
 * <tr><td>{@code clientName}</td><td>{@code wskit-redis-pubsub}</td><td>1 to 128 characters, no whitespace</td></tr>
 * <tr><td>{@code threadFactory}</td><td>daemon threads of the library</td><td></td></tr>
 * <tr><td>{@code serializeMessage}, {@code deserializeMessage}</td><td>the table of {@link MessageSerializer}
 *     and {@link MessageDeserializer}</td><td></td></tr>
 * </table>
 *
 * <p>{@link Builder#build()} checks every rule and throws one {@link InvalidOptionsException} (an
 * {@link IllegalArgumentException}) that reports all problems at once: its message joins them with {@code "; "},
 * and {@link InvalidOptionsException#problems()} lists them as {@link Problem}s. Each problem names the option, the
 * rule and the bad value, for example {@code port must be between 1 and 65535, was 70000}. Secrets are never part
 * of a message, of a {@link Problem} or of {@link #toString()}: the passwords are shown as {@code ***}, and in every
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

    /** The default number of bytes (channels and payloads) publishes waiting for Redis may hold, {@value} (64 MiB). */
    public static final long DEFAULT_MAX_PENDING_PUBLISH_BYTES = 64L * 1024 * 1024;

    /** The default size of the largest payload handed to handlers, {@value} bytes (64 MiB). */
    public static final long DEFAULT_MAX_RECEIVED_MESSAGE_BYTES = 64L * 1024 * 1024;

    /** The default number of publishes that may wait for Redis, {@value}. */
    public static final int DEFAULT_MAX_PENDING_PUBLISHES = 65536;

    /** The default connection name set with {@code CLIENT SETNAME}, {@value}. */
    public static final String DEFAULT_CLIENT_NAME = "wskit-redis-pubsub";

    private static final int MAX_NAMESPACE_LENGTH = 256;
    private static final int MAX_CLIENT_NAME_LENGTH = 128;
    private static final int MAX_ECHO_LENGTH = 64;
    private static final long MIN_TIMEOUT_MILLIS = 10;
    private static final Duration MAX_DURATION = Duration.ofHours(24);
    private static final String MASK = Masking.MASK;
    private static final Runnable NO_OP = () -> {
    };
    private static final Consumer<Throwable> NO_OP_ERROR = e -> {
    };

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
     * One rule that {@link Builder#build()} found broken; see {@link InvalidOptionsException#problems()}.
     *
     * <p>{@link #message()} reads {@code <option> <rule>, was <value>[; <hint>]}, for example {@code port must be
     * between 1 and 65535, was 70000}, or {@code maxReconnectDelay must be at least reconnectDelay (100 ms), was
     * 50 ms}. Options are named as the setters of {@link Builder} are; {@link #message(UnaryOperator)} names them
     * differently, for a caller that reads the options from its own configuration keys:
     * <pre>{@code
     * catch (InvalidOptionsException e) {
     *     for (RedisPubSubOptions.Problem problem : e.problems()) {
     *         log.error(problem.message(option -> "app.redis." + option));
     *     }
     * }
     * }</pre>
     *
     * <p>The value is shown as in the message, never as the object that was set: text quoted and escaped (and
     * shortened after 64 characters), durations in milliseconds, a password only as {@code ***}, and in every text or
     * URL the secrets masked by one rule: the user info before the last {@code @} (its password, or all of it without
     * a {@code :}), in a URL without user info a port that is not a number, and the value of every query parameter,
     * each shown as {@code ***} ({@code redis://app:***@h}, {@code redis-sentinel://s1?sentinels=***&password=***},
     * a host {@code "user:***@h"}). A list with an entry holding {@code @} or {@code ?} is shown joined with commas
     * and masked as one value. So a problem never contains a secret and can be logged as it is.
     *
     * <p>Instances are immutable and thread-safe; two are equal when they report the same.
     *
     * @since 0.1
     */
    public static final class Problem implements Serializable {

        private static final long serialVersionUID = 1L;

        /** The option that breaks the rule. */
        private final String option;
        /** The rule, a template: an option name in braces refers to that option, two opening braces are one. */
        private final String rule;
        /** The value as shown; can be {@code null}. */
        private final String value;
        /** The hint, a template like the rule; can be {@code null}. */
        private final String hint;

        Problem(String option, String rule, String value, String hint) {
            this.option = option;
            this.rule = rule;
            this.value = value;
            this.hint = hint;
        }

        /**
         * Return the option that breaks the rule, as named by its setter in {@link Builder}, such as {@code port}.
         * A problem inside the URL is reported for {@code url}, one with an entry of {@code sentinels} or
         * {@code clusterNodes} for that list, and a conflict between two options for one of them, whose rule names
         * the other.
         *
         * @return the option name; never {@code null}
         */
        public String option() {
            return option;
        }

        /**
         * Return the rule that was broken, such as {@code must be between 1 and 65535}, naming other options as their
         * setters do; inside a URL it starts with the part of the URL, such as {@code port must be between 1 and
         * 65535}.
         *
         * @return the rule; never {@code null}
         */
        public String rule() {
            return render(rule, UnaryOperator.identity());
        }

        /**
         * Return the rejected value as the message shows it: quoted, shortened or masked as the class doc says.
         *
         * @return the value; {@code null} if the problem shows none (an option that must not be {@code null} shows
         *         none)
         */
        public String value() {
            return value;
        }

        /**
         * Return what to do about the problem, such as {@code use one or the other}.
         *
         * @return the hint; {@code null} if there is none
         */
        public String hint() {
            return hint == null ? null : render(hint, UnaryOperator.identity());
        }

        /**
         * Return the problem as one sentence: {@code <option> <rule>, was <value>[; <hint>]}.
         *
         * @return the message; never {@code null}
         */
        public String message() {
            return message(UnaryOperator.identity());
        }

        /**
         * Return the problem as one sentence, with every option named by {@code naming}: the option that breaks the
         * rule and the options the rule and the hint refer to. The value is never renamed.
         *
         * @param naming maps an option name, as {@link #option()} gives it, to the name to show; a {@code null}
         *        result keeps the option name; must not be {@code null}
         * @return the message; never {@code null}
         * @throws IllegalArgumentException if {@code naming} is {@code null}
         */
        public String message(UnaryOperator<String> naming) {
            if (naming == null) {
                throw new IllegalArgumentException("naming must not be null");
            }
            StringBuilder sb = new StringBuilder(rule.length() + 64).append(name(option, naming)).append(' ')
                    .append(render(rule, naming));
            if (value != null) {
                sb.append(", was ").append(value);
            }
            if (hint != null) {
                sb.append("; ").append(render(hint, naming));
            }
            return sb.toString();
        }

        private static String name(String option, UnaryOperator<String> naming) {
            String name = naming.apply(option);
            return name == null ? option : name;
        }

        private static String render(String template, UnaryOperator<String> naming) {
            if (template.indexOf('{') < 0) {
                return template;
            }
            StringBuilder sb = new StringBuilder(template.length() + 32);
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                int end = c == '{' ? template.indexOf('}', i) : -1;
                if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                    sb.append('{');
                    i++;
                } else if (end > i) {
                    sb.append(name(template.substring(i + 1, end), naming));
                    i = end;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Problem p && option.equals(p.option) && rule.equals(p.rule)
                    && Objects.equals(value, p.value) && Objects.equals(hint, p.hint);
        }

        @Override
        public int hashCode() {
            return Objects.hash(option, rule, value, hint);
        }

        /**
         * Return {@link #message()}.
         *
         * @return the message; never {@code null}
         */
        @Override
        public String toString() {
            return message();
        }
    }

    private final Builder source;
    private final String url;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final int db;
    private final boolean tls;
    private final Topology topology;
    private final List<String> sentinels;
    private final String sentinelMaster;
    private final String sentinelUsername;
    private final String sentinelPassword;
    private final List<String> clusterNodes;
    private final boolean shardedPubSub;
    private final SSLContext sslContext;
    private final UnifiedJedis client;
    private final String namespace;
    private final Runnable onConnect;
    private final Runnable onDisconnect;
    private final Consumer<Throwable> onError;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int maxPendingPublishes;
    private final Duration holdPublishesWhileConnecting;
    private final long maxPendingPublishBytes;
    private final long maxReceivedMessageBytes;
    private final String clientName;
    private final ThreadFactory threadFactory;
    private final MessageSerializer serializeMessage;
    private final MessageDeserializer deserializeMessage;

    private RedisPubSubOptions(Builder b, Resolved r) {
        this.source = new Builder(b);
        this.url = b.url;
        this.host = r.host;
        this.port = r.port;
        this.username = r.username;
        this.password = r.password;
        this.db = r.db;
        this.tls = r.tls;
        this.topology = r.topology;
        this.sentinels = r.topology == Topology.SENTINEL ? List.copyOf(r.hosts) : List.of();
        this.sentinelMaster = r.master;
        this.sentinelUsername = b.sentinelUsername;
        this.sentinelPassword = b.sentinelPassword;
        this.clusterNodes = r.topology == Topology.CLUSTER ? List.copyOf(r.hosts) : List.of();
        this.shardedPubSub = Boolean.TRUE.equals(r.sharded);
        this.sslContext = b.sslContext;
        this.client = b.client;
        this.namespace = b.namespace;
        this.onConnect = b.onConnect;
        this.onDisconnect = b.onDisconnect;
        this.onError = b.onError;
        this.reconnectDelay = b.reconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.maxPendingPublishes = b.maxPendingPublishes;
        this.holdPublishesWhileConnecting = b.holdPublishesWhileConnecting;
        this.maxPendingPublishBytes = b.maxPendingPublishBytes;
        this.maxReceivedMessageBytes = b.maxReceivedMessageBytes;
        this.clientName = b.clientName;
        this.threadFactory = b.threadFactory;
        this.serializeMessage = b.serializeMessage;
        this.deserializeMessage = b.deserializeMessage;
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
        return new Builder(source);
    }

    /**
     * Return the Redis URL as given, with its secrets masked as the class doc says (the user info's password and
     * the values of the query parameters shown as {@code ***}). The host, port, username, database and TLS flag
     * resolved from it are returned by their own accessors. Default: none.
     *
     * @return the masked URL; can be {@code null}
     */
    public String url() {
        return Masking.mask(url);
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
        return sslContext;
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
        return sentinelUsername;
    }

    /**
     * Tell whether a password for {@code AUTH} on the sentinels is set (the master's is {@link #hasPassword()}).
     * The password itself has no accessor. Default: none.
     *
     * @return {@code true} if a sentinel password is set
     * @since 0.2
     */
    public boolean hasSentinelPassword() {
        return sentinelPassword != null;
    }

    /** The password of the sentinels, for the internals (through {@link OptionsSecrets}) and the tests. */
    static String sentinelPassword(RedisPubSubOptions options) {
        return options.sentinelPassword;
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
        return client;
    }

    /**
     * Return the namespace that prefixes every channel on the wire, followed by {@code :}. Default: {@code ws}.
     *
     * @return the namespace; never {@code null}
     */
    public String namespace() {
        return namespace;
    }

    /**
     * Return the callback run each time both connections are up, the first time and after every reconnect.
     * Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Runnable onConnect() {
        return onConnect;
    }

    /**
     * Return the callback run each time a connection is lost. Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Runnable onDisconnect() {
        return onDisconnect;
    }

    /**
     * Return the callback given every connection error. Default: does nothing.
     *
     * @return the callback; never {@code null}
     */
    public Consumer<Throwable> onError() {
        return onError;
    }

    /**
     * Return the delay before the first reconnect attempt; it doubles with each failed attempt up to
     * {@link #maxReconnectDelay()}, less a random jitter. Default: 100 ms.
     *
     * @return the initial reconnect delay; never {@code null}
     */
    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    /**
     * Return the longest delay between reconnect attempts. Default: 30 s.
     *
     * @return the maximum reconnect delay; never {@code null}
     */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /**
     * Return the interval between PINGs on the subscriber connection, which detect a half-open connection.
     * Default: 5 s.
     *
     * @return the ping interval; never {@code null}
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * Return how long to wait for the answer to a PING before the subscriber connection is considered lost and
     * reconnected. Default: 3 s.
     *
     * @return the ping timeout; never {@code null}
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /**
     * Return the timeout for opening a connection. Default: 2 s.
     *
     * @return the connect timeout; never {@code null}
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Return the timeout for the answer to a command on the publisher connection. Default: 5 s.
     *
     * @return the command timeout; never {@code null}
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Return how many publishes may wait for Redis; further publishes fail at once. Default: 65536.
     *
     * @return the maximum number of pending publishes, at least 1
     */
    public int maxPendingPublishes() {
        return maxPendingPublishes;
    }

    /**
     * Return how many bytes, channels and payloads together, the publishes waiting for Redis may hold; a publish
     * that would exceed it fails at once. Default: 64 MiB.
     *
     * @return the maximum, at least 1
     * @since 0.2
     */
    public long maxPendingPublishBytes() {
        return maxPendingPublishBytes;
    }

    /**
     * Return the size of the largest payload received from Redis that is handed to handlers; a larger one is counted
     * as malformed and dropped. Default: 64 MiB.
     *
     * @return the maximum in bytes, at least 1
     * @since 0.2
     */
    public long maxReceivedMessageBytes() {
        return maxReceivedMessageBytes;
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
        return holdPublishesWhileConnecting;
    }

    /**
     * Return the connection name set with {@code CLIENT SETNAME}, shown by {@code CLIENT LIST}. Default:
     * {@code wskit-redis-pubsub}.
     *
     * @return the client name; never {@code null}
     */
    public String clientName() {
        return clientName;
    }

    /**
     * Return the factory of the subscriber and publisher threads. Default: none, the library creates daemon
     * threads.
     *
     * @return the thread factory; can be {@code null}
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * Return the serializer of published messages. Default: the table of {@link MessageSerializer}.
     *
     * @return the serializer; never {@code null}
     */
    public MessageSerializer serializeMessage() {
        return serializeMessage;
    }

    /**
     * Return the deserializer of received messages. Default: the rules of {@link MessageDeserializer}.
     *
     * @return the deserializer; never {@code null}
     */
    public MessageDeserializer deserializeMessage() {
        return deserializeMessage;
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
        if (client != null) {
            return "pre-configured client";
        }
        switch (topology) {
            case SENTINEL:
                return "master " + sentinelMaster + " via sentinels " + String.join(",", sentinels);
            case CLUSTER:
                return "cluster " + String.join(",", clusterNodes) + (shardedPubSub ? " (sharded pub/sub)" : "");
            default:
                return formatHostPort(host, port);
        }
    }

    /**
     * Return the options as text, with passwords shown as {@code ***}.
     *
     * @return the options; never {@code null}
     */
    @Override
    public String toString() {
        return "RedisPubSubOptions{"
                + "url=" + (url == null ? "null" : maskUrl(url))
                + ", host=" + host
                + ", port=" + port
                + ", username=" + Masking.mask(username)
                + ", password=" + (password == null ? "null" : MASK)
                + ", db=" + db
                + ", tls=" + tls
                + ", sslContext=" + (sslContext == null ? "null" : sslContext.getProtocol())
                + ", topology=" + topology
                + ", sentinels=" + sentinels
                + ", sentinelMaster=" + sentinelMaster
                + ", sentinelUsername=" + Masking.mask(sentinelUsername)
                + ", sentinelPassword=" + (sentinelPassword == null ? "null" : MASK)
                + ", clusterNodes=" + clusterNodes
                + ", shardedPubSub=" + shardedPubSub
                + ", client=" + (client == null ? "null" : client.getClass().getSimpleName())
                + ", namespace=" + namespace
                + ", reconnectDelay=" + formatDuration(reconnectDelay)
                + ", maxReconnectDelay=" + formatDuration(maxReconnectDelay)
                + ", pingInterval=" + formatDuration(pingInterval)
                + ", pingTimeout=" + formatDuration(pingTimeout)
                + ", connectTimeout=" + formatDuration(connectTimeout)
                + ", commandTimeout=" + formatDuration(commandTimeout)
                + ", maxPendingPublishes=" + maxPendingPublishes
                + ", maxPendingPublishBytes=" + maxPendingPublishBytes
                + ", maxReceivedMessageBytes=" + maxReceivedMessageBytes
                + ", holdPublishesWhileConnecting=" + formatDuration(holdPublishesWhileConnecting)
                + ", clientName=" + clientName
                + ", threadFactory=" + (threadFactory == null ? "null" : "custom")
                + ", serializeMessage=" + (serializeMessage == DefaultCodec.INSTANCE ? "default" : "custom")
                + ", deserializeMessage=" + (deserializeMessage == DefaultCodec.INSTANCE ? "default" : "custom")
                + ", onConnect=" + (onConnect == NO_OP ? "none" : "custom")
                + ", onDisconnect=" + (onDisconnect == NO_OP ? "none" : "custom")
                + ", onError=" + (onError == NO_OP_ERROR ? "none" : "custom")
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
    public static final class Builder {

        private String url;
        private String host = DEFAULT_HOST;
        private boolean hostSet;
        private int port = DEFAULT_PORT;
        private boolean portSet;
        private String username;
        private String password;
        private int db = DEFAULT_DB;
        private boolean dbSet;
        private Boolean tls;
        private SSLContext sslContext;
        private List<String> sentinels;
        private String sentinelMaster;
        private String sentinelUsername;
        private String sentinelPassword;
        private List<String> clusterNodes;
        private Boolean shardedPubSub;
        private UnifiedJedis client;
        private String namespace = DEFAULT_NAMESPACE;
        private Runnable onConnect = NO_OP;
        private Runnable onDisconnect = NO_OP;
        private Consumer<Throwable> onError = NO_OP_ERROR;
        private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private int maxPendingPublishes = DEFAULT_MAX_PENDING_PUBLISHES;
        private Duration holdPublishesWhileConnecting = DEFAULT_HOLD_PUBLISHES_WHILE_CONNECTING;
        private long maxPendingPublishBytes = DEFAULT_MAX_PENDING_PUBLISH_BYTES;
        private long maxReceivedMessageBytes = DEFAULT_MAX_RECEIVED_MESSAGE_BYTES;
        private String clientName = DEFAULT_CLIENT_NAME;
        private ThreadFactory threadFactory;
        private MessageSerializer serializeMessage = DefaultCodec.INSTANCE;
        private MessageDeserializer deserializeMessage = DefaultCodec.INSTANCE;

        private Builder() {
        }

        private Builder(Builder other) {
            this.url = other.url;
            this.host = other.host;
            this.hostSet = other.hostSet;
            this.port = other.port;
            this.portSet = other.portSet;
            this.username = other.username;
            this.password = other.password;
            this.db = other.db;
            this.dbSet = other.dbSet;
            this.tls = other.tls;
            this.sslContext = other.sslContext;
            this.sentinels = other.sentinels;
            this.sentinelMaster = other.sentinelMaster;
            this.sentinelUsername = other.sentinelUsername;
            this.sentinelPassword = other.sentinelPassword;
            this.clusterNodes = other.clusterNodes;
            this.shardedPubSub = other.shardedPubSub;
            this.client = other.client;
            this.namespace = other.namespace;
            this.onConnect = other.onConnect;
            this.onDisconnect = other.onDisconnect;
            this.onError = other.onError;
            this.reconnectDelay = other.reconnectDelay;
            this.maxReconnectDelay = other.maxReconnectDelay;
            this.pingInterval = other.pingInterval;
            this.pingTimeout = other.pingTimeout;
            this.connectTimeout = other.connectTimeout;
            this.commandTimeout = other.commandTimeout;
            this.maxPendingPublishes = other.maxPendingPublishes;
            this.holdPublishesWhileConnecting = other.holdPublishesWhileConnecting;
            this.maxPendingPublishBytes = other.maxPendingPublishBytes;
            this.maxReceivedMessageBytes = other.maxReceivedMessageBytes;
            this.clientName = other.clientName;
            this.threadFactory = other.threadFactory;
            this.serializeMessage = other.serializeMessage;
            this.deserializeMessage = other.deserializeMessage;
        }

        /**
         * Set the Redis URL, in one of these forms ({@code rediss} instead of {@code redis} turns TLS on):
         * <ul>
         * <li>{@code redis://[[user]:password@]host[:port][/db]}: one server;</li>
         * <li>{@code redis-sentinel://[[user]:password@]s1[:port][,s2[:port]...][/db]?sentinels=NAME}, also
         *     {@code ?master=NAME}: the master {@code NAME} found through the listed sentinels (port 26379 by
         *     default), followed across failovers; the user and password are those of the master, see
         *     {@link #sentinelPassword(String)} for the sentinels';</li>
         * <li>{@code redis-cluster://[[user]:password@]n1[:port][,n2[:port]...][?sharded=true]}: a Redis Cluster
         *     reached through the listed seed nodes (port 6379 by default); the database can only be 0;
         *     {@code sharded=true} is the same as {@link #shardedPubSub(boolean) shardedPubSub(true)}.</li>
         * </ul>
         *
         * <p>A host can be an IPv6 address in brackets; the database defaults to 0. Percent-encode
         * {@code : @ / ? #} and {@code %} in the user name and password, and {@code & = %} in the master name. Only
         * the parameters shown are allowed in a query string.
         *
         * <p>Host, port, sentinels and clusterNodes must not be set as well. A username or password may be set
         * separately when the URL has none (the URL from configuration, the secret from elsewhere); {@code db} may
         * be set when the URL names no database or the same one; {@code tls(true)} turns TLS on for a
         * {@code redis://} URL; {@code sentinelMaster} may be set when a Sentinel URL names no master or the same
         * one. Ignored (but still checked) when a {@link #client(UnifiedJedis) client} is set. Default: none.
         *
         * @param url the URL; can be {@code null} for none
         * @return this builder
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /**
         * Set the Redis host: a host name, an IPv4 address or an IPv6 address (with or without brackets).
         * Must not be set together with a {@link #url(String) url}. Default: {@code localhost}.
         *
         * @param host the host; must not be {@code null} or empty
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            this.hostSet = true;
            return this;
        }

        /**
         * Set the Redis port, between 1 and 65535. Must not be set together with a {@link #url(String) url}.
         * Default: 6379.
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            this.portSet = true;
            return this;
        }

        /**
         * Set the user name for {@code AUTH}. Only allowed with a {@link #url(String) url} that has no user
         * name. Default: none (the {@code default} user).
         *
         * @param username the user name; can be {@code null} for none; must not be empty
         * @return this builder
         */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /**
         * Set the password for {@code AUTH}. Only allowed with a {@link #url(String) url} that has no password.
         * Never shown in messages or {@link RedisPubSubOptions#toString()}. Default: none.
         *
         * @param password the password; can be {@code null} for none; must not be empty
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Set the Redis database, at least 0. With a {@link #url(String) url} that names a database, it must be
         * the same. Default: 0.
         *
         * @param db the database
         * @return this builder
         */
        public Builder db(int db) {
            this.db = db;
            this.dbSet = true;
            return this;
        }

        /**
         * Turn TLS on or off. A {@code rediss://} URL turns it on, and then it must not be turned off.
         * Default: {@code false}.
         *
         * @param tls {@code true} for TLS
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Set the SSL context for TLS connections, for example to trust a private certificate authority. Ignored
         * when TLS is off. Default: none, the JVM's default SSL context is used.
         *
         * @param sslContext the SSL context; can be {@code null} for the default
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * Use Redis Sentinel: find the master through these sentinels, tried in order, and follow it across
         * failovers. Entries are {@code host[:port]}, the port defaulting to 26379, an IPv6 address in brackets.
         * Needs {@link #sentinelMaster(String) sentinelMaster}. Must not be set together with a
         * {@link #url(String) url}, {@code host}, {@code port} or {@link #clusterNodes(List) clusterNodes}; a
         * {@code redis-sentinel://} URL is the alternative. Default: none.
         *
         * @param sentinels the sentinels; can be {@code null} for none; must not be empty or contain {@code null}
         * @return this builder
         * @since 0.1
         */
        public Builder sentinels(List<String> sentinels) {
            this.sentinels = sentinels == null ? null : new ArrayList<>(sentinels);
            return this;
        }

        /**
         * Set the name of the master the sentinels monitor ({@code sentinel monitor <name> ...} in
         * {@code sentinel.conf}). Required with {@link #sentinels(List) sentinels}; with a
         * {@code redis-sentinel://} URL only when it has no {@code sentinels=} or {@code master=} parameter (or the
         * same name). Default: none.
         *
         * @param sentinelMaster the master name; can be {@code null} for none; must not be empty
         * @return this builder
         * @since 0.1
         */
        public Builder sentinelMaster(String sentinelMaster) {
            this.sentinelMaster = sentinelMaster;
            return this;
        }

        /**
         * Set the user name for {@code AUTH} on the sentinels. Only with Sentinel. Default: none.
         *
         * @param sentinelUsername the user name; can be {@code null} for none; must not be empty
         * @return this builder
         * @since 0.1
         */
        public Builder sentinelUsername(String sentinelUsername) {
            this.sentinelUsername = sentinelUsername;
            return this;
        }

        /**
         * Set the password for {@code AUTH} on the sentinels ({@code requirepass} in {@code sentinel.conf}); the
         * master's password is {@link #password(String) password}. Only with Sentinel. Never shown in messages or
         * {@link RedisPubSubOptions#toString()}. Default: none.
         *
         * @param sentinelPassword the password; can be {@code null} for none; must not be empty
         * @return this builder
         * @since 0.1
         */
        public Builder sentinelPassword(String sentinelPassword) {
            this.sentinelPassword = sentinelPassword;
            return this;
        }

        /**
         * Use Redis Cluster, reached through these seed nodes, tried in order (the nodes the cluster reports are
         * tried as well). Entries are {@code host[:port]}, the port defaulting to 6379, an IPv6 address in
         * brackets. Must not be set together with a {@link #url(String) url}, {@code host}, {@code port} or
         * {@link #sentinels(List) sentinels}; a {@code redis-cluster://} URL is the alternative. Default: none.
         *
         * @param clusterNodes the seed nodes; can be {@code null} for none; must not be empty or contain
         *        {@code null}
         * @return this builder
         * @since 0.1
         */
        public Builder clusterNodes(List<String> clusterNodes) {
            this.clusterNodes = clusterNodes == null ? null : new ArrayList<>(clusterNodes);
            return this;
        }

        /**
         * Use sharded pub/sub in a cluster ({@code SPUBLISH}/{@code SSUBSCRIBE}, Redis 7+). A message then travels
         * only within the shard (master and replicas) that owns the slot of its channel, so pub/sub traffic scales
         * with the number of shards; the instance holds one subscriber connection per master that owns a
         * subscribed channel. {@code psubscribe} is not available: it throws {@link IllegalStateException}. Only
         * with a cluster. Default: {@code false}, classic pub/sub, which Redis forwards to every node.
         *
         * @param shardedPubSub {@code true} for sharded pub/sub
         * @return this builder
         * @since 0.1
         */
        public Builder shardedPubSub(boolean shardedPubSub) {
            this.shardedPubSub = shardedPubSub;
            return this;
        }

        /**
         * Set a pre-configured client to use for all commands. The connection options (url, host, port,
         * username, password, db, tls, sslContext, sentinels, sentinelMaster, sentinelUsername, sentinelPassword,
         * clusterNodes, shardedPubSub, connectTimeout, commandTimeout, clientName) are then ignored,
         * though still checked. The caller owns the client: {@link RedisPubSub#destroy()} does not close it.
         * Default: none.
         *
         * @param client the client; can be {@code null} for none
         * @return this builder
         */
        public Builder client(UnifiedJedis client) {
            this.client = client;
            return this;
        }

        /**
         * Set the namespace that prefixes every channel on the wire: with namespace {@code myapp:prod}, channel
         * {@code chat} is {@code myapp:prod:chat} in Redis. 1 to 256 characters, without whitespace, control
         * characters or {@code * ? [ ]}, not ending with {@code :}. Default: {@code ws}.
         *
         * @param namespace the namespace; must not be {@code null}
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /**
         * Set the callback run each time both connections are up, the first time and after every reconnect. It
         * runs on a library thread and must not block. Default: does nothing.
         *
         * @param onConnect the callback; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code onConnect} is {@code null}
         */
        public Builder onConnect(Runnable onConnect) {
            this.onConnect = requireCallback(onConnect, "onConnect");
            return this;
        }

        /**
         * Set the callback run each time a connection is lost. It runs on a library thread and must not block.
         * Default: does nothing.
         *
         * @param onDisconnect the callback; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code onDisconnect} is {@code null}
         */
        public Builder onDisconnect(Runnable onDisconnect) {
            this.onDisconnect = requireCallback(onDisconnect, "onDisconnect");
            return this;
        }

        /**
         * Set the callback given every connection error. It runs on a library thread and must not block.
         * Default: does nothing.
         *
         * @param onError the callback; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code onError} is {@code null}
         */
        public Builder onError(Consumer<Throwable> onError) {
            this.onError = requireCallback(onError, "onError");
            return this;
        }

        /**
         * Set the delay before the first reconnect attempt, 1 ms to 24 h; it doubles with each failed attempt,
         * up to {@link #maxReconnectDelay(Duration) maxReconnectDelay}. Default: 100 ms.
         *
         * @param reconnectDelay the initial reconnect delay; must not be {@code null}
         * @return this builder
         */
        public Builder reconnectDelay(Duration reconnectDelay) {
            this.reconnectDelay = reconnectDelay;
            return this;
        }

        /**
         * Set the longest delay between reconnect attempts, 1 ms to 24 h and at least
         * {@link #reconnectDelay(Duration) reconnectDelay}. Default: 30 s.
         *
         * @param maxReconnectDelay the maximum reconnect delay; must not be {@code null}
         * @return this builder
         */
        public Builder maxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = maxReconnectDelay;
            return this;
        }

        /**
         * Set the interval between PINGs on the subscriber connection, 10 ms to 24 h. Default: 5 s.
         *
         * @param pingInterval the ping interval; must not be {@code null}
         * @return this builder
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
            return this;
        }

        /**
         * Set how long to wait for the answer to a PING before reconnecting the subscriber connection, 10 ms to
         * 24 h. Default: 3 s.
         *
         * @param pingTimeout the ping timeout; must not be {@code null}
         * @return this builder
         */
        public Builder pingTimeout(Duration pingTimeout) {
            this.pingTimeout = pingTimeout;
            return this;
        }

        /**
         * Set the timeout for opening a connection, 10 ms to 24 h. Default: 2 s.
         *
         * @param connectTimeout the connect timeout; must not be {@code null}
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Set the timeout for the answer to a command on the publisher connection, 10 ms to 24 h. Default: 5 s.
         *
         * @param commandTimeout the command timeout; must not be {@code null}
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Set how many publishes may wait for Redis, at least 1; further publishes fail at once.
         * Default: 65536.
         *
         * @param maxPendingPublishes the maximum number of pending publishes
         * @return this builder
         */
        public Builder maxPendingPublishes(int maxPendingPublishes) {
            this.maxPendingPublishes = maxPendingPublishes;
            return this;
        }

        /**
         * Set how many bytes, channels and payloads together, the publishes waiting for Redis may hold, at least 1;
         * a publish that would exceed it fails at once (so this is also the largest message that can be published).
         * Together with {@link #maxPendingPublishes(int)} it bounds the memory publishes can take while Redis is
         * slow. Default: 64 MiB.
         *
         * @param maxPendingPublishBytes the maximum number of bytes
         * @return this builder
         * @since 0.2
         */
        public Builder maxPendingPublishBytes(long maxPendingPublishBytes) {
            this.maxPendingPublishBytes = maxPendingPublishBytes;
            return this;
        }

        /**
         * Set the size of the largest payload received from Redis that is handed to handlers, at least 1 byte; a
         * larger one (anyone who can publish to Redis can send one) is counted in
         * {@link RedisPubSubStats#malformed()}, reported to {@code onError} and dropped, so that it is neither
         * decoded nor handed on (to WebSocket sessions, say). Default: 64 MiB.
         *
         * @param maxReceivedMessageBytes the maximum in bytes
         * @return this builder
         * @since 0.2
         */
        public Builder maxReceivedMessageBytes(long maxReceivedMessageBytes) {
            this.maxReceivedMessageBytes = maxReceivedMessageBytes;
            return this;
        }

        /**
         * Set how long a publish issued while the instance is connecting may wait for the connection, 0 to 24 h.
         * Default: 2 s.
         *
         * <p>The instance is <em>connecting</em> from {@link RedisPubSub#create} until its first connection attempt
         * ends, and from the loss of a connection that was up until the next attempt ends. A publish issued then is
         * held, in order and within {@link #maxPendingPublishes(int)}, instead of failing: it is sent when the
         * connection comes up, and fails with the usual "Redis is unreachable" {@link RedisPubSubException} when the
         * attempt fails or when it has waited this long (the publisher thread checks the deadline between attempts;
         * one attempt is itself bounded by {@link #connectTimeout(Duration)} for each address it tries). Once an
         * attempt has failed, Redis is known to be down and publishes fail at once until a connection is up again.
         * {@link Duration#ZERO} makes every publish while not connected fail at once (strict fail-fast).
         *
         * @param holdPublishesWhileConnecting the longest wait; must not be {@code null}
         * @return this builder
         * @since 0.2
         */
        public Builder holdPublishesWhileConnecting(Duration holdPublishesWhileConnecting) {
            this.holdPublishesWhileConnecting = holdPublishesWhileConnecting;
            return this;
        }

        /**
         * Set the connection name set with {@code CLIENT SETNAME}: 1 to 128 characters, without whitespace or
         * control characters. Default: {@code wskit-redis-pubsub}.
         *
         * @param clientName the client name; must not be {@code null}
         * @return this builder
         */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /**
         * Set the factory of the subscriber and publisher threads, for example one of the application server.
         * Default: none, the library creates daemon threads.
         *
         * @param threadFactory the thread factory; can be {@code null} for the default
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * Set the serializer of published messages, replacing the default table of {@link MessageSerializer}.
         *
         * @param serializeMessage the serializer; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code serializeMessage} is {@code null}
         */
        public Builder serializeMessage(MessageSerializer serializeMessage) {
            this.serializeMessage = requireCallback(serializeMessage, "serializeMessage");
            return this;
        }

        /**
         * Set the deserializer of received messages, replacing the default rules of {@link MessageDeserializer}.
         *
         * @param deserializeMessage the deserializer; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code deserializeMessage} is {@code null}
         */
        public Builder deserializeMessage(MessageDeserializer deserializeMessage) {
            this.deserializeMessage = requireCallback(deserializeMessage, "deserializeMessage");
            return this;
        }

        /**
         * Check every option and create the options.
         *
         * @return the options; never {@code null}
         * @throws InvalidOptionsException if any option breaks a rule; {@link InvalidOptionsException#problems()}
         *         lists every problem, and the message joins them with {@code "; "}
         */
        public RedisPubSubOptions build() {
            List<Problem> errors = new ArrayList<>();

            Resolved r = new Resolved();
            r.username = username;
            r.password = password;
            r.db = db;
            r.tls = Boolean.TRUE.equals(tls);
            r.master = sentinelMaster;

            if (username != null && username.isEmpty()) {
                errors.add(new Problem("username", "must not be empty", "\"\"", "leave it unset for the default user"));
            }
            if (password != null && password.isEmpty()) {
                errors.add(new Problem("password", "must not be empty", "\"\"", "leave it unset for no password"));
            }
            if (db < 0) {
                errors.add(new Problem("db", "must be at least 0", Integer.toString(db), null));
            }

            if (url != null) {
                if (hostSet) {
                    errors.add(new Problem("host", "must not be set together with {url}", quote(host),
                            "use one or the other"));
                }
                if (portSet) {
                    errors.add(new Problem("port", "must not be set together with {url}", Integer.toString(port),
                            "use one or the other"));
                }
                if (sentinels != null) {
                    errors.add(new Problem("sentinels", "must not be set together with {url}", quoteList(sentinels),
                            "use one or the other"));
                }
                if (clusterNodes != null) {
                    errors.add(new Problem("clusterNodes", "must not be set together with {url}",
                            quoteList(clusterNodes), "use one or the other"));
                }
                ParsedUrl parsed = parseUrl(url, errors);
                if (parsed != null) {
                    r.topology = parsed.topology;
                    r.hosts = parsed.hosts;
                    r.host = parsed.host;
                    r.port = parsed.port;
                    if (parsed.username != null) {
                        if (username != null) {
                            errors.add(new Problem("username",
                                    "must not be set together with a {url} that has a user name", quote(username),
                                    "use one or the other"));
                        }
                        r.username = parsed.username;
                    }
                    if (parsed.password != null) {
                        if (password != null) {
                            errors.add(new Problem("password",
                                    "must not be set together with a {url} that has a password", MASK,
                                    "use one or the other"));
                        }
                        r.password = parsed.password;
                    }
                    if (parsed.db >= 0) {
                        if (dbSet && db != parsed.db) {
                            errors.add(new Problem("db", "must be the database of {url} (" + parsed.db
                                    + ") when both are set", Integer.toString(db), "use one or the other"));
                        }
                        r.db = parsed.db;
                    }
                    if (parsed.tls) {
                        if (Boolean.FALSE.equals(tls)) {
                            errors.add(new Problem("tls", "must not be false with a " + parsed.scheme
                                    + ":// {url}", "false", "use a " + parsed.scheme.substring(0, 5)
                                    + parsed.scheme.substring(6) + ":// {url} for a connection without TLS"));
                        }
                        r.tls = true;
                    }
                    if (parsed.master != null) {
                        if (sentinelMaster != null && !sentinelMaster.equals(parsed.master)) {
                            errors.add(new Problem("sentinelMaster", "must be the master named in {url} when both"
                                    + " are set", quote(sentinelMaster), "use one or the other"));
                        }
                        r.master = parsed.master;
                    }
                    if (parsed.sharded != null) {
                        if (shardedPubSub != null && !shardedPubSub.equals(parsed.sharded)) {
                            errors.add(new Problem("shardedPubSub", "must match the sharded parameter of {url} ("
                                    + parsed.sharded + ") when both are set", shardedPubSub.toString(),
                                    "use one or the other"));
                        }
                        r.sharded = parsed.sharded;
                    }
                }
            } else if (sentinels != null || clusterNodes != null) {
                String what = sentinels != null ? "sentinels" : "clusterNodes";
                if (sentinels != null && clusterNodes != null) {
                    errors.add(new Problem("sentinels", "must not be set together with {clusterNodes}",
                            quoteList(sentinels), "a deployment is either Sentinel or Cluster"));
                }
                if (hostSet) {
                    errors.add(new Problem("host", "must not be set together with {" + what + "}", quote(host),
                            "use one or the other"));
                }
                if (portSet) {
                    errors.add(new Problem("port", "must not be set together with {" + what + "}",
                            Integer.toString(port), "use one or the other"));
                }
                if (sentinels != null) {
                    r.topology = Topology.SENTINEL;
                    r.hosts = checkHostList("sentinels", sentinels, DEFAULT_SENTINEL_PORT, errors, r);
                } else {
                    r.topology = Topology.CLUSTER;
                    r.hosts = checkHostList("clusterNodes", clusterNodes, DEFAULT_PORT, errors, r);
                }
            } else {
                r.host = checkHost(host, errors);
                r.port = port;
                if (port < 1 || port > 65535) {
                    errors.add(new Problem("port", "must be between 1 and 65535", Integer.toString(port), null));
                }
            }
            if (shardedPubSub != null && r.sharded == null) {
                r.sharded = shardedPubSub;
            }
            checkTopology(r, errors);

            checkNamespace(namespace, errors);
            boolean delayOk = checkDuration("reconnectDelay", reconnectDelay, 1, errors);
            boolean maxOk = checkDuration("maxReconnectDelay", maxReconnectDelay, 1, errors);
            if (delayOk && maxOk && maxReconnectDelay.compareTo(reconnectDelay) < 0) {
                errors.add(new Problem("maxReconnectDelay", "must be at least {reconnectDelay} ("
                        + formatDuration(reconnectDelay) + ")", formatDuration(maxReconnectDelay), null));
            }
            checkDuration("pingInterval", pingInterval, MIN_TIMEOUT_MILLIS, errors);
            checkDuration("pingTimeout", pingTimeout, MIN_TIMEOUT_MILLIS, errors);
            checkDuration("connectTimeout", connectTimeout, MIN_TIMEOUT_MILLIS, errors);
            checkDuration("commandTimeout", commandTimeout, MIN_TIMEOUT_MILLIS, errors);
            checkDuration("holdPublishesWhileConnecting", holdPublishesWhileConnecting, 0, errors);
            if (maxReceivedMessageBytes < 1) {
                errors.add(new Problem("maxReceivedMessageBytes", "must be at least 1",
                        Long.toString(maxReceivedMessageBytes), null));
            }
            if (maxPendingPublishBytes < 1) {
                errors.add(new Problem("maxPendingPublishBytes", "must be at least 1",
                        Long.toString(maxPendingPublishBytes), null));
            }
            if (maxPendingPublishes < 1) {
                errors.add(new Problem("maxPendingPublishes", "must be at least 1",
                        Integer.toString(maxPendingPublishes), null));
            }
            checkClientName(clientName, errors);

            if (!errors.isEmpty()) {
                throw new InvalidOptionsException(errors);
            }
            return new RedisPubSubOptions(this, r);
        }

        private void checkTopology(Resolved r, List<Problem> errors) {
            if (r.topology == Topology.SENTINEL) {
                if (r.master == null) {
                    errors.add(new Problem("sentinelMaster", "must be set for Sentinel", "null",
                            "add ?sentinels=NAME to the url or call sentinelMaster(NAME) with the name of"
                                    + " 'sentinel monitor NAME ...'"));
                } else {
                    checkName("sentinelMaster", r.master, errors);
                }
            } else if (sentinelMaster != null) {
                errors.add(new Problem("sentinelMaster", "must only be set for Sentinel", quote(sentinelMaster),
                        "use a redis-sentinel:// {url} or {sentinels}"));
            }
            if (sentinelUsername != null) {
                if (sentinelUsername.isEmpty()) {
                    errors.add(new Problem("sentinelUsername", "must not be empty", "\"\"",
                            "leave it unset for the default user"));
                } else if (r.topology != Topology.SENTINEL) {
                    errors.add(new Problem("sentinelUsername", "must only be set for Sentinel",
                            quote(sentinelUsername), "use a redis-sentinel:// {url} or {sentinels}"));
                }
            }
            if (sentinelPassword != null) {
                if (sentinelPassword.isEmpty()) {
                    errors.add(new Problem("sentinelPassword", "must not be empty", "\"\"",
                            "leave it unset for no password"));
                } else if (r.topology != Topology.SENTINEL) {
                    errors.add(new Problem("sentinelPassword", "must only be set for Sentinel", MASK,
                            "use a redis-sentinel:// {url} or {sentinels}"));
                }
            }
            if (r.topology == Topology.CLUSTER && r.db > 0) {
                errors.add(new Problem("db", "must be 0 for a cluster", Integer.toString(r.db),
                        "Redis Cluster has only database 0"));
            }
            if (Boolean.TRUE.equals(r.sharded) && r.topology != Topology.CLUSTER) {
                errors.add(new Problem("shardedPubSub", "must only be true for a cluster", "true",
                        "use a redis-cluster:// {url} or {clusterNodes}"));
            }
        }
    }

    /** The connection options as resolved from the url or the separate options. */
    private static final class Resolved {
        Topology topology = Topology.STANDALONE;
        List<String> hosts = List.of();
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String username;
        String password;
        int db;
        boolean tls;
        String master;
        Boolean sharded;
    }

    private static <T> T requireCallback(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    private static String checkHost(String host, List<Problem> errors) {
        if (host == null) {
            errors.add(new Problem("host", "must not be null", null, null));
            return DEFAULT_HOST;
        }
        String h = host;
        if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            errors.add(new Problem("host", "must not be empty", quote(host), null));
        } else if (hasWhitespaceOrControl(h)) {
            errors.add(new Problem("host", "must not contain whitespace or control characters", quote(host), null));
        } else if (!isHostName(h) && !isIpv6(h)) {
            errors.add(new Problem("host", "must be a host name or an IP address", quote(host),
                    h.contains("://") ? "set a Redis URL with {url}" : "set the port with {port}"));
        }
        return h;
    }

    private static void checkNamespace(String namespace, List<Problem> errors) {
        if (namespace == null) {
            errors.add(new Problem("namespace", "must not be null", null, null));
        } else if (namespace.isEmpty()) {
            errors.add(new Problem("namespace", "must not be empty", "\"\"", null));
        } else if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            errors.add(new Problem("namespace", "must be at most " + MAX_NAMESPACE_LENGTH + " characters",
                    quote(namespace), null));
        } else if (hasWhitespaceOrControl(namespace)) {
            errors.add(new Problem("namespace", "must not contain whitespace or control characters",
                    quote(namespace), null));
        } else if (hasGlob(namespace)) {
            errors.add(new Problem("namespace", "must not contain the glob characters * ? [ ]", quote(namespace),
                    null));
        } else if (namespace.charAt(namespace.length() - 1) == ':') {
            errors.add(new Problem("namespace", "must not end with ':'", quote(namespace),
                    "the ':' separator is added automatically"));
        }
    }

    private static void checkClientName(String clientName, List<Problem> errors) {
        if (clientName == null) {
            errors.add(new Problem("clientName", "must not be null", null, null));
        } else if (clientName.isEmpty()) {
            errors.add(new Problem("clientName", "must not be empty", "\"\"", null));
        } else if (clientName.length() > MAX_CLIENT_NAME_LENGTH) {
            errors.add(new Problem("clientName", "must be at most " + MAX_CLIENT_NAME_LENGTH + " characters",
                    quote(clientName), null));
        } else if (hasWhitespaceOrControl(clientName)) {
            errors.add(new Problem("clientName", "must not contain whitespace or control characters",
                    quote(clientName), null));
        }
    }

    private static boolean checkDuration(String name, Duration value, long minMillis, List<Problem> errors) {
        if (value == null) {
            errors.add(new Problem(name, "must not be null", null, null));
            return false;
        }
        if (value.compareTo(Duration.ofMillis(minMillis)) < 0) {
            errors.add(new Problem(name, "must be at least " + minMillis + " ms", formatDuration(value), null));
            return false;
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            errors.add(new Problem(name, "must be at most 24 h", formatDuration(value), null));
            return false;
        }
        return true;
    }

    private static boolean hasWhitespaceOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']') {
                return true;
            }
        }
        return false;
    }

    private static String formatHostPort(String host, int port) {
        if (host.indexOf(':') >= 0) {
            return "[" + host + "]:" + port;
        }
        return host + ":" + port;
    }

    private static String formatDuration(Duration d) {
        if (d == null) {
            return "null";
        }
        if (d.getNano() % 1_000_000 == 0) {
            try {
                return d.toMillis() + " ms";
            } catch (ArithmeticException e) {
                // too long for milliseconds: fall through to the ISO form
            }
        }
        return d.toString();
    }

    /** Quote a value for a message: mask its secrets, escape control characters and shorten long values. */
    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String s = Masking.mask(value);
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_ECHO_LENGTH) + 24).append('"');
        appendEscaped(sb, s.length() > MAX_ECHO_LENGTH ? s.substring(0, MAX_ECHO_LENGTH) : s);
        sb.append('"');
        if (s.length() > MAX_ECHO_LENGTH) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }

    /** Show a URL in a message: its secrets masked (see {@link Masking}), control characters escaped. */
    private static String maskUrl(String url) {
        String masked = Masking.mask(url);
        StringBuilder sb = new StringBuilder(masked.length() + 8);
        appendEscaped(sb, masked);
        return sb.toString();
    }

    /** The parts of a URL; {@code db} is -1 when the URL names no database. */
    private static final class ParsedUrl {
        String scheme;
        Topology topology = Topology.STANDALONE;
        boolean tls;
        String host;
        int port = DEFAULT_PORT;
        List<String> hosts = List.of();
        String username;
        String password;
        int db = -1;
        String master;
        Boolean sharded;
    }

    /** One host and port, {@code host} without brackets. */
    private record HostPort(String host, int port) {
        String format() {
            return formatHostPort(host, port);
        }
    }

    private static ParsedUrl parseUrl(String url, List<Problem> errors) {
        String masked = maskUrl(url);
        if (url.isEmpty()) {
            errors.add(new Problem("url", "must not be empty", "\"\"", "leave it unset to use host and port"));
            return null;
        }
        int sep = url.indexOf("://");
        if (sep <= 0) {
            errors.add(new Problem("url", "must start with redis:// or rediss://", masked, null));
            return null;
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        ParsedUrl parsed = new ParsedUrl();
        parsed.scheme = scheme;
        switch (scheme) {
            case "redis":
            case "rediss":
                break;
            case "redis-sentinel":
            case "rediss-sentinel":
                parsed.topology = Topology.SENTINEL;
                break;
            case "redis-cluster":
            case "rediss-cluster":
                parsed.topology = Topology.CLUSTER;
                break;
            default:
                StringBuilder sb = new StringBuilder();
                appendEscaped(sb, scheme);
                errors.add(new Problem("url", "scheme " + literal(sb.toString()) + " is not supported", masked,
                        "use redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// or"
                                + " rediss-cluster://"));
                return null;
        }
        if (hasWhitespaceOrControl(url)) {
            errors.add(new Problem("url", "must not contain whitespace or control characters", masked,
                    "percent-encode them in the password"));
            return null;
        }
        parsed.tls = scheme.startsWith("rediss");

        String rest = url.substring(sep + 3);
        int authorityEnd = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        String authority = rest.substring(0, authorityEnd);
        String path = rest.substring(authorityEnd);
        String query = null;
        if (path.indexOf('#') >= 0) {
            errors.add(new Problem("url", "must not have a fragment", masked, null));
            return null;
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
            if (parsed.topology == Topology.STANDALONE) {
                errors.add(new Problem("url", "must not have a query string", masked,
                        "set options with the builder"));
                return null;
            }
        }

        String hostList = authority;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            hostList = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                errors.add(new Problem("url", "user info must have the form [user]:password", masked,
                        "write " + scheme + "://:password@host for a password alone"));
                return null;
            }
            String user = percentDecode(userInfo.substring(0, colon));
            String pass = percentDecode(userInfo.substring(colon + 1));
            if (user == null || pass == null) {
                errors.add(new Problem("url", "user info must be validly percent-encoded UTF-8", masked, null));
                return null;
            }
            parsed.username = user.isEmpty() ? null : user;
            parsed.password = pass.isEmpty() ? null : pass;
        }

        if (parsed.topology == Topology.STANDALONE) {
            if (hostList.indexOf(',') >= 0) {
                errors.add(new Problem("url", "must name a single host", masked,
                        "use redis-sentinel:// or redis-cluster:// for several hosts"));
                return null;
            }
            HostPort hp = parseHostPort(hostList, DEFAULT_PORT, "url", "", masked,
                    scheme + "://[::1]:" + DEFAULT_PORT, errors);
            if (hp == null) {
                return null;
            }
            parsed.host = hp.host();
            parsed.port = hp.port();
        } else {
            int defaultPort = parsed.topology == Topology.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
            List<String> hosts = new ArrayList<>();
            for (String entry : hostList.split(",", -1)) {
                HostPort hp = parseHostPort(entry, defaultPort, "url", "", masked,
                        scheme + "://[::1]:" + defaultPort, errors);
                if (hp == null) {
                    return null;
                }
                if (hosts.isEmpty()) {
                    parsed.host = hp.host();
                    parsed.port = hp.port();
                }
                String formatted = hp.format();
                if (!hosts.contains(formatted)) {
                    hosts.add(formatted);
                }
            }
            parsed.hosts = List.copyOf(hosts);
        }

        if (path.length() > 1) {
            int d = parseDigits(path.substring(1), 9);
            if (d < 0) {
                errors.add(new Problem("url", "database must be a number of at least 0", masked, null));
                return null;
            }
            if (parsed.topology == Topology.CLUSTER && d != 0) {
                errors.add(new Problem("url", "database must be 0 for a cluster", masked,
                        "Redis Cluster has only database 0"));
                return null;
            }
            parsed.db = d;
        }
        if (query != null && !parseQuery(parsed, query, masked, errors)) {
            return null;
        }
        return parsed;
    }

    /** Read the parameters of a Sentinel or Cluster URL; false after adding an error. */
    private static boolean parseQuery(ParsedUrl parsed, String query, String masked, List<Problem> errors) {
        String accepted = parsed.topology == Topology.SENTINEL ? "sentinels=NAME or master=NAME" : "sharded=true";
        if (query.isEmpty()) {
            errors.add(new Problem("url", "must not have an empty query string", masked, "use " + accepted));
            return false;
        }
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                // not echoed: a parameter without '=' may be a secret put in the wrong place
                errors.add(new Problem("url", "parameters must have the form name=value", masked,
                        "use " + accepted));
                return false;
            }
            String name = param.substring(0, eq);
            String value = percentDecode(param.substring(eq + 1));
            boolean known = parsed.topology == Topology.SENTINEL
                    ? name.equals("sentinels") || name.equals("master")
                    : name.equals("sharded");
            if (!known) {
                StringBuilder sb = new StringBuilder();
                appendEscaped(sb, name);
                errors.add(new Problem("url", "parameter \"" + literal(sb.toString()) + "\" is not supported", masked,
                        "use " + accepted));
                return false;
            }
            if (value == null || value.isEmpty()) {
                errors.add(new Problem("url", "parameter " + name + " must have a value", masked,
                        "use " + accepted));
                return false;
            }
            if (parsed.topology == Topology.SENTINEL) {
                if (parsed.master != null && !parsed.master.equals(value)) {
                    errors.add(new Problem("url", "must name one Sentinel master", masked,
                            "give sentinels=NAME or master=NAME once"));
                    return false;
                }
                parsed.master = value;
            } else {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    errors.add(new Problem("url", "parameter sharded must be true or false", masked, null));
                    return false;
                }
                parsed.sharded = lower.equals("true");
            }
        }
        return true;
    }

    /**
     * Parse {@code host[:port]} (an IPv6 address in brackets); {@code option}, {@code part} (such as
     * {@code "entry"}, or empty) and {@code shown} name the option, the part of it and the value in messages.
     * Returns null after adding an error.
     */
    private static HostPort parseHostPort(String hostPort, int defaultPort, String option, String part,
            String shown, String ipv6Example, List<Problem> errors) {
        String subject = part.isEmpty() ? "" : part + " ";
        String hostText;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                errors.add(new Problem(option, subject + "host must close the IPv6 address with ']'", shown, null));
                return null;
            }
            hostText = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    errors.add(new Problem(option, subject + "host must be followed by :port", shown, null));
                    return null;
                }
                portText = after.substring(1);
            }
            if (!isIpv6(hostText)) {
                errors.add(new Problem(option, subject + "host must be an IPv6 address inside brackets", shown,
                        null));
                return null;
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                errors.add(new Problem(option, subject + "host must be in brackets when it is an IPv6 address",
                        shown, "write " + literal(ipv6Example)));
                return null;
            }
            hostText = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
            if (!hostText.isEmpty() && !isHostName(hostText)) {
                errors.add(new Problem(option, subject + "host must contain only letters, digits, '-', '.' and '_'",
                        shown, null));
                return null;
            }
        }
        if (hostText.isEmpty()) {
            errors.add(new Problem(option, subject + "must name a host", shown, null));
            return null;
        }
        int p = defaultPort;
        if (portText != null) {
            p = parseDigits(portText, 5);
            if (p < 1 || p > 65535) {
                errors.add(new Problem(option, subject + "port must be between 1 and 65535", shown, null));
                return null;
            }
        }
        return new HostPort(hostText, p);
    }

    /** Check the entries of {@code sentinels} or {@code clusterNodes}; the first one becomes host and port. */
    private static List<String> checkHostList(String name, List<String> entries, int defaultPort,
            List<Problem> errors, Resolved r) {
        if (entries.isEmpty()) {
            errors.add(new Problem(name, "must name at least one host", "[]", null));
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        if (hasCredentials(entries)) {
            // one problem for the whole list, masked as one value: the other entries may be pieces of a password
            errors.add(new Problem(name, "entry must be host[:port]", quoteList(entries),
                    "give one entry per host, without scheme or credentials"));
            return List.of();
        }
        for (String entry : entries) {
            if (entry == null) {
                errors.add(new Problem(name, "must not contain null", quoteList(entries), null));
                continue;
            }
            if (hasWhitespaceOrControl(entry)) {
                errors.add(new Problem(name, "entry must not contain whitespace or control characters",
                        quote(entry), null));
                continue;
            }
            if (entry.contains("://") || entry.indexOf('@') >= 0 || entry.indexOf(',') >= 0
                    || entry.indexOf('/') >= 0) {
                errors.add(new Problem(name, "entry must be host[:port]", quote(entry),
                        "give one entry per host, without scheme or credentials"));
                continue;
            }
            HostPort hp = parseHostPort(entry, defaultPort, name, "entry", quote(entry), "[::1]:" + defaultPort,
                    errors);
            if (hp == null) {
                continue;
            }
            if (hosts.isEmpty()) {
                r.host = hp.host();
                r.port = hp.port();
            }
            String formatted = hp.format();
            if (!hosts.contains(formatted)) {
                hosts.add(formatted);
            }
        }
        return List.copyOf(hosts);
    }

    private static boolean hasCredentials(List<String> entries) {
        for (String entry : entries) {
            if (entry != null && (entry.indexOf('@') >= 0 || entry.indexOf('?') >= 0)) {
                return true;
            }
        }
        return false;
    }

    private static String joined(List<String> entries) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(entries.get(i));
        }
        return sb.toString();
    }

    private static void checkName(String name, String value, List<Problem> errors) {
        if (value.isEmpty()) {
            errors.add(new Problem(name, "must not be empty", "\"\"", null));
        } else if (hasWhitespaceOrControl(value)) {
            errors.add(new Problem(name, "must not contain whitespace or control characters", quote(value), null));
        }
    }

    /** Escape text for the rule or hint of a {@link Problem}, where braces name options. */
    private static String literal(String text) {
        return text.replace("{", "{{");
    }

    /**
     * Show a list in a message. When an entry may hold credentials (an '@' or a '?'), the list is shown joined with
     * commas and masked as one value: a configuration value holding a URL whose password has a comma is split into
     * entries, and masking each piece alone would show part of the password.
     */
    private static String quoteList(List<String> values) {
        if (hasCredentials(values)) {
            return quote(joined(values));
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(quote(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** Parse at most {@code maxDigits} ASCII digits; -1 if empty, too long or not digits. */
    private static int parseDigits(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isHostName(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Decode %XX sequences as UTF-8 ('+' stays '+'); null if malformed. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) ((hi << 4) | lo));
                i += 2;
            } else {
                int end = s.indexOf('%', i);
                end = end < 0 ? s.length() : end;
                bytes.put(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
