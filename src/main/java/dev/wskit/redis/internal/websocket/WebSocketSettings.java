package dev.wskit.redis.internal.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import dev.wskit.redis.internal.Masking;
import dev.wskit.redis.websocket.OverflowPolicy;

/**
 * The immutable settings of the WebSocket layer, read once from MicroProfile Config (when present) at registration.
 *
 * @param sendQueueCapacity how many messages may wait per session behind the one in flight
 * @param overflowPolicy what happens when a session's queue is full
 * @param excludeSender whether text a client sends is not echoed back to that session
 * @param deliveryParallelism how many threads, the Redis subscriber thread included, may hand one message to the
 *     sessions of a large room (see {@link RoomRegistry}); 1 for the subscriber thread alone
 */
public record WebSocketSettings(int sendQueueCapacity, OverflowPolicy overflowPolicy, boolean excludeSender,
        int deliveryParallelism) {

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

    private static final int MAX_ECHO_LENGTH = 64;

    /**
     * Check the values.
     *
     * @param sendQueueCapacity between 1 and {@value #MAX_SEND_QUEUE_CAPACITY}
     * @param overflowPolicy must not be {@code null}
     * @param excludeSender whether the sender is excluded
     * @param deliveryParallelism between 1 and {@value #MAX_DELIVERY_PARALLELISM}
     * @throws IllegalArgumentException if the capacity or the parallelism is out of range or the policy is
     *     {@code null}
     */
    public WebSocketSettings {
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

        OverflowPolicy policy = OverflowPolicy.CLOSE;
        Optional<String> policyText = value(lookup, OVERFLOW_POLICY);
        if (policyText.isPresent()) {
            policy = parsePolicy(policyText.get());
            if (policy == null) {
                policy = OverflowPolicy.CLOSE;
                errors.add(OVERFLOW_POLICY + " must be one of close, drop-newest, drop-oldest, was "
                        + quote(policyText.get()));
            }
        }

        boolean exclude = false;
        Optional<String> excludeText = value(lookup, EXCLUDE_SENDER);
        if (excludeText.isPresent()) {
            String text = excludeText.get().toLowerCase(Locale.ROOT);
            if (text.equals("true")) {
                exclude = true;
            } else if (!text.equals("false")) {
                errors.add(EXCLUDE_SENDER + " must be true or false, was " + quote(excludeText.get()));
            }
        }

        int parallelism = readInt(lookup, DELIVERY_PARALLELISM, MAX_DELIVERY_PARALLELISM,
                " (1: the Redis subscriber thread alone)",
                defaultDeliveryParallelism(), errors);

        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid WebSocket configuration: " + String.join("; ", errors));
        }
        return new WebSocketSettings(capacity, policy, exclude, parallelism);
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
        Optional<String> text = value(lookup, key);
        if (text.isEmpty()) {
            return otherwise;
        }
        long value = parseLong(text.get());
        if (value < 1 || value > max) {
            errors.add(key + " must be an integer between 1 and " + max + ruleNote + ", was " + quote(text.get()));
            return otherwise;
        }
        return (int) value;
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

    /** Quote a value for a message: secrets masked by the library's one rule ({@link Masking}), shortened. */
    private static String quote(String raw) {
        String s = Masking.mask(raw);
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), MAX_ECHO_LENGTH);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (s.length() > MAX_ECHO_LENGTH) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }
}
