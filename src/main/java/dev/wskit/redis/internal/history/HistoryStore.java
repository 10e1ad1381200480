package dev.wskit.redis.internal.history;

import java.util.concurrent.CompletableFuture;

import dev.wskit.redis.History;
import dev.wskit.redis.StreamPosition;

/**
 * Where the histories of the channels are: Redis ({@link RedisHistoryStore}) or, for the in-memory implementation,
 * the broker's memory ({@link MemoryHistoryStore}). Both publish the envelope ({@link Envelope}) on the channel in the
 * same atomic step as the append, so offsets and the order on the channel agree. Neither blocks its caller.
 */
public interface HistoryStore {

    /**
     * Append a message to a channel's history and publish it.
     *
     * @param wire the channel on the wire
     * @param payload the serialized message
     * @return completes with the message's position
     */
    CompletableFuture<StreamPosition> append(String wire, String payload);

    /**
     * Read up to {@code count} messages after {@code since} (from the oldest kept when {@code null}), with the
     * channel's position, creating its epoch if it has none.
     *
     * @param count 0 for the position only
     * @return completes with what was read
     */
    CompletableFuture<History> read(String wire, StreamPosition since, int count);
}
