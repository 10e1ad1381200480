package dev.wskit.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import dev.wskit.redis.internal.codec.DefaultCodec;
import redis.clients.jedis.UnifiedJedis;

/**
 * The options as given to a {@link RedisPubSubOptions.Builder}: each option declared once, here, with its default.
 *
 * <p>The builder's setters only record values here, {@link OptionRules} checks them all, and the built
 * {@link RedisPubSubOptions} keeps a {@linkplain #copy() copy} for its accessors and {@code toBuilder()}. Copying is a
 * field-by-field clone, so an option added here is copied without further code. The lists are never changed after
 * they are set (a setter replaces them), so copies may share them.
 */
final class OptionValues implements Cloneable {

    /** The default of {@code onConnect} and {@code onDisconnect}. */
    static final Runnable NO_OP = () -> {
    };
    /** The default of {@code onError}. */
    static final Consumer<Throwable> NO_OP_ERROR = e -> {
    };

    String url;
    String host = RedisPubSubOptions.DEFAULT_HOST;
    boolean hostSet;
    int port = RedisPubSubOptions.DEFAULT_PORT;
    boolean portSet;
    String username;
    String password;
    int db = RedisPubSubOptions.DEFAULT_DB;
    boolean dbSet;
    /** {@code null} when not set: a {@code rediss://} URL may turn TLS on, but not an explicit {@code false}. */
    Boolean tls;
    SSLContext sslContext;
    List<String> sentinels;
    String sentinelMaster;
    String sentinelUsername;
    String sentinelPassword;
    List<String> clusterNodes;
    /** {@code null} when not set, see {@link #tls}. */
    Boolean shardedPubSub;
    UnifiedJedis client;
    String namespace = RedisPubSubOptions.DEFAULT_NAMESPACE;
    Runnable onConnect = NO_OP;
    Runnable onDisconnect = NO_OP;
    Consumer<Throwable> onError = NO_OP_ERROR;
    Duration reconnectDelay = RedisPubSubOptions.DEFAULT_RECONNECT_DELAY;
    Duration maxReconnectDelay = RedisPubSubOptions.DEFAULT_MAX_RECONNECT_DELAY;
    Duration pingInterval = RedisPubSubOptions.DEFAULT_PING_INTERVAL;
    Duration pingTimeout = RedisPubSubOptions.DEFAULT_PING_TIMEOUT;
    Duration connectTimeout = RedisPubSubOptions.DEFAULT_CONNECT_TIMEOUT;
    Duration commandTimeout = RedisPubSubOptions.DEFAULT_COMMAND_TIMEOUT;
    int maxPendingPublishes = RedisPubSubOptions.DEFAULT_MAX_PENDING_PUBLISHES;
    Duration holdPublishesWhileConnecting = RedisPubSubOptions.DEFAULT_HOLD_PUBLISHES_WHILE_CONNECTING;
    long maxPendingPublishBytes = RedisPubSubOptions.DEFAULT_MAX_PENDING_PUBLISH_BYTES;
    long maxReceivedMessageBytes = RedisPubSubOptions.DEFAULT_MAX_RECEIVED_MESSAGE_BYTES;
    String clientName = RedisPubSubOptions.DEFAULT_CLIENT_NAME;
    int historySize = RedisPubSubOptions.DEFAULT_HISTORY_SIZE;
    Duration historyTtl = RedisPubSubOptions.DEFAULT_HISTORY_TTL;
    Duration historyMetaTtl = RedisPubSubOptions.DEFAULT_HISTORY_META_TTL;
    ThreadFactory threadFactory;
    MessageSerializer serializeMessage = DefaultCodec.INSTANCE;
    MessageDeserializer deserializeMessage = DefaultCodec.INSTANCE;
    Duration canaryInterval = RedisPubSubOptions.DEFAULT_CANARY_INTERVAL;
    RedisPubSubOptions.SelfCheck selfCheck = RedisPubSubOptions.DEFAULT_SELF_CHECK;

    /** A copy with the same values; changing either does not change the other. */
    OptionValues copy() {
        try {
            return (OptionValues) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
