package dev.wskit.examples.minimal;

import jakarta.websocket.server.ServerEndpoint;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The whole application: a client connecting to {@code /chat/lobby} joins the room {@code lobby}, and what it sends
 * reaches every client in that room on every instance, through Redis. No {@code beans.xml}, no CDI annotation.
 */
@ServerEndpoint("/chat/{room}")
public class ChatEndpoint extends RedisPubSubEndpoint {
}
