/**
 * Opening, closing and re-opening connections to Redis: the factories for standalone, Sentinel and pre-configured
 * clients, client settings (TLS, credentials, timeouts), one-socket connections that never silently reconnect, the
 * one reconnect policy every connection uses ({@code Reconnect}: backoff with jitter, early wake-ups, quiet
 * logging), and the only access to Jedis beyond its public API ({@code JedisAccess}).
 *
 * <p>Uses {@code support} only.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.connection;
