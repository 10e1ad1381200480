/**
 * The publishing side: {@code publish} only queues ({@code BatchWriter}: bounded in count and bytes); the
 * publisher threads write pipelined batches to one node ({@code SingleNodePublisher}, its replies read by a thread
 * of its own) or to the master of each message's slot ({@code ShardedPublisher}). They report to their owner through
 * {@code PublisherEvents} only.
 *
 * <p>Uses {@code connection}, {@code topology} and {@code support}.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.publish;
