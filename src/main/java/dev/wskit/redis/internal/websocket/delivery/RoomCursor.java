package dev.wskit.redis.internal.websocket.delivery;

import java.util.ArrayDeque;
import java.util.List;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;

/**
 * Where one session stands in one history room, and the merge of what it reads from the room's history with the
 * room's live messages: every message once, in the order of its offset, the start and every loss told to the client.
 * Pure logic; the owner serializes the calls (one lock per cursor) and does the I/O its {@link Output} asks for.
 *
 * <p>Joining: the session is a member of the room before the cursor {@link #start}s, so every message published
 * after its first read also arrives live; live messages wait in a bounded buffer while it reads. Without a position
 * it reads only the room's position and tells the client ({@code subscribed}); with one it reads the history after
 * that position page by page (sending each entry), then tells the client {@code recovered}, or, when the messages
 * cannot be had (history reset or trimmed, or more than {@code maxReplay} of them), {@code not-recovered} before the
 * messages that follow. Then the buffered messages after its position follow, and it is live.
 *
 * <p>Live: a message at the next offset is sent, one at or below the position is a duplicate and dropped, one
 * further ahead means a gap (the room started after this session's read, or the buffer was full and dropped the
 * newest): it is buffered and the gap read from the history. A message of another epoch means the history was reset:
 * the loss is told and the cursor starts over at offset 0 of that epoch. A loss the room reports ({@link #roomLost})
 * is told to the client; the cursor continues where the room does.
 *
 * <p>Bounded: the buffer by count and bytes (beyond them the newest are dropped and read back from the history),
 * the reads by pages of {@link #PAGE} and by {@code maxReplay} messages per reading.
 */
final class RoomCursor {

    /** What the cursor asks of its owner. */
    interface Output {

        /** Queue a frame for the client. */
        void send(String frame);

        /**
         * Read the room's history after {@code after} (up to {@code limit} entries; 0 for the position only, with
         * {@code after} {@code null}); the result goes to {@link #page}, a failure to the owner.
         */
        void read(StreamPosition after, int limit);

        /**
         * Tell the application that messages were not received.
         *
         * @param since the position the session had before them; {@code null} if none
         * @param position where it continues (the next message it gets is after it); {@code null} if not known yet
         * @param reason why
         * @param onResume {@code true} when found while resuming after {@code since}, {@code false} during the session
         */
        void missed(StreamPosition since, StreamPosition position, HistoryFrames.Reason reason, boolean onResume);
    }

    /** The entries read at a time. */
    static final int PAGE = 200;

    private record Buffered(HistoryMessage message, boolean excluded) {
    }

    private final String room;
    private final int maxReplay;
    private final int maxBuffered;
    private final long maxBufferedBytes;
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    private long bufferedBytes;

    /** The epoch of the position; {@code null} while not positioned. */
    private String epoch;
    /** The offset of the last message the client has (or skipped knowingly). */
    private long last;
    private boolean reading;
    /** The start has not been told yet ({@code subscribed}, {@code recovered} or {@code not-recovered}). */
    private boolean joining;
    /** The position the session resumes after; {@code null} if it joined without one. */
    private StreamPosition since;
    /** Messages sent from the history in the current reading. */
    private long replayed;
    private long droppedFromBuffer;

    /**
     * @param room the room
     * @param maxReplay the most messages sent from the history in one reading (a resume or a gap); more are lost
     * @param maxBuffered the most live messages kept while reading
     * @param maxBufferedBytes the most bytes (2 per character) they may hold
     */
    RoomCursor(String room, int maxReplay, int maxBuffered, long maxBufferedBytes) {
        this.room = room;
        this.maxReplay = maxReplay;
        this.maxBuffered = Math.max(1, maxBuffered);
        this.maxBufferedBytes = Math.max(1, maxBufferedBytes);
        // buffering from the start: the session is a member of the room before it starts
        this.reading = true;
        this.joining = true;
    }

    /** The session joined the room: read its position, or what it missed after {@code resumeAfter}. */
    void start(StreamPosition resumeAfter, Output out) {
        since = resumeAfter;
        if (resumeAfter == null) {
            out.read(null, 0);
        } else {
            epoch = resumeAfter.epoch();
            last = resumeAfter.offset();
            out.read(position(), PAGE);
        }
    }

    /** The position: the last message the client has; {@code null} while not positioned. */
    StreamPosition position() {
        return epoch == null ? null : StreamPosition.of(last, epoch);
    }

    /** Whether a read is in flight. */
    boolean reading() {
        return reading;
    }

    /** Messages buffered now. */
    int buffered() {
        return buffer.size();
    }

    /** Live messages dropped because the buffer was full (read back from the history). */
    long droppedFromBuffer() {
        return droppedFromBuffer;
    }

    /** A message of the room arrived; {@code excluded}: this session sent it and must not receive it back. */
    void live(HistoryMessage m, boolean excluded, Output out) {
        if (reading) {
            keep(m, excluded);
            return;
        }
        StreamPosition p = m.position();
        if (epoch == null) {
            // continuation unknown after a loss the room reported: this message is where the session continues
            epoch = p.epoch();
            last = p.offset() - 1;
        } else if (!p.epoch().equals(epoch)) {
            reset(p.epoch(), out);
        }
        if (p.offset() <= last) {
            return;
        }
        if (p.offset() == last + 1) {
            last = p.offset();
            if (!excluded) {
                out.send(m.frame());
            }
            return;
        }
        keep(m, excluded);
        readOn(out);
    }

    /** The room reported messages it could not receive; ignored while this cursor reads (its reads see them). */
    void roomLost(MessageLoss loss, Output out) {
        if (reading || epoch == null) {
            return;
        }
        StreamPosition before = position();
        StreamPosition next = loss.next();
        if (next != null) {
            epoch = next.epoch();
            last = Math.max(0, next.offset() - 1);
        } else {
            epoch = null;
        }
        HistoryFrames.Reason reason = reason(loss.reason());
        out.send(HistoryFrames.lost(room, position(), before, reason));
        out.missed(before, position(), reason, false);
    }

    /** A read ended with this result. */
    void page(History h, Output out) {
        reading = false;
        StreamPosition head = h.position();
        if (epoch == null) {
            // joined without a position: it starts at the room's position now
            epoch = head.epoch();
            last = head.offset();
            if (joining) {
                joining = false;
                out.send(HistoryFrames.subscribed(room, position()));
            }
            drain(out);
            return;
        }
        List<History.Entry> entries = h.entries();
        StreamPosition before = position();
        HistoryFrames.Reason loss = null;
        if (!h.recoverable()) {
            loss = reason(h.reason());
            epoch = head.epoch();
            if (h.reason() == MessageLoss.Reason.HISTORY_RESET) {
                // whatever was read is after the old offset, not from the start of the new epoch: read again
                last = 0;
                entries = List.of();
            } else {
                last = entries.isEmpty() ? head.offset() : entries.get(0).position().offset() - 1;
            }
        } else if (entries.isEmpty() && last < head.offset()) {
            loss = HistoryFrames.Reason.NOT_IN_HISTORY;
            last = head.offset();
        }
        if (head.offset() - last > maxReplay - replayed) {
            // more than one session may be sent from the history: skip to the room's position
            loss = loss == null ? HistoryFrames.Reason.TOO_FAR_BEHIND : loss;
            last = head.offset();
            entries = List.of();
        }
        if (loss != null) {
            tellLoss(before, loss, out);
        }
        for (History.Entry e : entries) {
            StreamPosition p = e.position();
            if (p.epoch().equals(epoch) && p.offset() == last + 1) {
                last = p.offset();
                replayed++;
                out.send(HistoryFrames.message(room, p, e.payload()));
            }
        }
        if (last < head.offset()) {
            readOn(out);
            return;
        }
        if (joining) {
            joining = false;
            out.send(HistoryFrames.recovered(room, position(), replayed));
        }
        drain(out);
    }

    /** Send the buffered messages that follow the position; read the history again at a gap; else live. */
    private void drain(Output out) {
        Buffered b;
        while ((b = buffer.peekFirst()) != null) {
            StreamPosition p = b.message().position();
            if (!p.epoch().equals(epoch)) {
                reset(p.epoch(), out);
            }
            if (p.offset() <= last) {
                take();
            } else if (p.offset() == last + 1) {
                take();
                last = p.offset();
                if (!b.excluded()) {
                    out.send(b.message().frame());
                }
            } else {
                readOn(out);
                return;
            }
        }
        replayed = 0;
    }

    private void readOn(Output out) {
        reading = true;
        out.read(position(), PAGE);
    }

    /** The history was reset: tell the loss and start over at offset 0 of the new epoch. */
    private void reset(String newEpoch, Output out) {
        StreamPosition before = position();
        epoch = newEpoch;
        last = 0;
        tellLoss(before, HistoryFrames.Reason.HISTORY_RESET, out);
    }

    private void tellLoss(StreamPosition before, HistoryFrames.Reason reason, Output out) {
        if (joining && since != null) {
            joining = false;
            out.send(HistoryFrames.notRecovered(room, position(), since, reason));
            out.missed(since, position(), reason, true);
        } else {
            out.send(HistoryFrames.lost(room, position(), before, reason));
            out.missed(before, position(), reason, false);
        }
    }

    private void keep(HistoryMessage m, boolean excluded) {
        long size = SendQueue.size(m.frame());
        if (!buffer.isEmpty() && (buffer.size() >= maxBuffered || bufferedBytes + size > maxBufferedBytes)) {
            droppedFromBuffer++; // read back from the history after the buffer
            return;
        }
        buffer.addLast(new Buffered(m, excluded));
        bufferedBytes += size;
    }

    private void take() {
        bufferedBytes -= SendQueue.size(buffer.pollFirst().message().frame());
    }

    private static HistoryFrames.Reason reason(MessageLoss.Reason reason) {
        return reason == MessageLoss.Reason.HISTORY_RESET ? HistoryFrames.Reason.HISTORY_RESET
                : HistoryFrames.Reason.NOT_IN_HISTORY;
    }
}
