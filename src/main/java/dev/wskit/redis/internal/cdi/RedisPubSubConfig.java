package dev.wskit.redis.internal.cdi;

import dev.wskit.redis.OptionProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.wskit.redis.InvalidOptionsException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.config.ConfigProblem;

/**
 * The library's configuration as read once from MicroProfile Config by {@link ConfigReader}; immutable and valid.
 *
 * <p>A {@code null} component means the key is not set, so the option keeps the default of
 * {@link RedisPubSubOptions}. The compact constructor checks every rule by building the options: the rules live in
 * one place, {@link RedisPubSubOptions.Builder#build()}, and each of its {@linkplain OptionProblem
 * problems} is reported with the options named by their keys ({@code port must be between 1 and 65535, was 70000}
 * becomes {@code wskit.redis.port must be ...}); it throws an {@link InvalidConfigException} that lists every
 * problem.
 *
 * @param url {@code wskit.redis.url}; can be {@code null}
 * @param host {@code wskit.redis.host}; can be {@code null}
 * @param port {@code wskit.redis.port}; can be {@code null}
 * @param username {@code wskit.redis.username}; can be {@code null}
 * @param password {@code wskit.redis.password}; can be {@code null}; never shown by {@link #toString()}
 * @param db {@code wskit.redis.db}; can be {@code null}
 * @param tls {@code wskit.redis.tls}; can be {@code null}
 * @param sentinels {@code wskit.redis.sentinel.nodes}; can be {@code null}
 * @param sentinelMaster {@code wskit.redis.sentinel.master}; can be {@code null}
 * @param sentinelUsername {@code wskit.redis.sentinel.username}; can be {@code null}
 * @param sentinelPassword {@code wskit.redis.sentinel.password}; can be {@code null}; never shown by
 *        {@link #toString()}
 * @param clusterNodes {@code wskit.redis.cluster.nodes}; can be {@code null}
 * @param shardedPubSub {@code wskit.redis.cluster.sharded-pubsub}; can be {@code null}
 * @param namespace {@code wskit.redis.namespace}; can be {@code null}
 * @param clientName {@code wskit.redis.client-name}; can be {@code null}
 * @param reconnectDelay {@code wskit.redis.reconnect.initial-delay-ms}; can be {@code null}
 * @param maxReconnectDelay {@code wskit.redis.reconnect.max-delay-ms}; can be {@code null}
 * @param pingInterval {@code wskit.redis.ping.interval-ms}; can be {@code null}
 * @param pingTimeout {@code wskit.redis.ping.timeout-ms}; can be {@code null}
 * @param connectTimeout {@code wskit.redis.connect-timeout-ms}; can be {@code null}
 * @param commandTimeout {@code wskit.redis.command-timeout-ms}; can be {@code null}
 * @param maxPendingPublishes {@code wskit.redis.publish.max-pending}; can be {@code null}
 * @param holdPublishesWhileConnecting {@code wskit.redis.publish.hold-while-connecting-ms}; can be {@code null}
 * @param maxPendingPublishBytes {@code wskit.redis.publish.max-pending-bytes}; can be {@code null}
 * @param maxReceivedMessageBytes {@code wskit.redis.receive.max-message-bytes}; can be {@code null}
 * @param tlsStores the {@code wskit.redis.tls.*} store keys; can be {@code null}
 * @param history the {@code wskit.redis.history.*} keys; can be {@code null}
 * @param canaryInterval {@code wskit.redis.canary.interval-ms}; can be {@code null}
 * @param selfCheck {@code wskit.redis.self-check}; can be {@code null}
 * @since 0.1
 */
public record RedisPubSubConfig(
        String url,
        String host,
        Integer port,
        String username,
        String password,
        Integer db,
        Boolean tls,
        List<String> sentinels,
        String sentinelMaster,
        String sentinelUsername,
        String sentinelPassword,
        List<String> clusterNodes,
        Boolean shardedPubSub,
        String namespace,
        String clientName,
        Duration reconnectDelay,
        Duration maxReconnectDelay,
        Duration pingInterval,
        Duration pingTimeout,
        Duration connectTimeout,
        Duration commandTimeout,
        Integer maxPendingPublishes,
        Duration holdPublishesWhileConnecting,
        Long maxPendingPublishBytes,
        Long maxReceivedMessageBytes,
        Tls tlsStores,
        History history,
        Duration canaryInterval,
        RedisPubSubOptions.SelfCheck selfCheck) {

    /**
     * The keys of the history of channels with history.
     *
     * @param size {@code wskit.redis.history.size}, the option {@code historySize}; can be {@code null}
     * @param ttl {@code wskit.redis.history.ttl-ms}, the option {@code historyTtl}; can be {@code null}
     * @param metaTtl {@code wskit.redis.history.meta-ttl-ms}, the option {@code historyMetaTtl}; can be
     *        {@code null}
     */
    public record History(Integer size, Duration ttl, Duration metaTtl) {
    }

    /**
     * The keys of the trust store and key store that make the option {@code sslContext}.
     *
     * @param trustStore {@code wskit.redis.tls.trust-store}, a file path; can be {@code null}
     * @param trustStorePassword {@code wskit.redis.tls.trust-store-password}; can be {@code null}
     * @param trustStoreType {@code wskit.redis.tls.trust-store-type}, default PKCS12; can be {@code null}
     * @param keyStore {@code wskit.redis.tls.key-store}, a file path; can be {@code null}
     * @param keyStorePassword {@code wskit.redis.tls.key-store-password}; can be {@code null}
     * @param keyStoreType {@code wskit.redis.tls.key-store-type}, default PKCS12; can be {@code null}
     */
    public record Tls(String trustStore, String trustStorePassword, String trustStoreType, String keyStore,
            String keyStorePassword, String keyStoreType) {

        /** Shows the paths and types, never the passwords. */
        @Override
        public String toString() {
            return "Tls[trustStore=" + trustStore + ", trustStoreType=" + trustStoreType + ", keyStore=" + keyStore
                    + ", keyStoreType=" + keyStoreType + "]";
        }
    }

    /**
     * Check every rule; the components are those of the record.
     *
     * @param url see the record; can be {@code null}
     * @param host see the record; can be {@code null}
     * @param port see the record; can be {@code null}
     * @param username see the record; can be {@code null}
     * @param password see the record; can be {@code null}
     * @param db see the record; can be {@code null}
     * @param tls see the record; can be {@code null}
     * @param sentinels see the record; can be {@code null}
     * @param sentinelMaster see the record; can be {@code null}
     * @param sentinelUsername see the record; can be {@code null}
     * @param sentinelPassword see the record; can be {@code null}
     * @param clusterNodes see the record; can be {@code null}
     * @param shardedPubSub see the record; can be {@code null}
     * @param namespace see the record; can be {@code null}
     * @param clientName see the record; can be {@code null}
     * @param reconnectDelay see the record; can be {@code null}
     * @param maxReconnectDelay see the record; can be {@code null}
     * @param pingInterval see the record; can be {@code null}
     * @param pingTimeout see the record; can be {@code null}
     * @param connectTimeout see the record; can be {@code null}
     * @param commandTimeout see the record; can be {@code null}
     * @param maxPendingPublishes see the record; can be {@code null}
     * @param holdPublishesWhileConnecting see the record; can be {@code null}
     * @param maxPendingPublishBytes see the record; can be {@code null}
     * @param maxReceivedMessageBytes see the record; can be {@code null}
     * @param tlsStores see the record; can be {@code null}
     * @param history see the record; can be {@code null}
     * @param canaryInterval see the record; can be {@code null}
     * @param selfCheck see the record; can be {@code null}
     * @throws InvalidConfigException listing every problem, if any rule is broken
     */
    public RedisPubSubConfig {
        sentinels = sentinels == null ? null : List.copyOf(sentinels);
        clusterNodes = clusterNodes == null ? null : List.copyOf(clusterNodes);
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder();
        Map<ConfigKey, Object> values = values(url, host, port, username, password, db, tls, sentinels,
                sentinelMaster, sentinelUsername, sentinelPassword, clusterNodes, shardedPubSub, namespace, clientName,
                reconnectDelay, maxReconnectDelay, pingInterval, pingTimeout, connectTimeout, commandTimeout,
                maxPendingPublishes, holdPublishesWhileConnecting, maxPendingPublishBytes, maxReceivedMessageBytes,
                tlsStores, history);
        put(values, ConfigKey.CANARY_INTERVAL, canaryInterval);
        put(values, ConfigKey.SELF_CHECK, selfCheck);
        values.forEach((key, value) -> set(builder, key, value));
        List<ConfigProblem> problems = new ArrayList<>();
        SSLContext context = TlsStores.load(values, problems);
        if (context != null) {
            builder.sslContext(context);
        }
        try {
            RedisPubSubOptions built = builder.build();
            if (TlsStores.configured(values) && !built.tls()) {
                problems.add(new ConfigProblem((values.containsKey(ConfigKey.TLS_TRUST_STORE)
                        ? ConfigKey.TLS_TRUST_STORE : ConfigKey.TLS_KEY_STORE).key(), "is set but TLS is off", null,
                        null, "set " + ConfigKey.TLS.key() + "=true or use a rediss:// url"));
            }
        } catch (InvalidOptionsException e) {
            problems.addAll(toKeys(e.problems()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /**
     * Return the configuration with no key set: every option at the default of {@link RedisPubSubOptions}.
     *
     * @return the configuration; never {@code null}
     */
    public static RedisPubSubConfig defaults() {
        return new RedisPubSubConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Create a builder of options with the configured values, the others at their defaults.
     *
     * @return a new builder; never {@code null}
     */
    public RedisPubSubOptions.Builder toBuilder() {
        RedisPubSubOptions.Builder builder = withoutTlsStores();
        // the stores were checked by the constructor; read again here, where the options are made
        SSLContext context = TlsStores.load(values(), new ArrayList<>());
        if (context != null) {
            builder.sslContext(context);
        }
        return builder;
    }

    /** A builder with the configured values, not reading the TLS stores. */
    private RedisPubSubOptions.Builder withoutTlsStores() {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder();
        values().forEach((key, value) -> set(builder, key, value));
        return builder;
    }

    /**
     * Return the configured values by key, without the keys that are not set.
     *
     * @return the values; never {@code null}
     */
    public Map<ConfigKey, Object> values() {
        Map<ConfigKey, Object> values = values(url, host, port, username, password, db, tls, sentinels,
                sentinelMaster, sentinelUsername, sentinelPassword, clusterNodes, shardedPubSub, namespace,
                clientName, reconnectDelay, maxReconnectDelay, pingInterval, pingTimeout, connectTimeout,
                commandTimeout, maxPendingPublishes, holdPublishesWhileConnecting, maxPendingPublishBytes,
                maxReceivedMessageBytes, tlsStores, history);
        put(values, ConfigKey.CANARY_INTERVAL, canaryInterval);
        put(values, ConfigKey.SELF_CHECK, selfCheck);
        return Collections.unmodifiableMap(values);
    }

    /**
     * Return the options this configuration stands for, with the passwords shown as {@code ***}.
     *
     * @return the configuration as text; never {@code null}
     */
    @Override
    public String toString() {
        // the core's toString() masks the passwords, including one inside the URL
        return "RedisPubSubConfig" + withoutTlsStores().build() + (tlsStores == null ? "" : tlsStores.toString());
    }

    private static Map<ConfigKey, Object> values(String url, String host, Integer port, String username,
            String password, Integer db, Boolean tls, List<String> sentinels, String sentinelMaster,
            String sentinelUsername, String sentinelPassword, List<String> clusterNodes, Boolean shardedPubSub,
            String namespace, String clientName, Duration reconnectDelay, Duration maxReconnectDelay,
            Duration pingInterval, Duration pingTimeout, Duration connectTimeout, Duration commandTimeout,
            Integer maxPendingPublishes, Duration holdPublishesWhileConnecting, Long maxPendingPublishBytes,
            Long maxReceivedMessageBytes, Tls tlsStores, History history) {
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        put(values, ConfigKey.URL, url);
        put(values, ConfigKey.HOST, host);
        put(values, ConfigKey.PORT, port);
        put(values, ConfigKey.USERNAME, username);
        put(values, ConfigKey.PASSWORD, password);
        put(values, ConfigKey.DB, db);
        put(values, ConfigKey.TLS, tls);
        put(values, ConfigKey.SENTINEL_NODES, sentinels);
        put(values, ConfigKey.SENTINEL_MASTER, sentinelMaster);
        put(values, ConfigKey.SENTINEL_USERNAME, sentinelUsername);
        put(values, ConfigKey.SENTINEL_PASSWORD, sentinelPassword);
        put(values, ConfigKey.CLUSTER_NODES, clusterNodes);
        put(values, ConfigKey.CLUSTER_SHARDED_PUBSUB, shardedPubSub);
        put(values, ConfigKey.NAMESPACE, namespace);
        put(values, ConfigKey.CLIENT_NAME, clientName);
        put(values, ConfigKey.RECONNECT_INITIAL_DELAY, reconnectDelay);
        put(values, ConfigKey.RECONNECT_MAX_DELAY, maxReconnectDelay);
        put(values, ConfigKey.PING_INTERVAL, pingInterval);
        put(values, ConfigKey.PING_TIMEOUT, pingTimeout);
        put(values, ConfigKey.CONNECT_TIMEOUT, connectTimeout);
        put(values, ConfigKey.COMMAND_TIMEOUT, commandTimeout);
        put(values, ConfigKey.PUBLISH_MAX_PENDING, maxPendingPublishes);
        put(values, ConfigKey.PUBLISH_HOLD_WHILE_CONNECTING, holdPublishesWhileConnecting);
        put(values, ConfigKey.PUBLISH_MAX_PENDING_BYTES, maxPendingPublishBytes);
        put(values, ConfigKey.RECEIVE_MAX_MESSAGE_BYTES, maxReceivedMessageBytes);
        if (history != null) {
            put(values, ConfigKey.HISTORY_SIZE, history.size());
            put(values, ConfigKey.HISTORY_TTL, history.ttl());
            put(values, ConfigKey.HISTORY_META_TTL, history.metaTtl());
        }
        if (tlsStores != null) {
            put(values, ConfigKey.TLS_TRUST_STORE, tlsStores.trustStore());
            put(values, ConfigKey.TLS_TRUST_STORE_PASSWORD, tlsStores.trustStorePassword());
            put(values, ConfigKey.TLS_TRUST_STORE_TYPE, tlsStores.trustStoreType());
            put(values, ConfigKey.TLS_KEY_STORE, tlsStores.keyStore());
            put(values, ConfigKey.TLS_KEY_STORE_PASSWORD, tlsStores.keyStorePassword());
            put(values, ConfigKey.TLS_KEY_STORE_TYPE, tlsStores.keyStoreType());
        }
        return values;
    }

    private static void put(Map<ConfigKey, Object> values, ConfigKey key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(RedisPubSubOptions.Builder builder, ConfigKey key, Object value) {
        switch (key) {
            case URL -> builder.url((String) value);
            case HOST -> builder.host((String) value);
            case PORT -> builder.port((Integer) value);
            case USERNAME -> builder.username((String) value);
            case PASSWORD -> builder.password((String) value);
            case DB -> builder.db((Integer) value);
            case TLS -> builder.tls((Boolean) value);
            case SENTINEL_NODES -> builder.sentinels((List<String>) value);
            case SENTINEL_MASTER -> builder.sentinelMaster((String) value);
            case SENTINEL_USERNAME -> builder.sentinelUsername((String) value);
            case SENTINEL_PASSWORD -> builder.sentinelPassword((String) value);
            case CLUSTER_NODES -> builder.clusterNodes((List<String>) value);
            case CLUSTER_SHARDED_PUBSUB -> builder.shardedPubSub((Boolean) value);
            case NAMESPACE -> builder.namespace((String) value);
            case CLIENT_NAME -> builder.clientName((String) value);
            case RECONNECT_INITIAL_DELAY -> builder.reconnectDelay((Duration) value);
            case RECONNECT_MAX_DELAY -> builder.maxReconnectDelay((Duration) value);
            case PING_INTERVAL -> builder.pingInterval((Duration) value);
            case PING_TIMEOUT -> builder.pingTimeout((Duration) value);
            case CONNECT_TIMEOUT -> builder.connectTimeout((Duration) value);
            case COMMAND_TIMEOUT -> builder.commandTimeout((Duration) value);
            case PUBLISH_MAX_PENDING -> builder.maxPendingPublishes((Integer) value);
            case PUBLISH_HOLD_WHILE_CONNECTING -> builder.holdPublishesWhileConnecting((Duration) value);
            case PUBLISH_MAX_PENDING_BYTES -> builder.maxPendingPublishBytes((Long) value);
            case RECEIVE_MAX_MESSAGE_BYTES -> builder.maxReceivedMessageBytes((Long) value);
            case HISTORY_SIZE -> builder.historySize((Integer) value);
            case HISTORY_TTL -> builder.historyTtl((Duration) value);
            case HISTORY_META_TTL -> builder.historyMetaTtl((Duration) value);
            case CANARY_INTERVAL -> builder.canaryInterval((Duration) value);
            case SELF_CHECK -> builder.selfCheck((RedisPubSubOptions.SelfCheck) value);
            case TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, TLS_TRUST_STORE_TYPE, TLS_KEY_STORE,
                    TLS_KEY_STORE_PASSWORD, TLS_KEY_STORE_TYPE -> {
                // together they make sslContext, see TlsStores
            }
            default -> throw new IllegalStateException("unknown key " + key);
        }
    }

    /**
     * Turn the problems of {@link RedisPubSubOptions.Builder#build()} into problems naming keys: the option that
     * breaks the rule and the options its rule and hint refer to are named by their keys ({@code maxReconnectDelay
     * must be at least reconnectDelay (100 ms), was 50 ms} becomes {@code wskit.redis.reconnect.max-delay-ms must be
     * at least wskit.redis.reconnect.initial-delay-ms (100 ms), was 50 ms}); an option without a key keeps its name.
     */
    static List<ConfigProblem> toKeys(List<OptionProblem> problems) {
        List<ConfigProblem> named = new ArrayList<>(problems.size());
        for (OptionProblem problem : problems) {
            named.add(ConfigProblem.ofOption(problem, RedisPubSubConfig::keyOf));
        }
        return named;
    }

    private static String keyOf(String option) {
        ConfigKey key = ConfigKey.ofOption(option);
        return key == null ? null : key.key();
    }
}
