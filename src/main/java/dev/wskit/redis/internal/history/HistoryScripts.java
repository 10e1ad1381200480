package dev.wskit.redis.internal.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;

/**
 * The two Lua scripts of channels with history and their replies. Each runs atomically in Redis, on the master of the
 * channel's slot (see {@link HistoryKeys}):
 * <ul>
 * <li><b>publish</b>: takes the channel's epoch (creating it, and dropping a stream left from a lost epoch, when the
 * hash is gone), increments the last offset, appends the message to the stream under the id {@code <offset>-0}
 * (capped with {@code MAXLEN ~}), renews both keys' time-to-live, and publishes the envelope
 * {@code w1:<offset>:<epoch>:<payload>} on the channel ({@code PUBLISH} or {@code SPUBLISH}). Offsets and the order
 * of the stream and of the channel therefore agree.</li>
 * <li><b>read</b>: the epoch and last offset (creating the epoch as above when missing, so that a position is always
 * known) and up to {@code count} entries after an offset ({@code XRANGE (<offset>-0 + COUNT n}), or from the oldest
 * kept when the reader's epoch is not the channel's.</li>
 * </ul>
 * They are sent with {@code EVAL} (Redis keeps the compiled script by its SHA; nothing to load after a restart or a
 * failover, and the order of the publishes on one connection is kept).
 */
public final class HistoryScripts {

    static final String PUBLISH = String.join("\n",
            "local e = redis.call('HGET', KEYS[2], 'e')",
            "if not e then",
            "  e = ARGV[6]",
            "  redis.call('DEL', KEYS[1])",
            "  redis.call('HSET', KEYS[2], 'e', e)",
            "end",
            "local o = redis.call('HINCRBY', KEYS[2], 'o', 1)",
            "redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], string.format('%d-0', o), 'p', ARGV[2])",
            "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
            "redis.call('PEXPIRE', KEYS[2], ARGV[5])",
            "redis.call(ARGV[7], ARGV[1], string.format('w1:%d:', o) .. e .. ':' .. ARGV[2])",
            "return {o, e}");

    /**
     * The publish script for several messages at once (a group of consecutive publishes of one batch, see
     * {@code BatchWriter.group}): the same steps per message, in order, with each channel's epoch taken and its
     * offsets reserved once ({@code HINCRBY} by the channel's count) and the keys' time-to-live renewed once. KEYS:
     * the stream and hash of each message; ARGV: the count, then channel, payload and new-epoch candidate per message,
     * then size, time-to-live, meta time-to-live and the publish command. Returns {@code {offset, epoch}} per message.
     */
    static final String PUBLISH_MANY = String.join("\n",
            "local n = tonumber(ARGV[1])",
            "local size, ttl, metaTtl, cmd = ARGV[3*n+2], ARGV[3*n+3], ARGV[3*n+4], ARGV[3*n+5]",
            "local count, epoch, nextOffset, order = {}, {}, {}, {}",
            "for i = 1, n do",
            "  local km = KEYS[2*i]",
            "  if not count[km] then count[km] = 0; order[#order + 1] = i end",
            "  count[km] = count[km] + 1",
            "end",
            "for _, i in ipairs(order) do",
            "  local ks, km = KEYS[2*i-1], KEYS[2*i]",
            "  local e = redis.call('HGET', km, 'e')",
            "  if not e then",
            "    e = ARGV[3*i+1]",
            "    redis.call('DEL', ks)",
            "    redis.call('HSET', km, 'e', e)",
            "  end",
            "  epoch[km] = e",
            "  nextOffset[km] = redis.call('HINCRBY', km, 'o', count[km]) - count[km]",
            "end",
            "local out = {}",
            "for i = 1, n do",
            "  local ks, km = KEYS[2*i-1], KEYS[2*i]",
            "  local o = nextOffset[km] + 1",
            "  nextOffset[km] = o",
            "  local payload = ARGV[3*i]",
            "  redis.call('XADD', ks, 'MAXLEN', '~', size, string.format('%d-0', o), 'p', payload)",
            "  redis.call(cmd, ARGV[3*i-1], string.format('w1:%d:', o) .. epoch[km] .. ':' .. payload)",
            "  out[i] = {o, epoch[km]}",
            "end",
            "for _, i in ipairs(order) do",
            "  redis.call('PEXPIRE', KEYS[2*i-1], ttl)",
            "  redis.call('PEXPIRE', KEYS[2*i], metaTtl)",
            "end",
            "return out");

    static final String READ = String.join("\n",
            "local e = redis.call('HGET', KEYS[2], 'e')",
            "if not e then",
            "  e = ARGV[3]",
            "  redis.call('DEL', KEYS[1])",
            "  redis.call('HSET', KEYS[2], 'e', e, 'o', 0)",
            "end",
            "redis.call('PEXPIRE', KEYS[2], ARGV[4])",
            "local o = redis.call('HGET', KEYS[2], 'o') or '0'",
            "local after = ARGV[1]",
            "if ARGV[5] ~= '' and ARGV[5] ~= e then",
            "  after = '0'",
            "end",
            "local entries = {}",
            "if tonumber(ARGV[2]) > 0 then",
            "  entries = redis.call('XRANGE', KEYS[1], '(' .. after .. '-0', '+', 'COUNT', ARGV[2])",
            "end",
            "return {e, o, entries}");

    private static final byte[] PUBLISH_BYTES = PUBLISH.getBytes(StandardCharsets.UTF_8);
    private static final byte[] READ_BYTES = READ.getBytes(StandardCharsets.UTF_8);
    private static final byte[] PUBLISH_MANY_BYTES = PUBLISH_MANY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = {'2'};
    private static final byte[] PUBLISH_COMMAND = bytes("PUBLISH");
    private static final byte[] SPUBLISH_COMMAND = bytes("SPUBLISH");
    private static final char[] EPOCH_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .toCharArray();

    private HistoryScripts() {
    }

    /** The arguments of {@code EVAL} (after the command) for a publish with history. */
    public static byte[][] publishArgs(HistoryKeys keys, byte[] wire, byte[] payload, HistorySettings settings,
            boolean sharded) {
        return new byte[][] {PUBLISH_BYTES, TWO, keys.streamBytes(), keys.metaBytes(), wire, payload,
            bytes(Integer.toString(settings.size())), bytes(Long.toString(settings.ttlMillis())),
            bytes(Long.toString(settings.metaTtlMillis())), bytes(newEpoch()),
            sharded ? SPUBLISH_COMMAND : PUBLISH_COMMAND};
    }

    /**
     * The arguments of one call of {@link #PUBLISH_MANY} for publishes whose single-call arguments are
     * {@code members} (built by {@link #publishArgs}, with the same settings and publish command).
     */
    public static byte[][] publishManyArgs(List<byte[][]> members) {
        int n = members.size();
        byte[][] args = new byte[2 + 2 * n + 1 + 3 * n + 4][];
        args[0] = PUBLISH_MANY_BYTES;
        args[1] = bytes(Integer.toString(2 * n));
        int a = 2;
        for (byte[][] m : members) {
            args[a++] = m[2];
            args[a++] = m[3];
        }
        args[a++] = bytes(Integer.toString(n));
        for (byte[][] m : members) {
            args[a++] = m[4];
            args[a++] = m[5];
            args[a++] = m[9];
        }
        byte[][] first = members.get(0);
        args[a++] = first[6];
        args[a++] = first[7];
        args[a++] = first[8];
        args[a] = first[10];
        return args;
    }

    /** The arguments of {@code EVAL} (after the command) for reading up to {@code count} entries after an offset. */
    public static byte[][] readArgs(HistoryKeys keys, StreamPosition since, int count, HistorySettings settings) {
        return new byte[][] {READ_BYTES, TWO, keys.streamBytes(), keys.metaBytes(),
            bytes(Long.toString(since == null ? 0 : since.offset())), bytes(Integer.toString(count)), bytes(newEpoch()),
            bytes(Long.toString(settings.metaTtlMillis())), bytes(since == null ? "" : since.epoch())};
    }

    /** The position a publish reply ({@code {offset, epoch}}) gives. */
    public static StreamPosition publishReply(Object reply) {
        List<?> list = (List<?>) reply;
        return StreamPosition.of((Long) list.get(0), text(list.get(1)));
    }

    /**
     * What a read reply ({@code {epoch, offset, entries}}) means for a reader at {@code since}.
     *
     * @param since the position the reader has, {@code null} for "from the oldest message kept"
     */
    public static History readReply(Object reply, StreamPosition since) {
        List<?> list = (List<?>) reply;
        StreamPosition top = StreamPosition.of(Long.parseLong(text(list.get(1))), text(list.get(0)));
        List<History.Entry> entries = new ArrayList<>();
        for (Object e : (List<?>) list.get(2)) {
            List<?> entry = (List<?>) e;
            String id = text(entry.get(0));
            long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
            List<?> fields = (List<?>) entry.get(1);
            entries.add(History.Entry.of(StreamPosition.of(offset, top.epoch()), text(fields.get(1))));
        }
        return result(top, entries, since);
    }

    /** What entries read after {@code since} mean, with the channel's position {@code top}. */
    static History result(StreamPosition top, List<History.Entry> entries, StreamPosition since) {
        MessageLoss.Reason reason = null;
        if (since != null && !since.epoch().equals(top.epoch())) {
            reason = MessageLoss.Reason.HISTORY_RESET;
        } else if (since != null && since.offset() > top.offset()) {
            // a position ahead of the channel: not from this history
            reason = MessageLoss.Reason.HISTORY_RESET;
        } else if (since != null && since.offset() < top.offset()
                && (entries.isEmpty() || entries.get(0).position().offset() != since.offset() + 1)) {
            reason = MessageLoss.Reason.NOT_IN_HISTORY;
        }
        return History.of(top, entries, reason);
    }

    /** A new random epoch: 16 characters of [0-9a-zA-Z], about 95 bits. */
    static String newEpoch() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] epoch = new char[16];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = EPOCH_CHARS[random.nextInt(EPOCH_CHARS.length)];
        }
        return new String(epoch);
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
