/**
 * The implementation of {@code dev.wskit.redis}: the Jedis-based engine, the default codec, channel naming and
 * backoff.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 *
 * @since 0.1
 */
package dev.wskit.redis.internal;
