package dev.wskit.redis.internal.history;

import java.nio.charset.StandardCharsets;

import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The two Redis keys of a channel's history: the stream of its messages and the hash with its epoch and last offset.
 * Both hash to the cluster slot of the channel itself, so that one script can append to the stream and publish on
 * the channel, also as a sharded channel ({@code SPUBLISH} in a script must stay in the slot of its keys).
 *
 * <p>A channel's slot is that of its hash tag (the text between its first {@code {} and the next {@code }}, if not
 * empty) or else of its whole name. A channel without a tag (and without {@code }}) has the keys {@code {C}:h} and
 * {@code {C}:m}, {@code C} its name on the wire ({@code {ws:room}:h}); a channel with the tag {@code T} has
 * {@code {T}:C:h} and {@code {T}:C:m}. A name whose slot no tag can express (no valid tag, and a {@code }} in it,
 * say {@code ws:a}b}) gets {@code {wskit-slot-N}:C:h}, with the smallest {@code N} of the same slot: the same on
 * every instance.
 */
public final class HistoryKeys {

    private final String stream;
    private final String meta;
    private final int slot;

    private HistoryKeys(String prefix, int slot) {
        this.stream = prefix + ":h";
        this.meta = prefix + ":m";
        this.slot = slot;
    }

    /**
     * Return the keys of a channel.
     *
     * @param wire the channel as on the wire (namespace included)
     */
    public static HistoryKeys of(String wire) {
        int slot = JedisClusterCRC16.getSlot(wire);
        String tag = hashTag(wire);
        if (tag == null && wire.indexOf('}') < 0) {
            // the whole name is hashed, and can be the tag itself
            return new HistoryKeys("{" + wire + "}", slot);
        }
        // several channels share the tag: the name after it keeps their keys apart
        return new HistoryKeys("{" + (tag != null ? tag : slotTag(slot)) + "}:" + wire, slot);
    }

    /** The hash tag Redis uses for a key: the non-empty text between the first '{' and the next '}'; else null. */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return null;
        }
        int close = key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : null;
    }

    /** The first tag {@code wskit-slot-N} that hashes to {@code slot} (16384 slots: found within a few 10k tries). */
    static String slotTag(int slot) {
        for (int n = 0; ; n++) {
            String tag = "wskit-slot-" + n;
            if (JedisClusterCRC16.getSlot(tag) == slot) {
                return tag;
            }
        }
    }

    /** The stream of the channel's messages. */
    public String stream() {
        return stream;
    }

    /** The hash of the channel's epoch ({@code e}) and last offset ({@code o}). */
    public String meta() {
        return meta;
    }

    /** The cluster slot of the channel and of both keys. */
    public int slot() {
        return slot;
    }

    byte[] streamBytes() {
        return stream.getBytes(StandardCharsets.UTF_8);
    }

    byte[] metaBytes() {
        return meta.getBytes(StandardCharsets.UTF_8);
    }
}
