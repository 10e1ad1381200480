/**
 * The implementation of {@code dev.wskit.redis}: the instance that ties the parts together ({@code RedisPubSubImpl},
 * its connection state machine {@code ConnectionState}, the callback thread {@code CallbackRunner} and the
 * {@code Housekeeper}), the in-memory implementation ({@code LocalPubSub}), and the checks both share
 * ({@code PubSubFront}). The parts live in sub-packages that follow a message: {@code publish}, {@code subscribe},
 * {@code codec}, {@code connection}, {@code topology}, {@code support}; {@code cdi} and {@code websocket} implement
 * the integrations. See {@code docs/architecture.md}.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 *
 * @since 0.1
 */
package dev.wskit.redis.internal;
