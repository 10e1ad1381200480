package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;

/** The per-session merge of a history room's history and live messages. */
class RoomCursorTest {

    private static final String E = "epochA";

    /** Records what the cursor asks for; frames shortened to "type:offset" (message frames to their data). */
    private static final class Out implements RoomCursor.Output {

        final List<String> sent = new ArrayList<>();
        final List<String> reads = new ArrayList<>();
        final List<String> missed = new ArrayList<>();

        @Override
        public void send(String frame) {
            sent.add(frame);
        }

        @Override
        public void read(StreamPosition after, int limit) {
            reads.add(after + "/" + limit);
        }

        @Override
        public void missed(StreamPosition since, StreamPosition position, HistoryFrames.Reason reason,
                boolean onResume) {
            missed.add(since + ">" + position + " " + reason + (onResume ? " on resume" : ""));
        }
    }

    private final Out out = new Out();

    private static HistoryMessage live(long offset) {
        return live(offset, E);
    }

    private static HistoryMessage live(long offset, String epoch) {
        return HistoryMessage.of("r", StreamPosition.of(offset, epoch), "m" + offset);
    }

    private static String msg(long offset) {
        return HistoryFrames.message("r", StreamPosition.of(offset, E), "m" + offset);
    }

    /** A read reply: the entries from..to of epoch E, head at {@code head}. */
    private static History page(long head, long from, long to) {
        List<History.Entry> entries = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            entries.add(History.Entry.of(StreamPosition.of(o, E), "m" + o));
        }
        return History.of(StreamPosition.of(head, E), entries, null);
    }

    private RoomCursor cursor() {
        return new RoomCursor("r", 1000, 100, 1 << 20);
    }

    @Test
    void joiningWithoutAPositionTellsWhereTheRoomStandsThenSendsWhatFollowsIt() {
        RoomCursor c = cursor();
        c.live(live(5), false, out); // arrived before the position was read: buffered
        c.live(live(6), false, out);
        c.start(null, out);
        assertThat(out.reads).containsExactly("null/0");
        assertThat(out.sent).isEmpty();

        c.page(page(5, 1, 0), out);
        c.live(live(7), false, out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(5, E)), msg(6), msg(7));
        assertThat(c.position()).isEqualTo(StreamPosition.of(7, E));
    }

    @Test
    void resumingSendsWhatWasMissedThenRecoveredThenTheBufferedMessagesWithoutDuplicates() {
        RoomCursor c = cursor();
        c.start(StreamPosition.of(2, E), out);
        c.live(live(5), false, out);
        c.live(live(6), false, out);

        c.page(page(5, 3, 5), out);
        c.live(live(6), false, out); // a duplicate
        c.live(live(7), false, out);

        assertThat(out.reads).containsExactly("2:" + E + "/" + RoomCursor.PAGE);
        assertThat(out.sent).containsExactly(msg(3), msg(4), msg(5),
                HistoryFrames.recovered("r", StreamPosition.of(5, E), 3), msg(6), msg(7));
        assertThat(out.missed).isEmpty();
    }

    @Test
    void aLongHistoryIsReadPageByPage() {
        RoomCursor c = cursor();
        c.start(StreamPosition.of(0, E), out);
        c.page(page(450, 1, 200), out);
        c.page(page(450, 201, 400), out);
        c.page(page(450, 401, 450), out);

        assertThat(out.reads).containsExactly("0:" + E + "/200", "200:" + E + "/200", "400:" + E + "/200");
        assertThat(out.sent).hasSize(451);
        assertThat(out.sent.get(449)).isEqualTo(msg(450));
        assertThat(out.sent.get(450)).isEqualTo(HistoryFrames.recovered("r", StreamPosition.of(450, E), 450));
    }

    @Test
    void messagesTrimmedFromTheHistoryAreNotRecoveredAndTheOldestKeptFollow() {
        RoomCursor c = cursor();
        StreamPosition since = StreamPosition.of(2, E);
        c.start(since, out);

        History trimmed = History.of(StreamPosition.of(12, E), page(12, 10, 12).entries(),
                MessageLoss.Reason.NOT_IN_HISTORY);
        c.page(trimmed, out);

        assertThat(out.sent).containsExactly(
                HistoryFrames.notRecovered("r", StreamPosition.of(9, E), since, HistoryFrames.Reason.NOT_IN_HISTORY),
                msg(10), msg(11), msg(12));
        assertThat(out.missed).containsExactly("2:" + E + ">9:" + E + " NOT_IN_HISTORY on resume");
    }

    @Test
    void aResetHistoryIsNotRecoveredAndTheNewEpochIsReadFromItsStart() {
        RoomCursor c = cursor();
        StreamPosition since = StreamPosition.of(5, "old");
        c.start(since, out);

        c.page(History.of(StreamPosition.of(2, E), List.of(), MessageLoss.Reason.HISTORY_RESET), out);
        c.page(page(2, 1, 2), out);

        assertThat(out.reads).containsExactly("5:old/200", "0:" + E + "/200");
        assertThat(out.sent).containsExactly(
                HistoryFrames.notRecovered("r", StreamPosition.of(0, E), since, HistoryFrames.Reason.HISTORY_RESET),
                msg(1), msg(2));
    }

    @Test
    void aSessionTooFarBehindIsNotRecoveredAndContinuesAtTheRoomsPosition() {
        RoomCursor c = new RoomCursor("r", 10, 100, 1 << 20);
        StreamPosition since = StreamPosition.of(0, E);
        c.start(since, out);

        c.page(page(50, 1, 50), out);
        c.live(live(51), false, out);

        assertThat(out.sent).containsExactly(
                HistoryFrames.notRecovered("r", StreamPosition.of(50, E), since, HistoryFrames.Reason.TOO_FAR_BEHIND),
                msg(51));
    }

    @Test
    void aLiveGapIsReadFromTheHistory() {
        RoomCursor c = cursor();
        c.start(null, out);
        c.page(page(0, 1, 0), out);
        c.live(live(1), false, out);
        c.live(live(4), false, out);

        assertThat(out.reads).containsExactly("null/0", "1:" + E + "/200");
        c.live(live(5), false, out); // buffered while reading
        c.page(page(5, 2, 5), out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(0, E)), msg(1), msg(2),
                msg(3), msg(4), msg(5));
        assertThat(c.reading()).isFalse();
        assertThat(c.buffered()).isZero();
    }

    @Test
    void aFullBufferDropsTheNewestWhichAreReadBackLater() {
        RoomCursor c = new RoomCursor("r", 1000, 2, 1 << 20);
        c.start(StreamPosition.of(5, E), out);
        for (long o = 6; o <= 9; o++) {
            c.live(live(o), false, out);
        }
        assertThat(c.buffered()).isEqualTo(2);
        assertThat(c.droppedFromBuffer()).isEqualTo(2);

        c.page(page(5, 1, 0), out); // nothing missed: recovered, then 6, 7 from the buffer
        c.live(live(10), false, out); // gap: 8, 9 were dropped
        c.page(page(10, 8, 10), out);

        assertThat(out.sent).containsExactly(HistoryFrames.recovered("r", StreamPosition.of(5, E), 0), msg(6), msg(7),
                msg(8), msg(9), msg(10));
    }

    @Test
    void theBufferIsBoundedInBytesToo() {
        RoomCursor c = new RoomCursor("r", 1000, 100, 2 * msg(6).length() + 1);
        c.start(StreamPosition.of(5, E), out);
        c.live(live(6), false, out);
        c.live(live(7), false, out);

        assertThat(c.buffered()).isEqualTo(1);
    }

    @Test
    void aLossTheRoomReportsIsToldAndTheSessionContinuesWhereTheRoomDoes() {
        RoomCursor c = cursor();
        c.start(null, out);
        c.page(page(3, 1, 0), out);

        c.roomLost(MessageLoss.of("r", StreamPosition.of(3, E), StreamPosition.of(8, E),
                MessageLoss.Reason.NOT_IN_HISTORY), out);
        c.live(live(8), false, out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(3, E)),
                HistoryFrames.lost("r", StreamPosition.of(7, E), StreamPosition.of(3, E),
                        HistoryFrames.Reason.NOT_IN_HISTORY), msg(8));
        assertThat(out.missed).containsExactly("3:" + E + ">7:" + E + " NOT_IN_HISTORY");
    }

    @Test
    void anUnknownContinuationAfterALossIsTakenFromTheNextMessage() {
        RoomCursor c = cursor();
        c.start(null, out);
        c.page(page(3, 1, 0), out);

        c.roomLost(MessageLoss.of("r", StreamPosition.of(3, E), null, MessageLoss.Reason.HISTORY_RESET), out);
        c.live(live(1, "new"), false, out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(3, E)),
                HistoryFrames.lost("r", null, StreamPosition.of(3, E), HistoryFrames.Reason.HISTORY_RESET),
                HistoryFrames.message("r", StreamPosition.of(1, "new"), "m1"));
        assertThat(out.reads).containsExactly("null/0");
    }

    @Test
    void aMessageOfAnotherEpochIsAResetAndTheNewEpochIsReadFromItsStart() {
        RoomCursor c = cursor();
        c.start(null, out);
        c.page(page(3, 1, 0), out);

        c.live(live(2, "new"), false, out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(3, E)),
                HistoryFrames.lost("r", StreamPosition.of(0, "new"), StreamPosition.of(3, E),
                        HistoryFrames.Reason.HISTORY_RESET));
        assertThat(out.reads).containsExactly("null/0", "0:new/200");
    }

    @Test
    void anExcludedMessageMovesThePositionWithoutBeingSent() {
        RoomCursor c = cursor();
        c.start(null, out);
        c.page(page(0, 1, 0), out);

        c.live(live(1), true, out);
        c.live(live(2), false, out);

        assertThat(out.sent).containsExactly(HistoryFrames.subscribed("r", StreamPosition.of(0, E)), msg(2));
        assertThat(out.reads).containsExactly("null/0");
    }

    @Test
    void aPositionAheadOfTheRoomIsNotRecovered() {
        RoomCursor c = cursor();
        StreamPosition since = StreamPosition.of(99, E);
        c.start(since, out);

        c.page(History.of(StreamPosition.of(2, E), List.of(), MessageLoss.Reason.HISTORY_RESET), out);
        c.page(page(2, 1, 2), out);

        assertThat(out.sent).containsExactly(
                HistoryFrames.notRecovered("r", StreamPosition.of(0, E), since, HistoryFrames.Reason.HISTORY_RESET),
                msg(1), msg(2));
    }
}
