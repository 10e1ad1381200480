/**
 * Operability of the core: the loopback canary ({@code Canary}), what readiness checks and JMX see of an instance
 * ({@code HealthView}, {@code InstanceMonitor}), and its MBean ({@code JmxRegistration}). Uses {@code support}
 * only; knows nothing of CDI, MicroProfile Health or WebSocket.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 *
 * @since 0.2
 */
package dev.wskit.redis.internal.health;
