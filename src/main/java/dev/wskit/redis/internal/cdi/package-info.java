/**
 * The implementation of {@code dev.wskit.redis.cdi}: the {@code wskit.redis.*} keys (read through
 * {@link dev.wskit.redis.internal.config}, checked against the options' rules), creating and destroying the
 * {@code RedisPubSub} bean, the container's thread factory and the lifecycle events.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 *
 * @since 0.1
 */
package dev.wskit.redis.internal.cdi;
