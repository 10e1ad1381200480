package dev.wskit.redis.internal.cdi;

/**
 * The MicroProfile Config keys, one per option of {@link dev.wskit.redis.RedisPubSubOptions} that has a value.
 *
 * @since 0.1
 */
public enum ConfigKey {

    /** {@code wskit.redis.url}, the option {@code url}. */
    URL("url", "url"),
    /** {@code wskit.redis.host}, the option {@code host}. */
    HOST("host", "host"),
    /** {@code wskit.redis.port}, the option {@code port}. */
    PORT("port", "port"),
    /** {@code wskit.redis.username}, the option {@code username}. */
    USERNAME("username", "username"),
    /** {@code wskit.redis.password}, the option {@code password}. */
    PASSWORD("password", "password"),
    /** {@code wskit.redis.db}, the option {@code db}. */
    DB("db", "db"),
    /** {@code wskit.redis.tls}, the option {@code tls}. */
    TLS("tls", "tls"),
    /** {@code wskit.redis.sentinel.nodes}, the option {@code sentinels}. */
    SENTINEL_NODES("sentinel.nodes", "sentinels"),
    /** {@code wskit.redis.sentinel.master}, the option {@code sentinelMaster}. */
    SENTINEL_MASTER("sentinel.master", "sentinelMaster"),
    /** {@code wskit.redis.sentinel.username}, the option {@code sentinelUsername}. */
    SENTINEL_USERNAME("sentinel.username", "sentinelUsername"),
    /** {@code wskit.redis.sentinel.password}, the option {@code sentinelPassword}. */
    SENTINEL_PASSWORD("sentinel.password", "sentinelPassword"),
    /** {@code wskit.redis.cluster.nodes}, the option {@code clusterNodes}. */
    CLUSTER_NODES("cluster.nodes", "clusterNodes"),
    /** {@code wskit.redis.cluster.sharded-pubsub}, the option {@code shardedPubSub}. */
    CLUSTER_SHARDED_PUBSUB("cluster.sharded-pubsub", "shardedPubSub"),
    /** {@code wskit.redis.namespace}, the option {@code namespace}. */
    NAMESPACE("namespace", "namespace"),
    /** {@code wskit.redis.client-name}, the option {@code clientName}. */
    CLIENT_NAME("client-name", "clientName"),
    /** {@code wskit.redis.reconnect.initial-delay-ms}, the option {@code reconnectDelay}. */
    RECONNECT_INITIAL_DELAY("reconnect.initial-delay-ms", "reconnectDelay"),
    /** {@code wskit.redis.reconnect.max-delay-ms}, the option {@code maxReconnectDelay}. */
    RECONNECT_MAX_DELAY("reconnect.max-delay-ms", "maxReconnectDelay"),
    /** {@code wskit.redis.ping.interval-ms}, the option {@code pingInterval}. */
    PING_INTERVAL("ping.interval-ms", "pingInterval"),
    /** {@code wskit.redis.ping.timeout-ms}, the option {@code pingTimeout}. */
    PING_TIMEOUT("ping.timeout-ms", "pingTimeout"),
    /** {@code wskit.redis.connect-timeout-ms}, the option {@code connectTimeout}. */
    CONNECT_TIMEOUT("connect-timeout-ms", "connectTimeout"),
    /** {@code wskit.redis.command-timeout-ms}, the option {@code commandTimeout}. */
    COMMAND_TIMEOUT("command-timeout-ms", "commandTimeout"),
    /** {@code wskit.redis.publish.max-pending}, the option {@code maxPendingPublishes}. */
    PUBLISH_MAX_PENDING("publish.max-pending", "maxPendingPublishes"),
    /** {@code wskit.redis.publish.hold-while-connecting-ms}, the option {@code holdPublishesWhileConnecting}. */
    PUBLISH_HOLD_WHILE_CONNECTING("publish.hold-while-connecting-ms", "holdPublishesWhileConnecting"),
    /** {@code wskit.redis.publish.max-pending-bytes}, the option {@code maxPendingPublishBytes}. */
    PUBLISH_MAX_PENDING_BYTES("publish.max-pending-bytes", "maxPendingPublishBytes"),
    /** {@code wskit.redis.receive.max-message-bytes}, the option {@code maxReceivedMessageBytes}. */
    RECEIVE_MAX_MESSAGE_BYTES("receive.max-message-bytes", "maxReceivedMessageBytes"),
    /** {@code wskit.redis.history.size}, the option {@code historySize}. */
    HISTORY_SIZE("history.size", "historySize"),
    /** {@code wskit.redis.history.ttl-ms}, the option {@code historyTtl}. */
    HISTORY_TTL("history.ttl-ms", "historyTtl"),
    /** {@code wskit.redis.history.meta-ttl-ms}, the option {@code historyMetaTtl}. */
    HISTORY_META_TTL("history.meta-ttl-ms", "historyMetaTtl"),
    /** {@code wskit.redis.tls.trust-store}: with the key store, makes the option {@code sslContext}. */
    TLS_TRUST_STORE("tls.trust-store", "tlsTrustStore"),
    /** {@code wskit.redis.tls.trust-store-password}. */
    TLS_TRUST_STORE_PASSWORD("tls.trust-store-password", "tlsTrustStorePassword"),
    /** {@code wskit.redis.tls.trust-store-type}. */
    TLS_TRUST_STORE_TYPE("tls.trust-store-type", "tlsTrustStoreType"),
    /** {@code wskit.redis.tls.key-store}: with the trust store, makes the option {@code sslContext}. */
    TLS_KEY_STORE("tls.key-store", "tlsKeyStore"),
    /** {@code wskit.redis.tls.key-store-password}. */
    TLS_KEY_STORE_PASSWORD("tls.key-store-password", "tlsKeyStorePassword"),
    /** {@code wskit.redis.tls.key-store-type}. */
    TLS_KEY_STORE_TYPE("tls.key-store-type", "tlsKeyStoreType"),
    /** {@code wskit.redis.canary.interval-ms}, the option {@code canaryInterval}; 0 turns the canary off. */
    CANARY_INTERVAL("canary.interval-ms", "canaryInterval"),
    /** {@code wskit.redis.self-check}, the option {@code selfCheck}: {@code off}, {@code log} or {@code strict}. */
    SELF_CHECK("self-check", "selfCheck");

    /** The prefix of every key. */
    public static final String PREFIX = "wskit.redis.";

    private final String key;
    private final String option;

    ConfigKey(String leaf, String option) {
        this.key = PREFIX + leaf;
        this.option = option;
    }

    /**
     * Return the full key, such as {@code wskit.redis.port}.
     *
     * @return the key; never {@code null}
     */
    public String key() {
        return key;
    }

    /**
     * Return the name of the option of {@link dev.wskit.redis.RedisPubSubOptions.Builder} the key sets, as
     * {@link dev.wskit.redis.OptionProblem#option()} names it.
     *
     * @return the option name; never {@code null}
     */
    public String option() {
        return option;
    }

    /**
     * Return the key whose option has the given name.
     *
     * @param option the option name, as in {@link #option()}
     * @return the key; {@code null} if no key sets that option
     */
    public static ConfigKey ofOption(String option) {
        for (ConfigKey key : values()) {
            if (key.option.equals(option)) {
                return key;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
