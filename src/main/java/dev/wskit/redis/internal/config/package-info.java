/**
 * Reading MicroProfile Config, for both layers that have keys: the CDI layer ({@code wskit.redis.*}) and the
 * WebSocket layer ({@code wskit.redis.websocket.*}).
 *
 * <p>What lives here: the only access to the MicroProfile Config API ({@link
 * dev.wskit.redis.internal.config.MicroProfileConfig}, which keeps the API optional where a layer does not need it),
 * the lookup of values by key ({@link dev.wskit.redis.internal.config.ConfigLookup}), the typed reader that notes
 * every problem ({@link dev.wskit.redis.internal.config.ConfigValues}) and the one form of a problem: key, rule,
 * value masked ({@link dev.wskit.redis.internal.config.ConfigProblem}, thrown together in an
 * {@link dev.wskit.redis.internal.config.InvalidValuesException}).
 *
 * <p>What it may use: the MicroProfile Config API (only in {@code MicroProfileConfig}), the core's public API for the
 * options' problems, and {@link dev.wskit.redis.internal.support} (masking). Nothing of CDI or WebSocket.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.config;
