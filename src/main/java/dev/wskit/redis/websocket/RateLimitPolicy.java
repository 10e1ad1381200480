package dev.wskit.redis.websocket;

/**
 * What a {@link RedisPubSubEndpoint} does with a message from a client that sends faster than its publish rate
 * limit allows.
 *
 * <p>Each session has a token bucket: {@code wskit.redis.websocket.publish-rate} messages per second, up to
 * {@code wskit.redis.websocket.publish-burst} at once. Every text or binary message a client sends takes a token
 * before it reaches {@link RedisPubSubEndpoint#onText} or {@link RedisPubSubEndpoint#onBinary}; a message that finds
 * the bucket empty is handled by this policy, set with {@code wskit.redis.websocket.publish-rate-exceeded}
 * (values {@code close}, {@code drop}) or by overriding {@link RedisPubSubEndpoint#publishRateExceeded()}.
 *
 * @since 0.1
 */
public enum RateLimitPolicy {

    /**
     * Close the session with 1008 "Policy Violation" and count the message in
     * {@link RedisPubSubEndpointStats#rateLimited()}: the default. A person typing never reaches the default limit;
     * a script that does is told, and stops costing the server anything.
     */
    CLOSE("close"),

    /**
     * Drop the message without telling the client and count it in {@link RedisPubSubEndpointStats#rateLimited()};
     * the session stays open.
     */
    DROP("drop");

    private final String configValue;

    RateLimitPolicy(String configValue) {
        this.configValue = configValue;
    }

    /**
     * Return the value naming this policy in MicroProfile Config, such as {@code drop}.
     *
     * @return the configuration value; never {@code null}
     */
    public String configValue() {
        return configValue;
    }
}
