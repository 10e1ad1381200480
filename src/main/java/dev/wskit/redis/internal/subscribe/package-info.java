/**
 * The receiving side: the registry of wanted channels and patterns ({@code Subscriber}), the connections that
 * hold them in Redis and replay them after a reconnect ({@code SubscriberLink}, written by {@code LinkWriter}), and
 * the dispatch of a received message to its handlers ({@code Dispatcher}, shared with the in-memory implementation).
 * They report to their owner through {@code SubscriberEvents} only.
 *
 * <p>Uses {@code codec}, {@code connection}, {@code topology} and {@code support}.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.subscribe;
