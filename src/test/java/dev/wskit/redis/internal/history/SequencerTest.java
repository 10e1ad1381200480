package dev.wskit.redis.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;

/** Merging live messages and history reads into one sequence per receiver: order, no duplicate, every loss told. */
class SequencerTest {

    private final Recorder out = new Recorder();

    @Test
    void withoutAStartingPositionTheReceiverStartsAtTheChannelsPositionAndKeepsWhatArrivedMeanwhile() {
        Sequencer s = new Sequencer(null, 100);
        s.start(out);
        assertThat(out.take()).containsExactly("read after 0 (position only)");

        s.live(live(5, "E"), out);
        s.history(history(4, "E", null), out);

        assertThat(out.take()).containsExactly("5@E");
        s.live(live(6, "E"), out);
        s.live(live(6, "E"), out);
        s.live(live(5, "E"), out);
        assertThat(out.take()).as("duplicates dropped").containsExactly("6@E");
        assertThat(s.position()).isEqualTo(StreamPosition.of(6, "E"));
    }

    @Test
    void aGapIsReadFromTheHistoryAndWhatArrivesMeanwhileFollowsInOrder() {
        Sequencer s = positioned(5, "E");
        s.live(live(8, "E"), out);
        assertThat(out.take()).containsExactly("read after 5");

        s.live(live(9, "E"), out);
        s.history(history(8, "E", null, 6, 7, 8), out);

        assertThat(out.take()).containsExactly("6@E", "7@E", "8@E", "9@E");
        assertThat(s.reading()).isFalse();
    }

    @Test
    void aReceiverResumingFromAPositionGetsWhatItMissedThenLiveMessages() {
        Sequencer s = new Sequencer(StreamPosition.of(3, "E"), 100);
        s.start(out);
        s.live(live(6, "E"), out);
        s.history(history(5, "E", null, 4, 5), out);

        assertThat(out.take()).containsExactly("read after 3", "4@E", "5@E", "6@E");
    }

    @Test
    void aLongGapIsReadPageByPage() {
        Sequencer s = new Sequencer(StreamPosition.of(3, "E"), 100);
        s.start(out);
        s.history(history(9, "E", null, 4, 5), out);

        assertThat(out.take()).containsExactly("read after 3", "4@E", "5@E", "read after 5");
    }

    @Test
    void aResetHistoryIsReportedAndTheReceiverStartsOverInTheNewEpoch() {
        Sequencer s = new Sequencer(StreamPosition.of(3, "E"), 100);
        s.start(out);
        s.history(history(2, "F", null, 1, 2), out);

        assertThat(out.take()).containsExactly("read after 3", "lost after 3:E before null: HISTORY_RESET",
                "read after 0");

        s.history(history(2, "F", null, 1, 2), out);
        assertThat(out.take()).containsExactly("1@F", "2@F");
    }

    @Test
    void aPositionAheadOfTheChannelMeansTheHistoryWasReset() {
        Sequencer s = new Sequencer(StreamPosition.of(30, "E"), 100);
        s.start(out);
        s.history(history(2, "E", null), out);

        assertThat(out.take()).containsExactly("read after 30", "lost after 30:E before null: HISTORY_RESET",
                "read after 0");
    }

    @Test
    void messagesNoLongerInTheHistoryAreReportedLostThenTheOldestKeptFollow() {
        Sequencer s = new Sequencer(StreamPosition.of(3, "E"), 100);
        s.start(out);
        s.history(history(12, "E", MessageLoss.Reason.NOT_IN_HISTORY, 10, 11, 12), out);

        assertThat(out.take()).containsExactly("read after 3", "lost after 3:E before 10:E: NOT_IN_HISTORY", "10@E",
                "11@E", "12@E");
    }

    @Test
    void anExpiredHistoryLosesEverythingUpToTheChannelsPosition() {
        Sequencer s = new Sequencer(StreamPosition.of(3, "E"), 100);
        s.start(out);
        s.history(history(12, "E", MessageLoss.Reason.NOT_IN_HISTORY), out);
        s.live(live(13, "E"), out);

        assertThat(out.take()).containsExactly("read after 3", "lost after 3:E before null: NOT_IN_HISTORY",
                "13@E");
    }

    @Test
    void aLiveMessageOfANewEpochReportsTheResetAndIsDeliveredWhenItIsTheFirst() {
        Sequencer s = positioned(5, "E");
        s.live(live(1, "F"), out);

        assertThat(out.take()).containsExactly("lost after 5:E before null: HISTORY_RESET", "1@F");
    }

    @Test
    void liveMessagesBeyondTheBoundAreDroppedAndReadBackLater() {
        Sequencer s = new Sequencer(StreamPosition.of(5, "E"), 2);
        s.start(out);
        s.live(live(6, "E"), out);
        s.live(live(7, "E"), out);
        s.live(live(8, "E"), out);
        s.history(history(5, "E", null), out);

        assertThat(out.take()).containsExactly("read after 5", "6@E", "7@E", "read after 7");
        s.history(history(8, "E", null, 8), out);
        assertThat(out.take()).containsExactly("8@E");
    }

    @Test
    void aResyncDuringAReadReadsAgainAfterIt() {
        Sequencer s = new Sequencer(StreamPosition.of(5, "E"), 100);
        s.start(out);
        s.resync(out);
        s.history(history(5, "E", null), out);

        assertThat(out.take()).containsExactly("read after 5", "read after 5");
    }

    @Test
    void aFailedReadIsRepeatedByTheNextResync() {
        Sequencer s = positioned(5, "E");
        s.live(live(7, "E"), out);
        s.readFailed();
        s.resync(out);

        assertThat(out.take()).containsExactly("read after 5", "read after 5");
    }

    private Sequencer positioned(long offset, String epoch) {
        Sequencer s = new Sequencer(StreamPosition.of(offset, epoch), 100);
        s.start(out);
        s.history(history(offset, epoch, null), out);
        out.take();
        return s;
    }

    private static Envelope live(long offset, String epoch) {
        return new Envelope(StreamPosition.of(offset, epoch), "m" + offset);
    }

    private static History history(long top, String epoch, MessageLoss.Reason reason, long... offsets) {
        List<History.Entry> entries = new ArrayList<>();
        for (long o : offsets) {
            entries.add(History.Entry.of(StreamPosition.of(o, epoch), "m" + o));
        }
        return History.of(StreamPosition.of(top, epoch), entries, reason);
    }

    private static final class Recorder implements Sequencer.Output {

        private final List<String> events = new ArrayList<>();

        @Override
        public void deliver(StreamPosition position, String payload) {
            assertThat(payload).isEqualTo("m" + position.offset());
            events.add(position.offset() + "@" + position.epoch());
        }

        @Override
        public void read(long after, boolean positionOnly) {
            events.add("read after " + after + (positionOnly ? " (position only)" : ""));
        }

        @Override
        public void lost(StreamPosition after, StreamPosition next, MessageLoss.Reason reason) {
            events.add("lost after " + after + " before " + next + ": " + reason);
        }

        List<String> take() {
            List<String> taken = List.copyOf(events);
            events.clear();
            return taken;
        }
    }
}
