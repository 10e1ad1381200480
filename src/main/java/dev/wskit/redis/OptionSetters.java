package dev.wskit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import redis.clients.jedis.UnifiedJedis;

/**
 * The setters of {@link RedisPubSubOptions.Builder}, documented as its own methods; in a file of their own because
 * each is a page of documentation around one assignment. They only record values in {@link OptionValues};
 * {@link RedisPubSubOptions.Builder#build()} checks them.
 */
abstract sealed class OptionSetters permits RedisPubSubOptions.Builder {

    /** The values set so far. */
    final OptionValues values;

    OptionSetters(OptionValues values) {
        this.values = values;
    }

    private RedisPubSubOptions.Builder self() {
        return (RedisPubSubOptions.Builder) this;
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
    public final RedisPubSubOptions.Builder url(String url) {
        values.url = url;
        return self();
    }

    /**
     * Set the Redis host: a host name, an IPv4 address or an IPv6 address (with or without brackets).
     * Must not be set together with a {@link #url(String) url}. Default: {@code localhost}.
     *
     * @param host the host; must not be {@code null} or empty
     * @return this builder
     */
    public final RedisPubSubOptions.Builder host(String host) {
        values.host = host;
        values.hostSet = true;
        return self();
    }

    /**
     * Set the Redis port, between 1 and 65535. Must not be set together with a {@link #url(String) url}.
     * Default: 6379.
     *
     * @param port the port
     * @return this builder
     */
    public final RedisPubSubOptions.Builder port(int port) {
        values.port = port;
        values.portSet = true;
        return self();
    }

    /**
     * Set the user name for {@code AUTH}. Only allowed with a {@link #url(String) url} that has no user
     * name. Default: none (the {@code default} user).
     *
     * @param username the user name; can be {@code null} for none; must not be empty
     * @return this builder
     */
    public final RedisPubSubOptions.Builder username(String username) {
        values.username = username;
        return self();
    }

    /**
     * Set the password for {@code AUTH}. Only allowed with a {@link #url(String) url} that has no password.
     * Never shown in messages or {@link RedisPubSubOptions#toString()}. Default: none.
     *
     * @param password the password; can be {@code null} for none; must not be empty
     * @return this builder
     */
    public final RedisPubSubOptions.Builder password(String password) {
        values.password = password;
        return self();
    }

    /**
     * Set the Redis database, at least 0. With a {@link #url(String) url} that names a database, it must be
     * the same. Default: 0.
     *
     * @param db the database
     * @return this builder
     */
    public final RedisPubSubOptions.Builder db(int db) {
        values.db = db;
        values.dbSet = true;
        return self();
    }

    /**
     * Turn TLS on or off. A {@code rediss://} URL turns it on, and then it must not be turned off.
     * Default: {@code false}.
     *
     * @param tls {@code true} for TLS
     * @return this builder
     */
    public final RedisPubSubOptions.Builder tls(boolean tls) {
        values.tls = tls;
        return self();
    }

    /**
     * Set the SSL context for TLS connections, for example to trust a private certificate authority. Ignored
     * when TLS is off. Default: none, the JVM's default SSL context is used.
     *
     * @param sslContext the SSL context; can be {@code null} for the default
     * @return this builder
     */
    public final RedisPubSubOptions.Builder sslContext(SSLContext sslContext) {
        values.sslContext = sslContext;
        return self();
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
    public final RedisPubSubOptions.Builder sentinels(List<String> sentinels) {
        values.sentinels = sentinels == null ? null : new ArrayList<>(sentinels);
        return self();
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
    public final RedisPubSubOptions.Builder sentinelMaster(String sentinelMaster) {
        values.sentinelMaster = sentinelMaster;
        return self();
    }

    /**
     * Set the user name for {@code AUTH} on the sentinels. Only with Sentinel. Default: none.
     *
     * @param sentinelUsername the user name; can be {@code null} for none; must not be empty
     * @return this builder
     * @since 0.1
     */
    public final RedisPubSubOptions.Builder sentinelUsername(String sentinelUsername) {
        values.sentinelUsername = sentinelUsername;
        return self();
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
    public final RedisPubSubOptions.Builder sentinelPassword(String sentinelPassword) {
        values.sentinelPassword = sentinelPassword;
        return self();
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
    public final RedisPubSubOptions.Builder clusterNodes(List<String> clusterNodes) {
        values.clusterNodes = clusterNodes == null ? null : new ArrayList<>(clusterNodes);
        return self();
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
    public final RedisPubSubOptions.Builder shardedPubSub(boolean shardedPubSub) {
        values.shardedPubSub = shardedPubSub;
        return self();
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
    public final RedisPubSubOptions.Builder client(UnifiedJedis client) {
        values.client = client;
        return self();
    }

    /**
     * Set the namespace that prefixes every channel on the wire: with namespace {@code myapp:prod}, channel
     * {@code chat} is {@code myapp:prod:chat} in Redis. 1 to 256 characters, without whitespace, control
     * characters or {@code * ? [ ]}, not ending with {@code :}. Default: {@code ws}.
     *
     * @param namespace the namespace; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder namespace(String namespace) {
        values.namespace = namespace;
        return self();
    }

    /**
     * Set the callback run each time both connections are up, the first time and after every reconnect. It
     * runs on the library's callback thread, in order with the other callbacks, and should return quickly (see
     * {@link RedisPubSubStats#droppedCallbacks()}). Default: does nothing.
     *
     * @param onConnect the callback; must not be {@code null}
     * @return this builder
     * @throws IllegalArgumentException if {@code onConnect} is {@code null}
     */
    public final RedisPubSubOptions.Builder onConnect(Runnable onConnect) {
        values.onConnect = requireCallback(onConnect, "onConnect");
        return self();
    }

    /**
     * Set the callback run each time a connection is lost. It runs like
     * {@link #onConnect(Runnable) onConnect}.
     * Default: does nothing.
     *
     * @param onDisconnect the callback; must not be {@code null}
     * @return this builder
     * @throws IllegalArgumentException if {@code onDisconnect} is {@code null}
     */
    public final RedisPubSubOptions.Builder onDisconnect(Runnable onDisconnect) {
        values.onDisconnect = requireCallback(onDisconnect, "onDisconnect");
        return self();
    }

    /**
     * Set the callback given every connection error. It runs like {@link #onConnect(Runnable) onConnect}.
     * Default: does nothing.
     *
     * @param onError the callback; must not be {@code null}
     * @return this builder
     * @throws IllegalArgumentException if {@code onError} is {@code null}
     */
    public final RedisPubSubOptions.Builder onError(Consumer<Throwable> onError) {
        values.onError = requireCallback(onError, "onError");
        return self();
    }

    /**
     * Set the delay before the first reconnect attempt, 1 ms to 24 h; it doubles with each failed attempt,
     * up to {@link #maxReconnectDelay(Duration) maxReconnectDelay}. Default: 100 ms.
     *
     * @param reconnectDelay the initial reconnect delay; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder reconnectDelay(Duration reconnectDelay) {
        values.reconnectDelay = reconnectDelay;
        return self();
    }

    /**
     * Set the longest delay between reconnect attempts, 1 ms to 24 h and at least
     * {@link #reconnectDelay(Duration) reconnectDelay}. Default: 30 s.
     *
     * @param maxReconnectDelay the maximum reconnect delay; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder maxReconnectDelay(Duration maxReconnectDelay) {
        values.maxReconnectDelay = maxReconnectDelay;
        return self();
    }

    /**
     * Set the interval between PINGs on the subscriber connection, 10 ms to 24 h. Default: 5 s.
     *
     * @param pingInterval the ping interval; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder pingInterval(Duration pingInterval) {
        values.pingInterval = pingInterval;
        return self();
    }

    /**
     * Set how long to wait for the answer to a PING before reconnecting the subscriber connection, 10 ms to
     * 24 h. Default: 3 s.
     *
     * @param pingTimeout the ping timeout; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder pingTimeout(Duration pingTimeout) {
        values.pingTimeout = pingTimeout;
        return self();
    }

    /**
     * Set the timeout for opening a connection, 10 ms to 24 h. Default: 2 s.
     *
     * @param connectTimeout the connect timeout; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder connectTimeout(Duration connectTimeout) {
        values.connectTimeout = connectTimeout;
        return self();
    }

    /**
     * Set the timeout for the answer to a command on the publisher connection, 10 ms to 24 h. Default: 5 s.
     *
     * @param commandTimeout the command timeout; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder commandTimeout(Duration commandTimeout) {
        values.commandTimeout = commandTimeout;
        return self();
    }

    /**
     * Set how many publishes may wait for Redis, at least 1; further publishes fail at once.
     * Default: 65536.
     *
     * @param maxPendingPublishes the maximum number of pending publishes
     * @return this builder
     */
    public final RedisPubSubOptions.Builder maxPendingPublishes(int maxPendingPublishes) {
        values.maxPendingPublishes = maxPendingPublishes;
        return self();
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
    public final RedisPubSubOptions.Builder maxPendingPublishBytes(long maxPendingPublishBytes) {
        values.maxPendingPublishBytes = maxPendingPublishBytes;
        return self();
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
    public final RedisPubSubOptions.Builder maxReceivedMessageBytes(long maxReceivedMessageBytes) {
        values.maxReceivedMessageBytes = maxReceivedMessageBytes;
        return self();
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
    public final RedisPubSubOptions.Builder holdPublishesWhileConnecting(Duration holdPublishesWhileConnecting) {
        values.holdPublishesWhileConnecting = holdPublishesWhileConnecting;
        return self();
    }

    /**
     * Set how many messages the history of a channel with history keeps in Redis
     * ({@link RedisPubSub#publishWithHistory}),
     * 1 to 1,000,000. The stream is trimmed by offset, so this many and at most 63 more are kept
     * (consecutive messages published together share a stream entry). A receiver
     * that was away longer than this many messages of a channel learns that the older ones were lost.
     * Default: 1000.
     *
     * @param historySize the number of messages
     * @return this builder
     * @since 0.2
     */
    public final RedisPubSubOptions.Builder historySize(int historySize) {
        values.historySize = historySize;
        return self();
    }

    /**
     * Set how long the history of a channel with history lives after its last message, 1 s to 24 h: then Redis
     * removes it, and a receiver that was away longer learns that the messages were lost. Default: 5 minutes.
     *
     * @param historyTtl the time to live; must not be {@code null}
     * @return this builder
     * @since 0.2
     */
    public final RedisPubSubOptions.Builder historyTtl(Duration historyTtl) {
        values.historyTtl = historyTtl;
        return self();
    }

    /**
     * Set how long the epoch and last offset of a channel with history live after its last publish or read, from
     * {@link #historyTtl(Duration)} to 365 days. While they live, the channel's offsets continue where they were
     * even after its messages expired (a returning receiver is told precisely what it lost); after, the channel
     * starts over with a new epoch. Each is a small hash per channel. Default: 1 day.
     *
     * @param historyMetaTtl the time to live; must not be {@code null}
     * @return this builder
     * @since 0.2
     */
    public final RedisPubSubOptions.Builder historyMetaTtl(Duration historyMetaTtl) {
        values.historyMetaTtl = historyMetaTtl;
        return self();
    }

    /**
     * Set the interval of the loopback canary: 0 (off), or 10 ms to 24 h. Default: 10 s.
     *
     * <p>Every interval the instance publishes a small canary (its sequence number) on a channel of its own,
     * {@code <namespace>:__wskit:canary:<random id>}, and its own subscriber must receive it back before the next
     * one is due: the interval is also each canary's deadline. This catches what the PING watchdog cannot, a
     * subscriber connection that answers PING but receives nothing (its subscription dropped behind its back). A
     * canary that is late is counted ({@link RedisPubSubStats#canaryFailures()}), makes the instance not ready
     * (the MicroProfile Health readiness check) until a canary comes back, and replaces the subscriber connection,
     * which then subscribes again: once per streak of late canaries, then every tenth, with one WARNING line.
     * {@link RedisPubSubStats#canaryRoundTrip()} is the round trip of the last one. No canary is sent while the
     * instance is not connected, and one lost with a connection is not counted. Canaries are left out of the
     * published, received and subscription counts of {@link RedisPubSub#stats()}, and out of every pattern
     * subscription's messages (channels starting with {@code <namespace>:__wskit:} are the library's own).
     * With sharded pub/sub the canary checks the connection of the master that owns its channel. An ACL user needs
     * no rights beyond those on the namespace's channels.
     *
     * @param canaryInterval the interval, {@link Duration#ZERO} to turn the canary off; must not be {@code null}
     * @return this builder
     * @since 0.2
     */
    public final RedisPubSubOptions.Builder canaryInterval(Duration canaryInterval) {
        values.canaryInterval = canaryInterval;
        return self();
    }

    /**
     * Set what the start-up self-check does. Default: {@link RedisPubSubOptions.SelfCheck#LOG}.
     *
     * <p>Once, when a connection first reaches Redis, a thread of the library opens one more short-lived connection
     * and checks what would otherwise only show in production: the Redis version and mode ({@code INFO server});
     * on a cluster, that every hash slot has a master ({@code CLUSTER SLOTS}); with Sentinel, that every sentinel
     * knows the master and names the same address; that sharded pub/sub, if set, is
     * available (Redis 7+); on Redis 7+, with {@code ACL WHOAMI} and {@code ACL DRYRUN}, that the user may run
     * every command the library sends on the namespace's channels ({@code PING}, {@code CLIENT SETNAME},
     * {@code SUBSCRIBE}/{@code PSUBSCRIBE}/{@code PUBLISH}, or {@code SSUBSCRIBE}/{@code SPUBLISH} when sharded;
     * the rights channels with history need are reported as notes); and, where {@code CONFIG GET} is allowed, that
     * {@code client-output-buffer-limit} of the {@code pubsub} class is not low (a hard limit below 32 MiB or a soft
     * limit below 8 MiB, the Redis defaults). Callers never wait for it. One INFO line sums it up; each problem is
     * one WARNING line naming the setting and the fix; what cannot be checked (Redis before 7, {@code ACL DRYRUN}
     * or {@code CONFIG} not allowed) is one INFO line. The result is part of the readiness data and the MBean.
     *
     * <p>With {@link RedisPubSubOptions.SelfCheck#STRICT} a problem (or a check that could not run) fails the start:
     * the first {@link RedisPubSub#connected()} completes exceptionally with a {@link RedisPubSubException} naming
     * every problem, {@code onError} receives it, and the instance destroys itself. Wait on {@code connected()}
     * (with a timeout) to gate an application's start on it.
     *
     * @param selfCheck the mode; must not be {@code null}
     * @return this builder
     * @since 0.2
     */
    public final RedisPubSubOptions.Builder selfCheck(RedisPubSubOptions.SelfCheck selfCheck) {
        values.selfCheck = selfCheck;
        return self();
    }

    /**
     * Set the connection name set with {@code CLIENT SETNAME}: 1 to 128 characters, without whitespace or
     * control characters. Default: {@code wskit-redis-pubsub}.
     *
     * @param clientName the client name; must not be {@code null}
     * @return this builder
     */
    public final RedisPubSubOptions.Builder clientName(String clientName) {
        values.clientName = clientName;
        return self();
    }

    /**
     * Set the factory of the subscriber and publisher threads, for example one of the application server.
     * Default: none, the library creates daemon threads.
     *
     * @param threadFactory the thread factory; can be {@code null} for the default
     * @return this builder
     */
    public final RedisPubSubOptions.Builder threadFactory(ThreadFactory threadFactory) {
        values.threadFactory = threadFactory;
        return self();
    }

    /**
     * Set the serializer of published messages, replacing the default table of {@link MessageSerializer}.
     *
     * @param serializeMessage the serializer; must not be {@code null}
     * @return this builder
     * @throws IllegalArgumentException if {@code serializeMessage} is {@code null}
     */
    public final RedisPubSubOptions.Builder serializeMessage(MessageSerializer serializeMessage) {
        values.serializeMessage = requireCallback(serializeMessage, "serializeMessage");
        return self();
    }

    /**
     * Set the deserializer of received messages, replacing the default rules of {@link MessageDeserializer}.
     *
     * @param deserializeMessage the deserializer; must not be {@code null}
     * @return this builder
     * @throws IllegalArgumentException if {@code deserializeMessage} is {@code null}
     */
    public final RedisPubSubOptions.Builder deserializeMessage(MessageDeserializer deserializeMessage) {
        values.deserializeMessage = requireCallback(deserializeMessage, "deserializeMessage");
        return self();
    }

    private static <T> T requireCallback(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
