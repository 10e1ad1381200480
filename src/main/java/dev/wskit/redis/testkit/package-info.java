/**
 * Test doubles for applications that use this library: {@link dev.wskit.redis.testkit.InMemoryRedisPubSub}, a
 * {@link dev.wskit.redis.RedisPubSub} that needs no Redis, and
 * {@link dev.wskit.redis.testkit.EndpointTester}, which drives a
 * {@link dev.wskit.redis.websocket.RedisPubSubEndpoint} subclass with fake sessions, without a WebSocket container.
 *
 * <p>{@code InMemoryRedisPubSub} needs nothing beyond the library itself (JSON-B only where the real one needs it);
 * {@code EndpointTester} needs the Jakarta WebSocket API on the test class path, which an application that has an
 * endpoint has anyway.
 *
 * @since 0.2
 */
package dev.wskit.redis.testkit;
