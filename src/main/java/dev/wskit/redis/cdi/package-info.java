/**
 * CDI integration: an injectable {@code @ApplicationScoped} {@link dev.wskit.redis.RedisPubSub} configured with
 * MicroProfile Config, its lifecycle events, and the qualifier of the beans an application can replace parts with.
 *
 * <p>{@link dev.wskit.redis.cdi.RedisPubSubExtension} is registered through the service loader, so adding the jar
 * is enough; see it for the keys, the threads and the lifecycle. The events are
 * {@link dev.wskit.redis.cdi.RedisConnected}, {@link dev.wskit.redis.cdi.RedisDisconnected} and
 * {@link dev.wskit.redis.cdi.RedisError}; {@link dev.wskit.redis.cdi.RedisPubSubClient} qualifies replacements.
 *
 * @since 0.1
 */
package dev.wskit.redis.cdi;
