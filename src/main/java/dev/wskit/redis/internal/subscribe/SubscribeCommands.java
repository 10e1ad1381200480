package dev.wskit.redis.internal.subscribe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The commands a {@link SubscriberLink} writes and the replies it expects: their kinds, the names Redis uses in its
 * replies and pushes, one command written and not fully answered yet ({@link PendingCommand}), and how entries are
 * split into commands.
 */
final class SubscribeCommands {

    static final int MAX_CHANNELS_PER_COMMAND = 1000;
    static final byte[] MESSAGE = bytes("message");
    static final byte[] SMESSAGE = bytes("smessage");
    static final byte[] PMESSAGE = bytes("pmessage");
    static final byte[] SUBSCRIBE = bytes("subscribe");
    static final byte[] UNSUBSCRIBE = bytes("unsubscribe");
    static final byte[] PSUBSCRIBE = bytes("psubscribe");
    static final byte[] PUNSUBSCRIBE = bytes("punsubscribe");
    static final byte[] SSUBSCRIBE = bytes("ssubscribe");
    static final byte[] SUNSUBSCRIBE = bytes("sunsubscribe");
    static final byte[] PONG = bytes("pong");
    static final byte[] PONG_STATUS = bytes("PONG");

    enum Kind {
        SUBSCRIBE(Protocol.Command.SUBSCRIBE, true),
        UNSUBSCRIBE(Protocol.Command.UNSUBSCRIBE, false),
        PSUBSCRIBE(Protocol.Command.PSUBSCRIBE, true),
        PUNSUBSCRIBE(Protocol.Command.PUNSUBSCRIBE, false),
        SSUBSCRIBE(Protocol.Command.SSUBSCRIBE, true),
        SUNSUBSCRIBE(Protocol.Command.SUNSUBSCRIBE, false),
        PONG(Protocol.Command.PING, false);

        final ProtocolCommand command;
        final boolean subscribes;

        Kind(ProtocolCommand command, boolean subscribes) {
            this.command = command;
            this.subscribes = subscribes;
        }

        boolean sharded() {
            return this == SSUBSCRIBE || this == SUNSUBSCRIBE;
        }
    }

    /** One command written and not fully answered yet: one reply per channel, or one error for all. */
    static final class PendingCommand {
        final Kind kind;
        final List<ChannelEntry> entries;
        final Runnable onAck;
        int answered;
        /** When a PING was written (wall clock), for the subscriptions' gaps; {@code null} until then. */
        Instant sent;

        PendingCommand(Kind kind, List<ChannelEntry> entries, Runnable onAck) {
            this.kind = kind;
            this.entries = entries;
            this.onAck = onAck;
        }

        int expected() {
            return kind == Kind.PONG ? 1 : entries.size();
        }

        String nextWire() {
            return answered < entries.size() ? entries.get(answered).wire : null;
        }

        List<String> wires() {
            List<String> wires = new ArrayList<>(entries.size());
            for (ChannelEntry entry : entries) {
                wires.add(entry.wire);
            }
            return wires;
        }
    }

    /** Split into commands of at most 1000 channels, and for the sharded kinds of one slot each. */
    static List<List<ChannelEntry>> commands(Kind kind, List<ChannelEntry> entries) {
        return commands(entries, kind.sharded(), MAX_CHANNELS_PER_COMMAND);
    }

    /**
     * Split entries into the channel lists of commands: at most {@code max} each, and with {@code bySlot} all of
     * one cluster slot ({@code SSUBSCRIBE a b} with {@code a} and {@code b} in different slots fails with
     * {@code CROSSSLOT}), keeping the order within a slot.
     */
    static List<List<ChannelEntry>> commands(List<ChannelEntry> entries, boolean bySlot, int max) {
        List<List<ChannelEntry>> groups = new ArrayList<>();
        if (bySlot) {
            Map<Integer, List<ChannelEntry>> slots = new LinkedHashMap<>();
            for (ChannelEntry entry : entries) {
                slots.computeIfAbsent(entry.slot, s -> new ArrayList<>()).add(entry);
            }
            groups.addAll(slots.values());
        } else {
            groups.add(entries);
        }
        List<List<ChannelEntry>> commands = new ArrayList<>();
        for (List<ChannelEntry> group : groups) {
            for (int from = 0; from < group.size(); from += max) {
                commands.add(group.subList(from, Math.min(group.size(), from + max)));
            }
        }
        return commands;
    }

    private SubscribeCommands() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
