package dev.wskit.redis.internal.cdi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.config.Config;

import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.config.ConfigLookup;
import dev.wskit.redis.internal.config.ConfigProblem;
import dev.wskit.redis.internal.config.ConfigValues;
import dev.wskit.redis.internal.config.MicroProfileConfig;

/**
 * Reads the core's keys ({@code wskit.redis.*}) from MicroProfile Config, once, into a {@link RedisPubSubConfig}.
 *
 * <p>It reads through {@link ConfigValues}, as the WebSocket layer does, and MicroProfile Config only through
 * {@link MicroProfileConfig}. Every value is read as a {@code String} and converted there, so that a value of the
 * wrong type is reported with its key like any other problem rather than as the implementation's conversion error.
 * An empty value counts as not set, as MicroProfile Config defines. Lists ({@code sentinel.nodes},
 * {@code cluster.nodes}) are comma-separated.
 */
public final class ConfigReader {

    private final ConfigValues values;

    private ConfigReader(ConfigLookup lookup) {
        this.values = new ConfigValues(lookup);
    }

    /**
     * Read the configuration from the MicroProfile Config of the thread's context class loader.
     *
     * @return the configuration; never {@code null}
     * @throws InvalidConfigException listing every problem, if any value is invalid
     * @throws IllegalStateException if no MicroProfile Config implementation is available
     */
    public static RedisPubSubConfig read() {
        return read(MicroProfileConfig.current());
    }

    /**
     * Read the configuration from a MicroProfile Config.
     *
     * @param config the config; must not be {@code null}
     * @return the configuration; never {@code null}
     * @throws InvalidConfigException listing every problem, if any value is invalid
     */
    public static RedisPubSubConfig read(Config config) {
        return read(MicroProfileConfig.Api.of(config));
    }

    /**
     * Read the configuration from a lookup.
     *
     * @param lookup where the values come from; must not be {@code null}
     * @return the configuration; never {@code null}
     * @throws InvalidConfigException listing every problem, if any value is invalid
     */
    public static RedisPubSubConfig read(ConfigLookup lookup) {
        return new ConfigReader(lookup).read0();
    }

    private RedisPubSubConfig read0() {
        String url = string(ConfigKey.URL);
        String host = string(ConfigKey.HOST);
        Integer port = integer(ConfigKey.PORT);
        String username = string(ConfigKey.USERNAME);
        String password = string(ConfigKey.PASSWORD);
        Integer db = integer(ConfigKey.DB);
        Boolean tls = bool(ConfigKey.TLS);
        List<String> sentinels = list(ConfigKey.SENTINEL_NODES);
        String sentinelMaster = string(ConfigKey.SENTINEL_MASTER);
        String sentinelUsername = string(ConfigKey.SENTINEL_USERNAME);
        String sentinelPassword = string(ConfigKey.SENTINEL_PASSWORD);
        List<String> clusterNodes = list(ConfigKey.CLUSTER_NODES);
        Boolean shardedPubSub = bool(ConfigKey.CLUSTER_SHARDED_PUBSUB);
        String namespace = string(ConfigKey.NAMESPACE);
        String clientName = string(ConfigKey.CLIENT_NAME);
        Duration reconnectDelay = millis(ConfigKey.RECONNECT_INITIAL_DELAY);
        Duration maxReconnectDelay = millis(ConfigKey.RECONNECT_MAX_DELAY);
        Duration pingInterval = millis(ConfigKey.PING_INTERVAL);
        Duration pingTimeout = millis(ConfigKey.PING_TIMEOUT);
        Duration connectTimeout = millis(ConfigKey.CONNECT_TIMEOUT);
        Duration commandTimeout = millis(ConfigKey.COMMAND_TIMEOUT);
        Integer maxPendingPublishes = integer(ConfigKey.PUBLISH_MAX_PENDING);
        Duration holdPublishesWhileConnecting = millis(ConfigKey.PUBLISH_HOLD_WHILE_CONNECTING);
        Long maxPendingPublishBytes = longValue(ConfigKey.PUBLISH_MAX_PENDING_BYTES);
        Long maxReceivedMessageBytes = longValue(ConfigKey.RECEIVE_MAX_MESSAGE_BYTES);
        Duration canaryInterval = millis(ConfigKey.CANARY_INTERVAL);
        RedisPubSubOptions.SelfCheck selfCheck = values.oneOf(ConfigKey.SELF_CHECK.key(),
                RedisPubSubOptions.SelfCheck.values(), c -> c.name().toLowerCase(Locale.ROOT),
                UnaryOperator.identity(), null);
        RedisPubSubConfig.Tls tlsStores = new RedisPubSubConfig.Tls(string(ConfigKey.TLS_TRUST_STORE),
                string(ConfigKey.TLS_TRUST_STORE_PASSWORD), string(ConfigKey.TLS_TRUST_STORE_TYPE),
                string(ConfigKey.TLS_KEY_STORE), string(ConfigKey.TLS_KEY_STORE_PASSWORD),
                string(ConfigKey.TLS_KEY_STORE_TYPE));
        if (tlsStores.equals(new RedisPubSubConfig.Tls(null, null, null, null, null, null))) {
            tlsStores = null;
        }
        RedisPubSubConfig.History history = new RedisPubSubConfig.History(integer(ConfigKey.HISTORY_SIZE),
                millis(ConfigKey.HISTORY_TTL), millis(ConfigKey.HISTORY_META_TTL));
        if (history.equals(new RedisPubSubConfig.History(null, null, null))) {
            history = null;
        }
        try {
            RedisPubSubConfig result = new RedisPubSubConfig(url, host, port, username, password, db, tls,
                    sentinels, sentinelMaster, sentinelUsername, sentinelPassword, clusterNodes, shardedPubSub,
                    namespace, clientName, reconnectDelay, maxReconnectDelay, pingInterval, pingTimeout,
                    connectTimeout, commandTimeout, maxPendingPublishes, holdPublishesWhileConnecting,
                    maxPendingPublishBytes, maxReceivedMessageBytes, tlsStores, history, canaryInterval, selfCheck);
            if (values.problems().isEmpty()) {
                return result;
            }
        } catch (InvalidConfigException e) {
            // the rules' problems after the type problems, in the order of the keys
            List<ConfigProblem> problems = new ArrayList<>(values.problems());
            problems.addAll(e.problems());
            throw new InvalidConfigException(problems);
        }
        throw new InvalidConfigException(values.problems());
    }

    private String string(ConfigKey key) {
        return values.string(key.key());
    }

    private List<String> list(ConfigKey key) {
        return values.list(key.key());
    }

    private Integer integer(ConfigKey key) {
        return values.integer(key.key());
    }

    private Long longValue(ConfigKey key) {
        return values.longValue(key.key());
    }

    private Duration millis(ConfigKey key) {
        return values.millis(key.key());
    }

    private Boolean bool(ConfigKey key) {
        return values.bool(key.key());
    }
}
