package dev.wskit.redis.internal.cdi;

/**
 * The MicroProfile Config keys, one per option of {@link dev.wskit.redis.RedisPubSubOptions}.
 */
public enum ConfigKey {

    URL("url", "url"),
    HOST("host", "host"),
    PORT("port", "port"),
    USERNAME("username", "username"),
    PASSWORD("password", "password"),
    DB("db", "db"),
    TLS("tls", "tls"),
    NAMESPACE("namespace", "namespace"),
    CLIENT_NAME("client-name", "clientName"),
    RECONNECT_INITIAL_DELAY("reconnect.initial-delay-ms", "reconnectDelay"),
    RECONNECT_MAX_DELAY("reconnect.max-delay-ms", "maxReconnectDelay"),
    PING_INTERVAL("ping.interval-ms", "pingInterval"),
    PING_TIMEOUT("ping.timeout-ms", "pingTimeout"),
    CONNECT_TIMEOUT("connect-timeout-ms", "connectTimeout"),
    COMMAND_TIMEOUT("command-timeout-ms", "commandTimeout"),
    PUBLISH_MAX_PENDING("publish.max-pending", "maxPendingPublishes");

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
     * Return the name of the option of {@link dev.wskit.redis.RedisPubSubOptions.Builder} the key sets, as the
     * option's validation messages name it.
     *
     * @return the option name; never {@code null}
     */
    public String option() {
        return option;
    }

    @Override
    public String toString() {
        return key;
    }
}
