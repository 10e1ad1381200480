/**
 * The WebSocket layer: a base class for {@code @ServerEndpoint} classes whose sessions talk to each other through
 * Redis, across every server instance of an application.
 *
 * <p>{@link dev.wskit.redis.websocket.RedisPubSubEndpoint} is the extension point: rooms (channels), an authorization
 * hook, per-session bounded send queues with an {@link dev.wskit.redis.websocket.OverflowPolicy}, and optional
 * exclusion of the sender. The library deploys its subclasses itself in a servlet container;
 * {@link dev.wskit.redis.websocket.RedisPubSubEndpoints} registers them elsewhere.
 *
 * @since 0.1
 */
package dev.wskit.redis.websocket;
