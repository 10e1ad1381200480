package dev.wskit.redis.internal.websocket.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.wskit.redis.internal.config.ConfigLookup;
import dev.wskit.redis.internal.config.ConfigProblem;
import dev.wskit.redis.internal.config.ConfigValues;
import dev.wskit.redis.internal.config.InvalidValuesException;
import dev.wskit.redis.internal.config.MicroProfileConfig;
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
 * @param historyRooms the rooms with history: names, and prefixes ending in {@code *} ({@code *} alone: every room);
 *     empty for none
 * @param historyMaxReplay the most messages sent to one session from a room's history in one reading
 * @param missedRooms the plain rooms whose sessions are told when the instance may have missed messages (a
 *     {@code missed} frame): names, and prefixes ending in {@code *} ({@code *} alone: every room); empty for none
 * @param drainTimeoutMillis how long, when the application stops, the send queues get to empty before every session
 *     is closed with 1012; 0 to close at once
 * @param drainSpreadMillis the window over which those closes are spread; 0 to close all at once
 */
public record WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
        int deliveryParallelism, int maxMessageSize, int sendQueueMaxBytes, int publishRate, int publishBurst,
        RateLimitPolicy publishRateExceeded, int maxRoomsPerSession, Set<String> allowedOrigins,
        List<String> historyRooms, int historyMaxReplay, List<String> missedRooms, int drainTimeoutMillis,
        int drainSpreadMillis) {

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

    /** Key of {@link #historyRooms()}. */
    public static final String HISTORY_ROOMS = PREFIX + "history-rooms";

    /** Key of {@link #missedRooms()}. */
    public static final String MISSED_ROOMS = PREFIX + "missed-rooms";

    /** Key of {@link #historyMaxReplay()}. */
    public static final String HISTORY_MAX_REPLAY = PREFIX + "history-max-replay";

    /** Key of {@link #drainTimeoutMillis()}. */
    public static final String DRAIN_TIMEOUT = PREFIX + "drain-timeout-ms";

    /** Key of {@link #drainSpreadMillis()}. */
    public static final String DRAIN_SPREAD = PREFIX + "drain-spread-ms";

    /** Default of {@link #drainTimeoutMillis()}: 5 s. */
    public static final int DEFAULT_DRAIN_TIMEOUT_MILLIS = 5000;

    /** Largest {@link #drainTimeoutMillis()} and {@link #drainSpreadMillis()}: 10 minutes. */
    public static final int MAX_DRAIN_MILLIS = 600_000;

    /** Default of {@link #historyMaxReplay()}: the default history size of the core. */
    public static final int DEFAULT_HISTORY_MAX_REPLAY = 1000;

    /** Largest {@link #historyMaxReplay()}. */
    public static final int MAX_HISTORY_MAX_REPLAY = 1_000_000;

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
     * @param historyRooms room names and prefixes ending in {@code *}; can be {@code null} or empty (none)
     * @param historyMaxReplay between 0 and {@value #MAX_HISTORY_MAX_REPLAY}
     * @param missedRooms room names and prefixes ending in {@code *}; can be {@code null} or empty (none)
     * @param drainTimeoutMillis between 0 and {@value #MAX_DRAIN_MILLIS}
     * @param drainSpreadMillis between 0 and {@value #MAX_DRAIN_MILLIS}
     * @throws IllegalArgumentException if a value is out of range or a policy is {@code null}
     */
    public WebSocketSettings {
        check(DRAIN_TIMEOUT, drainTimeoutMillis, 0, MAX_DRAIN_MILLIS);
        check(DRAIN_SPREAD, drainSpreadMillis, 0, MAX_DRAIN_MILLIS);
        check(HISTORY_MAX_REPLAY, historyMaxReplay, 0, MAX_HISTORY_MAX_REPLAY);
        historyRooms = historyRooms == null ? List.of() : List.copyOf(historyRooms);
        missedRooms = missedRooms == null ? List.of() : List.copyOf(missedRooms);
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
     * Settings without rooms told of missed messages and with the default drain: {@value #DEFAULT_DRAIN_TIMEOUT_MILLIS}
     * ms to empty the queues, closes not spread.
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
     * @param historyRooms room names and prefixes ending in {@code *}; can be {@code null} or empty (none)
     * @param historyMaxReplay between 0 and {@value #MAX_HISTORY_MAX_REPLAY}
     * @throws IllegalArgumentException if a value is out of range or a policy is {@code null}
     */
    public WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
            int deliveryParallelism, int maxMessageSize, int sendQueueMaxBytes, int publishRate, int publishBurst,
            RateLimitPolicy publishRateExceeded, int maxRoomsPerSession, Set<String> allowedOrigins,
            List<String> historyRooms, int historyMaxReplay) {
        this(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism, maxMessageSize, sendQueueMaxBytes,
                publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession, allowedOrigins, historyRooms,
                historyMaxReplay, List.of(), DEFAULT_DRAIN_TIMEOUT_MILLIS, 0);
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
     * Settings without history rooms.
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
     */
    public WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
            int deliveryParallelism, int maxMessageSize, int sendQueueMaxBytes, int publishRate, int publishBurst,
            RateLimitPolicy publishRateExceeded, int maxRoomsPerSession, Set<String> allowedOrigins) {
        this(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism, maxMessageSize, sendQueueMaxBytes,
                publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession, allowedOrigins, List.of(),
                DEFAULT_HISTORY_MAX_REPLAY);
    }

    /**
     * Return a copy with other history settings.
     *
     * @param historyRooms room names and prefixes ending in {@code *}; can be {@code null} or empty (none)
     * @param historyMaxReplay between 0 and {@value #MAX_HISTORY_MAX_REPLAY}
     * @return the copy; never {@code null}
     */
    public WebSocketSettings withHistory(List<String> historyRooms, int historyMaxReplay) {
        return new WebSocketSettings(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism,
                maxMessageSize, sendQueueMaxBytes, publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession,
                allowedOrigins, historyRooms, historyMaxReplay, missedRooms, drainTimeoutMillis,
                drainSpreadMillis);
    }

    /**
     * Return a copy with other rooms told of missed messages.
     *
     * @param missedRooms room names and prefixes ending in {@code *}; can be {@code null} or empty (none)
     * @return the copy; never {@code null}
     */
    public WebSocketSettings withMissedRooms(List<String> missedRooms) {
        return new WebSocketSettings(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism,
                maxMessageSize, sendQueueMaxBytes, publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession,
                allowedOrigins, historyRooms, historyMaxReplay, missedRooms, drainTimeoutMillis,
                drainSpreadMillis);
    }

    /**
     * Return a copy with another graceful drain.
     *
     * @param drainTimeoutMillis between 0 and {@value #MAX_DRAIN_MILLIS}
     * @param drainSpreadMillis between 0 and {@value #MAX_DRAIN_MILLIS}
     * @return the copy; never {@code null}
     */
    public WebSocketSettings withDrain(int drainTimeoutMillis, int drainSpreadMillis) {
        return new WebSocketSettings(sendQueueCapacity, overflowPolicy, excludeSender, deliveryParallelism,
                maxMessageSize, sendQueueMaxBytes, publishRate, publishBurst, publishRateExceeded, maxRoomsPerSession,
                allowedOrigins, historyRooms, historyMaxReplay, missedRooms, drainTimeoutMillis,
                drainSpreadMillis);
    }

    /**
     * Tell whether {@link #historyRooms()} names a room: equal to a name, or starting with a prefix given as
     * {@code prefix*}.
     *
     * @param room the room; must not be {@code null}
     * @return {@code true} if the room has history by configuration
     */
    public boolean isHistoryRoom(String room) {
        return names(historyRooms, room);
    }

    /**
     * Tell whether {@link #missedRooms()} names a room, as {@link #isHistoryRoom} does.
     *
     * @param room the room; must not be {@code null}
     * @return {@code true} if the room's sessions are told of missed messages by configuration
     */
    public boolean isMissedRoom(String room) {
        return names(missedRooms, room);
    }

    private static boolean names(List<String> rooms, String room) {
        for (String entry : rooms) {
            if (entry.endsWith("*") ? room.startsWith(entry.substring(0, entry.length() - 1)) : room.equals(entry)) {
                return true;
            }
        }
        return false;
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
                allowedOrigins, historyRooms, historyMaxReplay, missedRooms, drainTimeoutMillis,
                drainSpreadMillis);
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
     * @throws InvalidValuesException listing every invalid value, joined with {@code "; "} after {@code invalid
     *     WebSocket configuration: }; each names the key, the rule and the value
     */
    public static WebSocketSettings read(ConfigLookup lookup) {
        ConfigValues values = new ConfigValues(lookup);
        int capacity = values.boundedInt(SEND_QUEUE_CAPACITY, 1, MAX_SEND_QUEUE_CAPACITY, "",
                DEFAULT_SEND_QUEUE_CAPACITY);
        OverflowPolicy policy = values.oneOf(OVERFLOW_POLICY, OverflowPolicy.values(), OverflowPolicy::configValue,
                v -> v.replace('_', '-'), OverflowPolicy.CLOSE);
        boolean exclude = values.trueOrFalse(EXCLUDE_SENDER, false);
        int parallelism = values.boundedInt(DELIVERY_PARALLELISM, 1, MAX_DELIVERY_PARALLELISM,
                " (1: the Redis subscriber thread alone)", defaultDeliveryParallelism());
        int maxMessageSize = values.boundedInt(MAX_MESSAGE_SIZE, 1, MAX_MAX_MESSAGE_SIZE, " bytes",
                DEFAULT_MAX_MESSAGE_SIZE);
        int queueBytes = values.boundedInt(SEND_QUEUE_MAX_BYTES, 1, MAX_SEND_QUEUE_MAX_BYTES, " bytes",
                DEFAULT_SEND_QUEUE_MAX_BYTES);
        int rate = values.boundedInt(PUBLISH_RATE, 0, MAX_PUBLISH_RATE, " messages per second (0: no limit)",
                DEFAULT_PUBLISH_RATE);
        int burst = values.boundedInt(PUBLISH_BURST, 1, MAX_PUBLISH_RATE, " messages", DEFAULT_PUBLISH_BURST);
        RateLimitPolicy exceeded = values.oneOf(PUBLISH_RATE_EXCEEDED, RateLimitPolicy.values(),
                RateLimitPolicy::configValue, UnaryOperator.identity(), RateLimitPolicy.CLOSE);
        int maxRooms = values.boundedInt(MAX_ROOMS_PER_SESSION, 1, MAX_MAX_ROOMS_PER_SESSION, " channels",
                DEFAULT_MAX_ROOMS_PER_SESSION);
        Set<String> origins = readAllowedOrigins(values);
        List<String> historyRooms = readRooms(values, HISTORY_ROOMS);
        List<String> missedRooms = readRooms(values, MISSED_ROOMS);
        int maxReplay = values.boundedInt(HISTORY_MAX_REPLAY, 0, MAX_HISTORY_MAX_REPLAY, " messages",
                DEFAULT_HISTORY_MAX_REPLAY);
        int drainTimeout = values.boundedInt(DRAIN_TIMEOUT, 0, MAX_DRAIN_MILLIS, " ms (0: close at once)",
                DEFAULT_DRAIN_TIMEOUT_MILLIS);
        int drainSpread = values.boundedInt(DRAIN_SPREAD, 0, MAX_DRAIN_MILLIS, " ms (0: all at once)", 0);
        values.throwIfInvalid("invalid WebSocket configuration: ");
        return new WebSocketSettings(capacity, policy, exclude, parallelism, maxMessageSize, queueBytes, rate, burst,
                exceeded, maxRooms, origins, historyRooms, maxReplay, missedRooms, drainTimeout, drainSpread);
    }

    /** A list of rooms (history, missed): names and prefixes ending in {@code *}; each invalid entry is noted. */
    private static List<String> readRooms(ConfigValues values, String key) {
        Optional<String> text = values.trimmed(key);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> rooms = new ArrayList<>();
        for (String part : text.get().split(",", -1)) {
            String room = part.trim();
            int star = room.indexOf('*');
            boolean valid = !room.isEmpty() && (star < 0 || star == room.length() - 1);
            for (int i = 0; valid && i < room.length(); i++) {
                char c = room.charAt(i);
                valid = !Character.isWhitespace(c) && !Character.isISOControl(c) && c != '?' && c != '[' && c != ']';
            }
            if (valid) {
                rooms.add(room);
            } else {
                values.problem(new ConfigProblem(key, "must be a comma-separated list of room names, each"
                        + " may end in * to name every room starting with it (* alone: every room)",
                        Masking.quote(room) + " in " + Masking.quote(text.get()), null, null));
            }
        }
        return rooms;
    }

    /** The allowed origins, normalized: empty (any) if unset or {@code *}; each invalid origin is noted. */
    private static Set<String> readAllowedOrigins(ConfigValues values) {
        Optional<String> text = values.trimmed(ALLOWED_ORIGINS);
        if (text.isEmpty() || text.get().equals("*")) {
            return Set.of();
        }
        Set<String> parsed = new LinkedHashSet<>();
        for (String part : text.get().split(",", -1)) {
            String origin = normalizeOrigin(part);
            if (!isOrigin(origin)) {
                values.problem(new ConfigProblem(ALLOWED_ORIGINS, "must be * or a comma-separated list of origins"
                        + " such as https://chat.example.com or http://localhost:8080",
                        Masking.quote(part.trim()) + " in " + Masking.quote(text.get()), null, null));
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
        return MicroProfileConfig.find(loader).map(WebSocketSettings::read).orElse(DEFAULTS);
    }

    /** The number of processors, at most {@value #MAX_DELIVERY_PARALLELISM}. */
    private static int defaultDeliveryParallelism() {
        return Math.min(DeliveryExecutors.defaultParallelism(), MAX_DELIVERY_PARALLELISM);
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
}
