package dev.wskit.redis;

/**
 * A snapshot of the counters of one {@link RedisPubSub}, from its creation.
 *
 * @param published messages Redis accepted
 * @param publishFailures publishes that completed exceptionally (disconnected, queue full, serialization, Redis error)
 * @param received messages received from Redis on the subscriber connection
 * @param malformed received messages that were not valid UTF-8 (or arrived on a pattern-matched channel whose name
 *        was not) or could not be deserialized or converted; they were logged (throttled) and dropped
 * @param handlerErrors handler invocations that threw
 * @param reconnects successful reconnections of the subscriber connection after a loss
 * @param subscriptions channels and patterns this instance currently holds a Redis subscription for
 * @since 0.1
 */
public record RedisPubSubStats(
        long published,
        long publishFailures,
        long received,
        long malformed,
        long handlerErrors,
        long reconnects,
        int subscriptions) {
}
