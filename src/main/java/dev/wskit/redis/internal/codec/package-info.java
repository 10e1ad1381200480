/**
 * Bytes and names on the wire: the default serializer and deserializer ({@code DefaultCodec}, the original's
 * table), the bounded JSON reader ({@code Json}) and the mapping of channel names to wire names with the namespace
 * ({@code ChannelNames}).
 *
 * <p>Uses {@code support} only.
 *
 * <p>This package is not API: its classes are public only for use by the library's other packages, and they may
 * change or disappear without notice in any release.
 */
package dev.wskit.redis.internal.codec;
