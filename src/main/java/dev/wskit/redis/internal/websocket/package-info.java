/**
 * The implementation of the WebSocket layer: deployment (a {@code ServerApplicationConfig} and a
 * {@code ServletContainerInitializer}), the delegating endpoint, rooms, send queues, sender exclusion and settings.
 *
 * <p>Not API: it may change without notice. Use {@link dev.wskit.redis.websocket}.
 */
package dev.wskit.redis.internal.websocket;
