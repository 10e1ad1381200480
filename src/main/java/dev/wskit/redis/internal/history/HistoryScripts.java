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
 * <li><b>publish</b> ({@link #PUBLISH} for a message sent alone, {@link #PUBLISH_MANY} for several consecutive ones
 * of one batch, see {@code BatchWriter.group}): takes each channel's epoch (creating it, and dropping a stream left from a lost epoch,
 * when the hash is gone), reserves the channel's next offsets ({@code HINCRBY} by its count), and then, for each run
 * of consecutive messages of one channel (at most {@value #MAX_RUN}), appends them to the stream as ONE entry whose id
 * is the run's first offset ({@code <first>-0}, a field {@code p} per message, in order) and publishes them as ONE
 * message: the envelope {@code w1:<offset>:<epoch>:<payload>} for a run of one, the batch envelope
 * {@code w2:<first>:<epoch>:<count>(:<length>:<payload>)*} otherwise (see {@link Envelope}). The stream is trimmed by
 * offset ({@code MINID}, exact), so it keeps the last {@code size} messages and at most {@value #MAX_RUN} - 1 more,
 * whatever the runs were (exact trimming frees no memory sooner than {@code ~}: Redis frees a node of the stream
 * when all its entries are gone; it only keeps older entries from being read); both keys' time-to-live are
 * renewed. Offsets and the order of the stream and of the channel therefore agree. One entry and
 * one {@code PUBLISH} per run instead of per message is what makes a busy channel with history cheap for Redis
 * (measured: about 1.8 times the messages per second of one entry and one publish per message).</li>
 * <li><b>read</b> ({@link #READ}): the epoch and last offset (creating the epoch as above when missing, so that a
 * position is always known) and up to {@code count} messages after an offset (from the entry that holds the next
 * offset on), or from the oldest kept when the reader's epoch is not the channel's. It reads the stream a few entries
 * at a time, so a reply holds {@code count} messages however the entries were batched.</li>
 * </ul>
 * They are sent with {@code EVAL} (Redis keeps the compiled script by its SHA; nothing to load after a restart or a
 * failover, and the order of the publishes on one connection is kept).
 */
public final class HistoryScripts {

    /** The most consecutive messages of one channel stored as one stream entry and published as one message. */
    static final int MAX_RUN = 64;

    /**
     * The publish script for one message (a publish sent alone: what a channel at a low rate sends, so kept to the
     * fewest steps). KEYS: the stream and hash; ARGV: channel, payload, size, time-to-live, meta time-to-live,
     * new-epoch candidate, publish command. Returns {@code {offset, epoch}}.
     */
    static final String PUBLISH = String.join("\n",
            "local e = redis.call('HGET', KEYS[2], 'e')",
            "if not e then",
            "  e = ARGV[6]",
            "  redis.call('DEL', KEYS[1])",
            "  redis.call('HSET', KEYS[2], 'e', e)",
            "end",
            "local o = redis.call('HINCRBY', KEYS[2], 'o', 1)",
            "local minid = o - tonumber(ARGV[3]) - " + (MAX_RUN - 2),
            "if minid < 0 then minid = 0 end",
            "redis.call('XADD', KEYS[1], 'MINID', string.format('%d', minid), string.format('%d-0', o), 'p', ARGV[2])",
            "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
            "redis.call('PEXPIRE', KEYS[2], ARGV[5])",
            "redis.call(ARGV[7], ARGV[1], string.format('w1:%d:', o) .. e .. ':' .. ARGV[2])",
            "return {o, e}");

    /**
     * The publish script for several messages. KEYS: the stream and hash of each message; ARGV: the count, then channel, payload and
     * new-epoch candidate per message, then size, time-to-live, meta time-to-live and the publish command. Returns
     * {@code {offset, epoch}} per message.
     */
    static final String PUBLISH_MANY = String.join("\n",
            "local n = tonumber(ARGV[1])",
            "local size, ttl, metaTtl, cmd = tonumber(ARGV[3*n+2]), ARGV[3*n+3], ARGV[3*n+4], ARGV[3*n+5]",
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
            "local i = 1",
            "while i <= n do",
            "  local ks, km = KEYS[2*i-1], KEYS[2*i]",
            "  local j = i",
            "  while j < n and j - i < " + MAX_RUN + " - 1 and KEYS[2*j+2] == km do j = j + 1 end",
            "  local e = epoch[km]",
            "  local first = nextOffset[km] + 1",
            "  local last = nextOffset[km] + j - i + 1",
            "  nextOffset[km] = last",
            "  local fields = {}",
            "  for k = i, j do",
            "    fields[#fields + 1] = 'p'",
            "    fields[#fields + 1] = ARGV[3*k]",
            "    out[k] = {first + k - i, e}",
            "  end",
            // the entry holding offset last - size + 1 starts at most MAX_RUN - 1 before it
            "  local minid = last - size - " + (MAX_RUN - 2),
            "  if minid < 0 then minid = 0 end",
            "  redis.call('XADD', ks, 'MINID', string.format('%d', minid), string.format('%d-0', first),"
                    + " unpack(fields))",
            "  if j == i then",
            "    redis.call(cmd, ARGV[3*i-1], string.format('w1:%d:', first) .. e .. ':' .. ARGV[3*i])",
            "  else",
            "    local parts = {string.format('w2:%d:', first), e, ':', j - i + 1}",
            "    for k = i, j do",
            "      local p = ARGV[3*k]",
            "      parts[#parts + 1] = ':' .. #p .. ':'",
            "      parts[#parts + 1] = p",
            "    end",
            "    redis.call(cmd, ARGV[3*i-1], table.concat(parts))",
            "  end",
            "  i = j + 1",
            "end",
            "for _, i in ipairs(order) do",
            "  redis.call('PEXPIRE', KEYS[2*i-1], ttl)",
            "  redis.call('PEXPIRE', KEYS[2*i], metaTtl)",
            "end",
            "return out");

    /**
     * The read script. KEYS: the stream and hash; ARGV: the offset to read after, the most messages, a new-epoch
     * candidate, the meta time-to-live and the reader's epoch ({@code ""}: none). Returns
     * {@code {epoch, lastOffset, {offset, payload, offset, payload, ...}}}.
     */
    static final String READ = String.join("\n",
            "local e = redis.call('HGET', KEYS[2], 'e')",
            "if not e then",
            "  e = ARGV[3]",
            "  redis.call('DEL', KEYS[1])",
            "  redis.call('HSET', KEYS[2], 'e', e, 'o', 0)",
            "end",
            "redis.call('PEXPIRE', KEYS[2], ARGV[4])",
            "local o = redis.call('HGET', KEYS[2], 'o') or '0'",
            "local after = tonumber(ARGV[1])",
            "if ARGV[5] ~= '' and ARGV[5] ~= e then",
            "  after = 0",
            "end",
            "local want = tonumber(ARGV[2])",
            "local out = {}",
            "if want > 0 then",
            "  local from = '-'",
            "  if after > 0 then",
            "    local holder = redis.call('XREVRANGE', KEYS[1], string.format('%d-0', after + 1), '-', 'COUNT', 1)",
            "    if #holder > 0 then from = holder[1][1] end",
            "  end",
            "  while #out < 2 * want do",
            "    local entries = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 8)",
            "    if #entries == 0 then break end",
            "    for _, entry in ipairs(entries) do",
            "      local id = entry[1]",
            "      local first = tonumber(string.sub(id, 1, string.find(id, '-', 1, true) - 1))",
            "      local fields = entry[2]",
            "      for k = 2, #fields, 2 do",
            "        local offset = first + k / 2 - 1",
            "        if offset > after and #out < 2 * want then",
            "          out[#out + 1] = offset",
            "          out[#out + 1] = fields[k]",
            "        end",
            "      end",
            "      from = '(' .. id",
            "    end",
            "  end",
            "end",
            "return {e, o, out}");

    private static final byte[] PUBLISH_BYTES = PUBLISH.getBytes(StandardCharsets.UTF_8);
    private static final byte[] PUBLISH_MANY_BYTES = PUBLISH_MANY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] READ_BYTES = READ.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TWO = {'2'};
    private static final byte[] PUBLISH_COMMAND = bytes("PUBLISH");
    private static final byte[] SPUBLISH_COMMAND = bytes("SPUBLISH");
    private static final char[] EPOCH_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .toCharArray();

    private HistoryScripts() {
    }

    /**
     * The arguments of {@code EVAL} (after the command) for a publish with history of one message ({@link #PUBLISH});
     * several such calls of one batch are sent as one with {@link #publishManyArgs}.
     */
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

    /**
     * The position a publish reply gives: {@code {offset, epoch}} (a member's part of a grouped call's reply), or
     * {@code {{offset, epoch}}} (the reply of a call sent alone).
     */
    public static StreamPosition publishReply(Object reply) {
        List<?> list = (List<?>) reply;
        if (list.get(0) instanceof List<?> only) {
            list = only;
        }
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
        List<?> flat = (List<?>) list.get(2);
        List<History.Entry> entries = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            entries.add(History.Entry.of(StreamPosition.of((Long) flat.get(i), top.epoch()), text(flat.get(i + 1))));
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
