package dev.wskit.redis.internal.cdi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.wskit.redis.RedisPubSubOptions;

/**
 * The library's configuration as read once from MicroProfile Config by {@link ConfigReader}; immutable and valid.
 *
 * <p>A {@code null} component means the key is not set, so the option keeps the default of
 * {@link RedisPubSubOptions}. The compact constructor checks every rule by building the options: the rules live in
 * one place, {@link RedisPubSubOptions.Builder#build()}, and its problems are renamed from options to keys
 * ({@code port must be between 1 and 65535, was 70000} becomes {@code wskit.redis.port must be ...}); it throws an
 * {@link InvalidConfigException} that lists every problem.
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
        Integer maxPendingPublishes) {

    private static final String SEPARATOR = "; ";

    /** An option name, as the first word of a problem. */
    private static final Pattern SUBJECT = Pattern.compile("^(" + alternation() + ") ");

    /**
     * An option named by the rule or the hint of a problem about another option: "together with url", "at least
     * reconnectDelay", "of url", "a rediss:// url", "use ... or sentinels".
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\b(together with|with an?|with|of|at least|or|use an?)( [a-z-]+://)? (" + alternation()
                    + ")(?![A-Za-z0-9])");

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
     * @throws InvalidConfigException listing every problem, if any rule is broken
     */
    public RedisPubSubConfig {
        sentinels = sentinels == null ? null : List.copyOf(sentinels);
        clusterNodes = clusterNodes == null ? null : List.copyOf(clusterNodes);
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder();
        values(url, host, port, username, password, db, tls, sentinels, sentinelMaster, sentinelUsername,
                sentinelPassword, clusterNodes, shardedPubSub, namespace, clientName, reconnectDelay,
                maxReconnectDelay, pingInterval, pingTimeout, connectTimeout, commandTimeout, maxPendingPublishes)
                .forEach((key, value) -> set(builder, key, value));
        try {
            builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(toKeys(e.getMessage()));
        }
    }

    /**
     * Return the configuration with no key set: every option at the default of {@link RedisPubSubOptions}.
     *
     * @return the configuration; never {@code null}
     */
    public static RedisPubSubConfig defaults() {
        return new RedisPubSubConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /**
     * Create a builder of options with the configured values, the others at their defaults.
     *
     * @return a new builder; never {@code null}
     */
    public RedisPubSubOptions.Builder toBuilder() {
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
        return Collections.unmodifiableMap(values(url, host, port, username, password, db, tls, sentinels,
                sentinelMaster, sentinelUsername, sentinelPassword, clusterNodes, shardedPubSub, namespace,
                clientName, reconnectDelay, maxReconnectDelay, pingInterval, pingTimeout, connectTimeout,
                commandTimeout, maxPendingPublishes));
    }

    /**
     * Return the options this configuration stands for, with the passwords shown as {@code ***}.
     *
     * @return the configuration as text; never {@code null}
     */
    @Override
    public String toString() {
        // the core's toString() masks the passwords, including one inside the URL
        return "RedisPubSubConfig" + toBuilder().build();
    }

    private static Map<ConfigKey, Object> values(String url, String host, Integer port, String username,
            String password, Integer db, Boolean tls, List<String> sentinels, String sentinelMaster,
            String sentinelUsername, String sentinelPassword, List<String> clusterNodes, Boolean shardedPubSub,
            String namespace, String clientName, Duration reconnectDelay, Duration maxReconnectDelay,
            Duration pingInterval, Duration pingTimeout, Duration connectTimeout, Duration commandTimeout,
            Integer maxPendingPublishes) {
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
            default -> throw new IllegalStateException("unknown key " + key);
        }
    }

    /**
     * Split the message of {@link RedisPubSubOptions.Builder#build()} into its problems and rename the options in
     * them to their keys.
     *
     * <p>The builder joins its problems with {@code "; "}, and a problem's own hint follows its value the same way,
     * so a new problem is recognized by starting with the name of an option. Quoted values (the builder escapes
     * quotes inside them) are skipped, so a value that contains {@code "; port "} cannot split a problem.
     */
    static List<String> toKeys(String message) {
        List<String> problems = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\\') {
                // the builder escapes quotes and backslashes in values, quoted or not
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && message.startsWith(SEPARATOR, i)
                    && SUBJECT.matcher(message.substring(i + SEPARATOR.length())).find()) {
                problems.add(rename(message.substring(start, i)));
                start = i + SEPARATOR.length();
                i = start - 1;
            }
        }
        problems.add(rename(message.substring(start)));
        return problems;
    }

    /** Rename the subject of one problem, and the options its rule and hint refer to, outside quoted values. */
    static String rename(String problem) {
        Matcher subject = SUBJECT.matcher(problem);
        if (!subject.find()) {
            return ConfigKey.PREFIX + "*: " + problem;
        }
        ConfigKey key = ConfigKey.ofOption(subject.group(1));
        String rest = problem.substring(subject.end(1));
        if (key == ConfigKey.URL) {
            // the words after "url" name parts of the URL (url port, url host), not options
            return key.key() + rest;
        }
        StringBuilder sb = new StringBuilder(key.key());
        int i = 0;
        while (i < rest.length()) {
            int quote = indexOfQuote(rest, i);
            sb.append(renameReferences(rest.substring(i, quote)));
            if (quote == rest.length()) {
                break;
            }
            int end = endOfQuoted(rest, quote);
            sb.append(rest, quote, end);
            i = end;
        }
        return sb.toString();
    }

    private static String renameReferences(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(2) == null ? "" : m.group(2);
            String replacement = m.group(1) + scheme + " " + ConfigKey.ofOption(m.group(3)).key();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static int indexOfQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return text.length();
    }

    /** Return the index after the quote that closes the one at {@code open}, skipping escaped characters. */
    private static int endOfQuoted(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return text.length();
    }

    /** The option names of every key, longest first, as a regular-expression alternation. */
    private static String alternation() {
        return Stream.of(ConfigKey.values())
                .map(ConfigKey::option)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
    }
}
