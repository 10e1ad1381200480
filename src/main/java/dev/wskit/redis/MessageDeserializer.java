package dev.wskit.redis;

/**
 * Turns the text received from Redis into the message given to {@link MessageHandler}s (the
 * {@code deserializeMessage} option).
 *
 * <p>The default parses JSON text (objects become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers
 * {@code BigDecimal}) and passes anything else through as the original {@code String}. Text holding a number longer
 * than 1000 characters or with an exponent beyond &plusmn;1000, or nested deeper than 512 levels, counts as not JSON
 * and also arrives as the original {@code String}: it is never parsed at a cost above linear in its length. A
 * payload that is not valid UTF-8 never reaches a deserializer: it is counted as malformed and dropped. A custom
 * deserializer replaces
 * the default entirely. It is called on the subscriber thread, at most once per message, and only when an untyped
 * handler exists. If it throws, the message is counted as malformed and logged, no handler sees it, and the
 * subscriber goes on.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MessageDeserializer {

    /**
     * Deserialize a payload.
     *
     * @param payload the payload exactly as published (valid UTF-8); never {@code null}
     * @return the message; can be {@code null}
     */
    Object deserialize(String payload);
}
