/**
 * Where the data connections should go: the cluster slot map and its refresh ({@code ClusterTopology}), the
 * factory for classic-cluster connections that follows it, and the Sentinel watcher that reports master switches.
 *
 * <p>Uses {@code connection} and {@code support}.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.topology;
