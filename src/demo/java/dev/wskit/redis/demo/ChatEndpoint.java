package dev.wskit.redis.demo;

import jakarta.websocket.server.ServerEndpoint;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The demo's chat, and all the code it needs: a client connecting to {@code /chat/lobby} joins the channel
 * {@code lobby} on every instance; what it sends reaches every client in that room on every instance, through Redis.
 */
@ServerEndpoint("/chat/{room}")
public class ChatEndpoint extends RedisPubSubEndpoint {
}
