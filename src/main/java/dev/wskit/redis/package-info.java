/**
 * Redis publish/subscribe between the instances of a Jakarta EE WebSocket application.
 *
 * <p>{@link dev.wskit.redis.RedisPubSub} publishes messages to namespaced Redis channels and delivers the messages
 * of subscribed channels and patterns to handlers, reconnecting and resubscribing after a lost connection.
 * {@link dev.wskit.redis.RedisPubSubOptions} configures it, with the options and defaults of the original
 * {@code @ws-kit/redis-pubsub}. Everything outside this package is not API.
 *
 * @since 0.1
 */
package dev.wskit.redis;
