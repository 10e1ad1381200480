package dev.wskit.redis.internal.websocket.delivery;

import dev.wskit.redis.StreamPosition;

/**
 * One message of a history room as this instance hands it to the room's local sessions: its position and its frame,
 * encoded once and shared by every session's queue.
 *
 * @param position the message's position; never {@code null}
 * @param frame the {@code message} frame of {@link HistoryFrames}; never {@code null}
 */
public record HistoryMessage(StreamPosition position, String frame) {

    /**
     * Return the message of a room.
     *
     * @param room the room; must not be {@code null}
     * @param position the position; must not be {@code null}
     * @param payload the message as published; must not be {@code null}
     * @return the message with its frame
     */
    public static HistoryMessage of(String room, StreamPosition position, String payload) {
        return new HistoryMessage(position, HistoryFrames.message(room, position, payload));
    }
}
