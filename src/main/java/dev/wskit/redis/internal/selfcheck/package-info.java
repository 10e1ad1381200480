/**
 * The start-up self-check of an instance: what the Redis deployment it reached can do for it. Not API: may change
 * without notice.
 */
package dev.wskit.redis.internal.selfcheck;
