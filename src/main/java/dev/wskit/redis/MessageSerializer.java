package dev.wskit.redis;

/**
 * Turns a message into the exact text published to Redis (the {@code serializeMessage} option).
 *
 * <p>The default follows the original table: a {@code String} unchanged; maps, lists, records, other objects,
 * numbers, booleans and {@code null} as JSON (JSON-B); {@code byte[]} and {@code ByteBuffer} as base64.
 * A custom serializer replaces the default entirely. It is called on the publishing thread and must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MessageSerializer {

    /**
     * Serialize a message.
     *
     * @param message the message given to {@link RedisPubSub#publish(String, Object)}; can be {@code null}
     * @return the payload published to Redis; must not be {@code null}
     * @throws RuntimeException if the message cannot be serialized; {@code publish} then completes exceptionally
     */
    String serialize(Object message);
}
