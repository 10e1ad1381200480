package dev.wskit.redis.internal.history;

/**
 * How much history each channel keeps in Redis.
 *
 * @param size the entries kept per channel (at least; Redis trims approximately)
 * @param ttlMillis how long the history lives after the last publish
 * @param metaTtlMillis how long the epoch and last offset live after the last publish or read
 */
public record HistorySettings(int size, long ttlMillis, long metaTtlMillis) {
}
