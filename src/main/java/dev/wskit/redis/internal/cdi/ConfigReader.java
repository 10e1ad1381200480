package dev.wskit.redis.internal.cdi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.wskit.redis.internal.support.Masking;

/**
 * Reads the library's keys from MicroProfile Config, once, into a {@link RedisPubSubConfig}.
 *
 * <p>The only class of the library that touches MicroProfile Config, and it uses nothing but the MicroProfile Config
 * API, so any implementation works. Every value is read as a {@code String} and converted here, so that a value of
 * the wrong type is reported with its key like any other problem rather than as the implementation's conversion
 * error. An empty value counts as not set, as MicroProfile Config defines. Lists ({@code sentinel.nodes},
 * {@code cluster.nodes}) are comma-separated.
 */
public final class ConfigReader {

    private static final Set<String> TRUE = Set.of("true", "yes", "y", "on", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "off", "0");

    private final Config config;
    private final List<String> problems = new ArrayList<>();

    private ConfigReader(Config config) {
        this.config = config;
    }

    /**
     * Read the configuration from the MicroProfile Config of the thread's context class loader.
     *
     * @return the configuration; never {@code null}
     * @throws InvalidConfigException listing every problem, if any value is invalid
     * @throws IllegalStateException if no MicroProfile Config implementation is available
     */
    public static RedisPubSubConfig read() {
        return read(ConfigProvider.getConfig());
    }

    /**
     * Read the configuration from a MicroProfile Config.
     *
     * @param config the config; must not be {@code null}
     * @return the configuration; never {@code null}
     * @throws InvalidConfigException listing every problem, if any value is invalid
     */
    public static RedisPubSubConfig read(Config config) {
        return new ConfigReader(config).read0();
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
        RedisPubSubConfig.Tls tlsStores = new RedisPubSubConfig.Tls(string(ConfigKey.TLS_TRUST_STORE),
                string(ConfigKey.TLS_TRUST_STORE_PASSWORD), string(ConfigKey.TLS_TRUST_STORE_TYPE),
                string(ConfigKey.TLS_KEY_STORE), string(ConfigKey.TLS_KEY_STORE_PASSWORD),
                string(ConfigKey.TLS_KEY_STORE_TYPE));
        if (tlsStores.equals(new RedisPubSubConfig.Tls(null, null, null, null, null, null))) {
            tlsStores = null;
        }
        try {
            RedisPubSubConfig result = new RedisPubSubConfig(url, host, port, username, password, db, tls,
                    sentinels, sentinelMaster, sentinelUsername, sentinelPassword, clusterNodes, shardedPubSub,
                    namespace, clientName, reconnectDelay, maxReconnectDelay, pingInterval, pingTimeout,
                    connectTimeout, commandTimeout, maxPendingPublishes, holdPublishesWhileConnecting,
                    maxPendingPublishBytes, maxReceivedMessageBytes, tlsStores);
            if (problems.isEmpty()) {
                return result;
            }
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        throw new InvalidConfigException(problems);
    }

    private String string(ConfigKey key) {
        return config.getOptionalValue(key.key(), String.class).orElse(null);
    }

    /** Split a comma-separated list, trimming each entry; empty entries stay, for the options to report. */
    private List<String> list(ConfigKey key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : raw.split(",", -1)) {
            entries.add(entry.trim());
        }
        return entries;
    }

    private Integer integer(ConfigKey key) {
        Long value = whole(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return value == null ? null : value.intValue();
    }

    private Long longValue(ConfigKey key) {
        return whole(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number between min and max; null if unset or invalid (then noted). */
    private Long whole(ConfigKey key, long min, long max) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim();
        if (!isInteger(text)) {
            problems.add(key.key() + " must be an integer, was " + Masking.quote(raw));
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // out of range, reported below
        }
        problems.add(key.key() + " must be between " + min + " and " + max + ", was " + Masking.quote(raw));
        return null;
    }

    private Duration millis(ConfigKey key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim();
        if (!isInteger(text)) {
            problems.add(key.key() + " must be a whole number of milliseconds, was " + Masking.quote(raw)
                    + "; write the number alone, without a unit");
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            problems.add(key.key() + " must be between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    + " milliseconds, was " + Masking.quote(raw));
            return null;
        }
    }

    private Boolean bool(ConfigKey key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(text)) {
            return Boolean.FALSE;
        }
        problems.add(key.key() + " must be true or false, was " + Masking.quote(raw));
        return null;
    }

    private static boolean isInteger(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
