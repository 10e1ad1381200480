package dev.wskit.redis.internal.history;

import java.util.Map;
import java.util.TreeMap;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;

/**
 * The order of one receiver of a channel with history: merges the live messages and what it reads from the
 * history into one sequence, each offset once and in order, and reports every loss. Pure logic, one thread; the
 * owner does the I/O its {@link Output} asks for.
 *
 * <p>The receiver is subscribed before its first read (so whatever is published after the read also arrives live).
 * A live message is delivered when it is the next offset; one further ahead waits (bounded) while the missing range
 * is read; one at or below the last delivered offset is a duplicate and dropped. A read result delivers its entries
 * after the last offset, then the waiting messages that follow without a gap; another read follows while a gap
 * remains. A different epoch means the history was reset: the loss is reported and the receiver starts over at offset
 * 0 of the new epoch. Entries that are no longer in the history are reported as lost, then the oldest kept follow.
 */
final class Sequencer {

    /** What the sequencer asks of its owner. */
    interface Output {

        /** Deliver one message (in order, each offset once). */
        void deliver(StreamPosition position, String payload);

        /**
         * Read the history after {@code after}: up to a page of entries, or only the position if {@code positionOnly}.
         * The result goes to {@link #history}, a failure to {@link #readFailed}.
         */
        void read(long after, boolean positionOnly);

        /** Report lost messages: after {@code after} (null: none delivered) and before {@code next}. */
        void lost(StreamPosition after, StreamPosition next, MessageLoss.Reason reason);
    }

    private final int maxAhead;
    /** The epoch of {@link #last}; {@code null} until positioned. */
    private String epoch;
    /** The offset of the last message delivered (or the starting position). */
    private long last;
    /** Live messages past a gap, by offset. */
    private final TreeMap<Long, Envelope> ahead = new TreeMap<>();
    private boolean reading;
    /** A read is wanted once the one in flight ends (a reconnect while reading, messages dropped). */
    private boolean readAgain;

    /**
     * @param since where the receiver continues from; {@code null} to start at the channel's position when
     *        subscribed
     * @param maxAhead the most live messages kept while a gap is read
     */
    Sequencer(StreamPosition since, int maxAhead) {
        this.maxAhead = maxAhead;
        if (since != null) {
            this.epoch = since.epoch();
            this.last = since.offset();
        }
    }

    /**
     * The first read: what was missed since the starting position, or the channel's position when there is none.
     * The owner calls {@link #resync} again once the subscription is confirmed, for what was published meanwhile.
     */
    void start(Output out) {
        reading = true;
        out.read(last, epoch == null);
    }

    /** The position of the last message delivered; {@code null} until positioned. */
    StreamPosition position() {
        return epoch == null ? null : StreamPosition.of(last, epoch);
    }

    /** A message arrived live. */
    void live(Envelope m, Output out) {
        long offset = m.position().offset();
        if (epoch == null || reading) {
            keepAhead(m);
            return;
        }
        if (!m.position().epoch().equals(epoch)) {
            // the history was reset: nothing of the old epoch after `last` can be had
            out.lost(position(), null, MessageLoss.Reason.HISTORY_RESET);
            epoch = m.position().epoch();
            last = 0;
            ahead.clear();
        }
        if (offset <= last) {
            return;
        }
        if (offset == last + 1 && ahead.isEmpty()) {
            last = offset;
            out.deliver(m.position(), m.payload());
            return;
        }
        keepAhead(m);
        drainAhead(out);
        if (!ahead.isEmpty()) {
            reading = true;
            out.read(last, false);
        }
    }

    /** The connection was replaced, or live messages were dropped: read what may have been missed. */
    void resync(Output out) {
        if (reading) {
            readAgain = true;
        } else if (epoch != null) {
            reading = true;
            out.read(last, false);
        }
    }

    /** A read failed; the owner calls {@link #resync} later. */
    void readFailed() {
        reading = false;
    }

    /** Whether a read is in flight. */
    boolean reading() {
        return reading;
    }

    /** A read ended with this result. */
    void history(History h, Output out) {
        reading = false;
        String top = h.position().epoch();
        if (epoch == null) {
            // positioned now: at the channel's position, or before the first message that arrived meanwhile
            epoch = top;
            Map.Entry<Long, Envelope> first = ahead.firstEntry();
            last = first != null && first.getValue().position().epoch().equals(top)
                    ? Math.min(h.position().offset(), first.getKey() - 1) : h.position().offset();
        } else if (!top.equals(epoch) || last > h.position().offset()) {
            out.lost(position(), null, MessageLoss.Reason.HISTORY_RESET);
            epoch = top;
            last = 0;
            ahead.values().removeIf(m -> !m.position().epoch().equals(top));
            reading = true;
            out.read(0, false);
            return;
        } else if (!h.recoverable()) {
            // lost: everything before the oldest entry kept, or (none kept) before the first live message waiting,
            // or (none) everything up to the channel's position
            StreamPosition next = h.entries().isEmpty() ? firstAhead() : h.entries().get(0).position();
            out.lost(position(), next, MessageLoss.Reason.NOT_IN_HISTORY);
            last = next != null ? next.offset() - 1 : h.position().offset();
        }
        for (History.Entry e : h.entries()) {
            long offset = e.position().offset();
            if (offset == last + 1) {
                last = offset;
                out.deliver(e.position(), e.payload());
            }
        }
        drainAhead(out);
        if (!h.complete() || !ahead.isEmpty() || readAgain) {
            readAgain = false;
            reading = true;
            out.read(last, false);
        }
    }

    /** The first live message waiting in the current epoch; {@code null} if none. */
    private StreamPosition firstAhead() {
        for (Envelope m : ahead.values()) {
            if (m.position().epoch().equals(epoch)) {
                return m.position();
            }
        }
        return null;
    }

    private void keepAhead(Envelope m) {
        ahead.put(m.position().offset(), m);
        if (ahead.size() > maxAhead) {
            // read back from the history later
            ahead.pollLastEntry();
            readAgain = true;
        }
    }

    /** Deliver the waiting messages that follow {@link #last} without a gap; drop those at or below it. */
    private void drainAhead(Output out) {
        Map.Entry<Long, Envelope> first;
        while ((first = ahead.firstEntry()) != null) {
            Envelope m = first.getValue();
            if (!m.position().epoch().equals(epoch) || first.getKey() <= last) {
                ahead.pollFirstEntry();
            } else if (first.getKey() == last + 1) {
                ahead.pollFirstEntry();
                last = first.getKey();
                out.deliver(m.position(), m.payload());
            } else {
                return;
            }
        }
    }
}
