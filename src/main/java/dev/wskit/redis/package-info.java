/**
 * Redis publish/subscribe between the instances of a Jakarta EE WebSocket application.
 *
 * <p>{@link dev.wskit.redis.RedisPubSub} publishes messages to namespaced Redis channels and delivers the messages
 * of subscribed channels and patterns to handlers, reconnecting and resubscribing after a lost connection.
 * {@link dev.wskit.redis.RedisPubSubOptions} configures it, with the options and defaults of the original
 * {@code @ws-kit/redis-pubsub}.
 *
 * <p>The API is this package, {@link dev.wskit.redis.cdi} (the CDI bean, its configuration keys and events),
 * {@link dev.wskit.redis.websocket} (the endpoint base class) and the test support in
 * {@code dev.wskit.redis.testkit}. Packages named {@code internal} are not API and change without notice.
 *
 * @since 0.1
 */
package dev.wskit.redis;
