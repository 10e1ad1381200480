package dev.wskit.redis.internal.websocket.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.wskit.redis.internal.support.Masking;
import dev.wskit.redis.internal.websocket.delivery.DeliveryExecutors;
import dev.wskit.redis.internal.websocket.delivery.RoomRegistry;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;

/**
 * The immutable settings of the WebSocket layer, read once from MicroProfile Config (when present) at registration.
 *
 * @param sendQueueCapacity how many messages may wait per session behind the one in flight
 * @param overflowPolicy what happens when a session's queue is full
 * @param excludeSender whether text a client sends is not echoed back to that session
 * @param deliveryParallelism how many threads, the Redis subscriber thread included, may hand one message to the
 *     sessions of a large room (see {@link RoomRegistry}); 1 for the subscriber thread alone
 * @param maxMessageSize the largest message a client may send, in bytes (UTF-8 for text)
 * @param sendQueueMaxBytes how many bytes may wait per session behind the one in flight, 2 per character
 * @param publishRate messages per second a session may send, on average; 0 for no limit
 * @param publishBurst messages a session may send at once, the size of its token bucket
 * @param publishRateExceeded what happens to a message beyond the rate
 * @param maxRoomsPerSession how many channels one session may be in
 * @param allowedOrigins the origins allowed to open a connection, lower case; empty for any
 */
public record WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
        int deliveryParallelism, int maxMessageSize, int sendQueueMaxBytes, int publishRate, int publishBurst,
        RateLimitPolicy publishRateExceeded, int maxRoomsPerSession, Set<String> allowedOrigins) {

    /** The key prefix of the WebSocket layer. */
    public static final String PREFIX = "wskit.redis.websocket.";

    /** Key of {@link #sendQueueCapacity()}. */
    public static final String SEND_QUEUE_CAPACITY = PREFIX + "send-queue-capacity";

    /** Key of {@link #overflowPolicy()}. */
    public static final String OVERFLOW_POLICY = PREFIX + "overflow-policy";

    /** Key of {@link #excludeSender()}. */
    public static final String EXCLUDE_SENDER = PREFIX + "exclude-sender";

    /** Key of {@link #deliveryParallelism()}. */
    public static final String DELIVERY_PARALLELISM = PREFIX + "delivery-parallelism";

    /** Key of {@link #maxMessageSize()}. */
    public static final String MAX_MESSAGE_SIZE = PREFIX + "max-message-size";

    /** Key of {@link #sendQueueMaxBytes()}. */
    public static final String SEND_QUEUE_MAX_BYTES = PREFIX + "send-queue-max-bytes";

    /** Key of {@link #publishRate()}. */
    public static final String PUBLISH_RATE = PREFIX + "publish-rate";

    /** Key of {@link #publishBurst()}. */
    public static final String PUBLISH_BURST = PREFIX + "publish-burst";

    /** Key of {@link #publishRateExceeded()}. */
    public static final String PUBLISH_RATE_EXCEEDED = PREFIX + "publish-rate-exceeded";

    /** Key of {@link #maxRoomsPerSession()}. */
    public static final String MAX_ROOMS_PER_SESSION = PREFIX + "max-rooms-per-session";

    /** Key of {@link #allowedOrigins()}. */
    public static final String ALLOWED_ORIGINS = PREFIX + "allowed-origins";

    /** Default of {@link #maxMessageSize()}: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 65_536;

    /** Largest {@link #maxMessageSize()}: 256 MiB. */
    public static final int MAX_MAX_MESSAGE_SIZE = 268_435_456;

    /** Default of {@link #sendQueueMaxBytes()}: 16 MiB. */
    public static final int DEFAULT_SEND_QUEUE_MAX_BYTES = 16_777_216;

    /** Largest {@link #sendQueueMaxBytes()}: 512 MiB. */
    public static final int MAX_SEND_QUEUE_MAX_BYTES = 536_870_912;

    /** Default of {@link #publishRate()}. */
    public static final int DEFAULT_PUBLISH_RATE = 100;

    /** Default of {@link #publishBurst()}. */
    public static final int DEFAULT_PUBLISH_BURST = 200;

    /** Largest {@link #publishRate()} and {@link #publishBurst()}. */
    public static final int MAX_PUBLISH_RATE = 1_000_000;

    /** Default of {@link #maxRoomsPerSession()}. */
    public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 64;

    /** Largest {@link #maxRoomsPerSession()}. */
    public static final int MAX_MAX_ROOMS_PER_SESSION = 1_000_000;

    /** Largest {@link #deliveryParallelism()}. */
    public static final int MAX_DELIVERY_PARALLELISM = 256;

    /** Default of {@link #sendQueueCapacity()}. */
    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 1024;

    /** Largest {@link #sendQueueCapacity()}. */
    public static final int MAX_SEND_QUEUE_CAPACITY = 1_000_000;

    /**
     * The defaults: capacity 1024, {@link OverflowPolicy#CLOSE}, sender not excluded, delivery parallelism the
     * number of processors.
     */
    public static final WebSocketSettings DEFAULTS =
            new WebSocketSettings(DEFAULT_SEND_QUEUE_CAPACITY, OverflowPolicy.CLOSE, false);


    /**
     * Check the values.
     *
     * @param sendQueueCapacity between 1 and {@value #MAX_SEND_QUEUE_CAPACITY}
     * @param overflowPolicy must not be {@code null}
     * @param excludeSender whether the sender is excluded
     * @param deliveryParallelism between 1 and {@value #MAX_DELIVERY_PARALLELISM}
     * @param maxMessageSize between 1 and {@value #MAX_MAX_MESSAGE_SIZE}
     * @param sendQueueMaxBytes between 1 and {@value #MAX_SEND_QUEUE_MAX_BYTES}
     * @param publishRate between 0 (no limit) and {@value #MAX_PUBLISH_RATE}
     * @param publishBurst between 1 and {@value #MAX_PUBLISH_RATE}
     * @param publishRateExceeded must not be {@code null}
     * @param maxRoomsPerSession between 1 and {@value #MAX_MAX_ROOMS_PER_SESSION}
     * @param allowedOrigins lower-case origins; can be {@code null} or empty (any origin)
     * @throws IllegalArgumentException if a value is out of range or a policy is {@code null}
     */
    public WebSocketSettings {
        check(MAX_MESSAGE_SIZE, maxMessageSize, 1, MAX_MAX_MESSAGE_SIZE);
        check(SEND_QUEUE_MAX_BYTES, sendQueueMaxBytes, 1, MAX_SEND_QUEUE_MAX_BYTES);
        check(PUBLISH_RATE, publishRate, 0, MAX_PUBLISH_RATE);
        check(PUBLISH_BURST, publishBurst, 1, MAX_PUBLISH_RATE);
        check(MAX_ROOMS_PER_SESSION, maxRoomsPerSession, 1, MAX_MAX_ROOMS_PER_SESSION);
        if (publishRateExceeded == null) {
            throw new IllegalArgumentException(PUBLISH_RATE_EXCEEDED + " must not be null");
        }
        allowedOrigins = allowedOrigins == null ? Set.of() : Set.copyOf(allowedOrigins);
        if (sendQueueCapacity < 1 || sendQueueCapacity > MAX_SEND_QUEUE_CAPACITY) {
            throw new IllegalArgumentException(SEND_QUEUE_CAPACITY + " must be between 1 and "
                    + MAX_SEND_QUEUE_CAPACITY + ", was " + sendQueueCapacity);
        }
        if (overflowPolicy == null) {
            throw new IllegalArgumentException(OVERFLOW_POLICY + " must not be null");
        }
        if (deliveryParallelism < 1 || deliveryParallelism > MAX_DELIVERY_PARALLELISM) {
            throw new IllegalArgumentException(DELIVERY_PARALLELISM + " must be between 1 and "
                    + MAX_DELIVERY_PARALLELISM + ", was " + deliveryParallelism);
        }
    }

    /**
     * Settings with the default delivery parallelism, the number of processors.
     *
     * @param sendQueueCapacity between 1 and {@value #MAX_SEND_QUEUE_CAPACITY}
     * @param overflowPolicy must not be {@code null}
     * @param excludeSender whether the sender is excluded
     * @throws IllegalArgumentException if the capacity is out of range or the policy is {@code null}
     */
    public WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender) {
        this(sendQueueCapacity, overflowPolicy, excludeSender,
                defaultDeliveryParallelism());
    }

    /**
     * Settings with the defaults of the limits added after the first four.
     *
     * @param sendQueueCapacity between 1 and {@value #MAX_SEND_QUEUE_CAPACITY}
     * @param overflowPolicy must not be {@code null}
     * @param excludeSender whether the sender is excluded
     * @param deliveryParallelism between 1 and {@value #MAX_DELIVERY_PARALLELISM}
     * @throws IllegalArgumentException if a value is out of range or the policy is {@code null}
     */
    public WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
            int deliveryParallelism) {
        this(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism, DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_SEND_QUEUE_MAX_BYTES, DEFAULT_PUBLISH_RATE, DEFAULT_PUBLISH_BURST, RateLimitPolicy.CLOSE,
                DEFAULT_MAX_ROOMS_PER_SESSION, Set.of());
    }

    /**
     * Return a copy with other limits for what clients send.
     *
     * @param maxMessageSize between 1 and {@value #MAX_MAX_MESSAGE_SIZE}
     * @param sendQueueMaxBytes between 1 and {@value #MAX_SEND_QUEUE_MAX_BYTES}
     * @param publishRate between 0 (no limit) and {@value #MAX_PUBLISH_RATE}
     * @param publishBurst between 1 and {@value #MAX_PUBLISH_RATE}
     * @param publishRateExceeded must not be {@code null}
     * @param maxRoomsPerSession between 1 and {@value #MAX_MAX_ROOMS_PER_SESSION}
     * @param allowedOrigins lower-case origins; can be {@code null} or empty (any origin)
     * @return the copy; never {@code null}
     */
    public WebSocketSettings withLimits(int maxMessageSize, int sendQueueMaxBytes, int publishRate, int publishBurst,
            RateLimitPolicy publishRateExceeded, int maxRoomsPerSession, Set<String> allowedOrigins) {
        return new WebSocketSettings(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism,
                maxMessageSize, sendQueueMaxBytes, publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession,
                allowedOrigins);
    }

    private static void check(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    /**
     * Read the settings from a configuration lookup, checking every key and reporting all problems at once.
     *
     * @param lookup returns the value of a key, or empty when unset; must not be {@code null}
     * @return the settings, with defaults for unset or blank keys; never {@code null}
     * @throws IllegalArgumentException listing every invalid value, joined with {@code "; "}; each names the key,
     *     the rule and the value
     */
    public static WebSocketSettings read(Function<String, Optional<String>> lookup) {
        List<String> errors = new ArrayList<>();
        int capacity = readInt(lookup, SEND_QUEUE_CAPACITY, MAX_SEND_QUEUE_CAPACITY, "",
                DEFAULT_SEND_QUEUE_CAPACITY, errors);
        OverflowPolicy policy = readOverflowPolicy(lookup, errors);
        boolean exclude = readExcludeSender(lookup, errors);
        int parallelism = readInt(lookup, DELIVERY_PARALLELISM, MAX_DELIVERY_PARALLELISM,
                " (1: the Redis subscriber thread alone)",
                defaultDeliveryParallelism(), errors);
        int maxMessageSize = readInt(lookup, MAX_MESSAGE_SIZE, 1, MAX_MAX_MESSAGE_SIZE, " bytes",
                DEFAULT_MAX_MESSAGE_SIZE, errors);
        int queueBytes = readInt(lookup, SEND_QUEUE_MAX_BYTES, 1, MAX_SEND_QUEUE_MAX_BYTES, " bytes",
                DEFAULT_SEND_QUEUE_MAX_BYTES, errors);
        int rate = readInt(lookup, PUBLISH_RATE, 0, MAX_PUBLISH_RATE, " messages per second (0: no limit)",
                DEFAULT_PUBLISH_RATE, errors);
        int burst = readInt(lookup, PUBLISH_BURST, 1, MAX_PUBLISH_RATE, " messages", DEFAULT_PUBLISH_BURST, errors);
        RateLimitPolicy exceeded = readRateExceeded(lookup, errors);
        int maxRooms = readInt(lookup, MAX_ROOMS_PER_SESSION, 1, MAX_MAX_ROOMS_PER_SESSION, " channels",
                DEFAULT_MAX_ROOMS_PER_SESSION, errors);
        Set<String> origins = readAllowedOrigins(lookup, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid WebSocket configuration: " + String.join("; ", errors));
        }
        return new WebSocketSettings(capacity, policy, exclude, parallelism, maxMessageSize, queueBytes, rate, burst,
                exceeded, maxRooms, origins);
    }

    /** The overflow policy: its value, or {@link OverflowPolicy#CLOSE} if unset or invalid (then noted). */
    private static OverflowPolicy readOverflowPolicy(Function<String, Optional<String>> lookup, List<String> errors) {
        Optional<String> text = value(lookup, OVERFLOW_POLICY);
        if (text.isEmpty()) {
            return OverflowPolicy.CLOSE;
        }
        OverflowPolicy policy = parsePolicy(text.get());
        if (policy == null) {
            errors.add(OVERFLOW_POLICY + " must be one of close, drop-newest, drop-oldest, was "
                    + Masking.quote(text.get()));
            return OverflowPolicy.CLOSE;
        }
        return policy;
    }

    /** Whether to exclude the sender: its value, or {@code false} if unset or invalid (then noted). */
    private static boolean readExcludeSender(Function<String, Optional<String>> lookup, List<String> errors) {
        Optional<String> text = value(lookup, EXCLUDE_SENDER);
        if (text.isEmpty()) {
            return false;
        }
        String normalized = text.get().toLowerCase(Locale.ROOT);
        if (normalized.equals("true")) {
            return true;
        }
        if (!normalized.equals("false")) {
            errors.add(EXCLUDE_SENDER + " must be true or false, was " + Masking.quote(text.get()));
        }
        return false;
    }

    /** The rate limit policy: its value, or {@link RateLimitPolicy#CLOSE} if unset or invalid (then noted). */
    private static RateLimitPolicy readRateExceeded(Function<String, Optional<String>> lookup, List<String> errors) {
        Optional<String> text = value(lookup, PUBLISH_RATE_EXCEEDED);
        if (text.isEmpty()) {
            return RateLimitPolicy.CLOSE;
        }
        String normalized = text.get().toLowerCase(Locale.ROOT);
        for (RateLimitPolicy p : RateLimitPolicy.values()) {
            if (p.configValue().equals(normalized)) {
                return p;
            }
        }
        errors.add(PUBLISH_RATE_EXCEEDED + " must be one of close, drop, was " + Masking.quote(text.get()));
        return RateLimitPolicy.CLOSE;
    }

    /** The allowed origins, normalized: empty (any) if unset or {@code *}; each invalid origin is noted. */
    private static Set<String> readAllowedOrigins(Function<String, Optional<String>> lookup, List<String> errors) {
        Optional<String> text = value(lookup, ALLOWED_ORIGINS);
        if (text.isEmpty() || text.get().equals("*")) {
            return Set.of();
        }
        Set<String> parsed = new LinkedHashSet<>();
        for (String part : text.get().split(",", -1)) {
            String origin = normalizeOrigin(part);
            if (!isOrigin(origin)) {
                errors.add(ALLOWED_ORIGINS + " must be * or a comma-separated list of origins such as"
                        + " https://chat.example.com or http://localhost:8080, was " + Masking.quote(part.trim())
                        + " in " + Masking.quote(text.get()));
            } else {
                parsed.add(origin);
            }
        }
        return parsed;
    }

    /**
     * Read the settings from MicroProfile Config if an implementation is present, else return {@link #DEFAULTS}.
     *
     * @param loader the class loader of the application, used to find the configuration; can be {@code null} (then
     *     the thread context class loader)
     * @return the settings; never {@code null}
     * @throws IllegalArgumentException listing every invalid value
     */
    public static WebSocketSettings fromMicroProfileConfig(ClassLoader loader) {
        Function<String, Optional<String>> lookup = MicroProfileConfigLookup.create(loader);
        return lookup == null ? DEFAULTS : read(lookup);
    }

    /** The number of processors, at most {@value #MAX_DELIVERY_PARALLELISM}. */
    private static int defaultDeliveryParallelism() {
        return Math.min(DeliveryExecutors.defaultParallelism(), MAX_DELIVERY_PARALLELISM);
    }

    /** An integer key between 1 and {@code max}: its value, or {@code otherwise} if unset or invalid (then noted). */
    private static int readInt(Function<String, Optional<String>> lookup, String key, int max, String ruleNote,
            int otherwise, List<String> errors) {
        return readInt(lookup, key, 1, max, ruleNote, otherwise, errors);
    }

    /** An integer key between {@code min} and {@code max}: its value, or {@code otherwise} if unset or invalid. */
    private static int readInt(Function<String, Optional<String>> lookup, String key, int min, int max,
            String ruleNote, int otherwise, List<String> errors) {
        Optional<String> text = value(lookup, key);
        if (text.isEmpty()) {
            return otherwise;
        }
        long value = parseLong(text.get());
        if (value < min || value > max) {
            errors.add(key + " must be an integer between " + min + " and " + max + ruleNote + ", was "
                    + Masking.quote(text.get()));
            return otherwise;
        }
        return (int) value;
    }

    /**
     * Return an origin as compared: trimmed, lower case, without a trailing {@code /}.
     *
     * @param origin an origin, such as the value of an {@code Origin} header; must not be {@code null}
     * @return the normalized origin; never {@code null}
     */
    public static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** Whether a normalized value is an origin: scheme://host[:port], nothing else. */
    private static boolean isOrigin(String o) {
        int sep = o.indexOf("://");
        if (sep <= 0 || sep + 3 >= o.length()) {
            return false;
        }
        for (int i = 0; i < o.length(); i++) {
            char c = o.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ',' || c == '*' || (i > sep + 2 && (c == '/' || c == '?' || c == '#'))) {
                return false;
            }
        }
        return true;
    }

    /** The trimmed value of a key; empty when unset or blank, as MicroProfile Config treats an empty value. */
    private static Optional<String> value(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static OverflowPolicy parsePolicy(String text) {
        String normalized = text.toLowerCase(Locale.ROOT).replace('_', '-');
        for (OverflowPolicy p : OverflowPolicy.values()) {
            if (p.configValue().equals(normalized)) {
                return p;
            }
        }
        return null;
    }

    /** Parse a decimal integer of at most 9 digits; -1 if not one. */
    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
