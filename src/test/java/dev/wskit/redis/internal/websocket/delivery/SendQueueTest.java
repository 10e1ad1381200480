package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.internal.websocket.delivery.SendQueue.Outcome;
import dev.wskit.redis.websocket.OverflowPolicy;

class SendQueueTest {

    /** A sender that holds every send until the test completes it. */
    private static final class HeldSender implements SendQueue.Sender {

        final List<String> sent = new CopyOnWriteArrayList<>();
        final BlockingQueue<SendHandler> pending = new LinkedBlockingQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        @Override
        public void send(String text, SendHandler handler) {
            sent.add(text);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            pending.add(result -> {
                inFlight.decrementAndGet();
                handler.onResult(result);
            });
        }

        void completeNext() {
            SendHandler handler = pending.poll();
            assertThat(handler).as("a send in flight").isNotNull();
            handler.onResult(new SendResult());
        }

        void failNext(Throwable error) {
            SendHandler handler = pending.poll();
            assertThat(handler).as("a send in flight").isNotNull();
            handler.onResult(new SendResult(error));
        }
    }

    private static final class RecordingListener implements SendQueue.Listener {

        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger overflowed = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public void dropped() {
            dropped.incrementAndGet();
        }

        @Override
        public void overflowed() {
            overflowed.incrementAndGet();
        }

        @Override
        public void sendFailed(Throwable error) {
            failures.add(error);
        }
    }

    private final HeldSender held = new HeldSender();
    private final RecordingListener listener = new RecordingListener();

    @Test
    void sendsAtOnceWhenNothingIsInFlight() {
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, held, listener);

        assertThat(queue.offer("a")).isEqualTo(Outcome.SENT);

        assertThat(held.sent).containsExactly("a");
        assertThat(queue.isSending()).isTrue();
    }

    @Test
    void keepsOneSendInFlightAndSendsTheRestInOrder() {
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, held, listener);

        queue.offer("a");
        assertThat(queue.offer("b")).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offer("c")).isEqualTo(Outcome.QUEUED);
        assertThat(held.sent).containsExactly("a");

        held.completeNext();
        assertThat(held.sent).containsExactly("a", "b");
        held.completeNext();
        held.completeNext();

        assertThat(held.sent).containsExactly("a", "b", "c");
        assertThat(held.maxInFlight).hasValue(1);
        assertThat(queue.isSending()).isFalse();
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void drainsInlineCompletionsIterativelyWithoutGrowingTheStack() {
        // the first send is held; every later one completes inline, inside send(), as on WildFly
        int messages = 200_000;
        List<String> sent = new ArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        BlockingQueue<SendHandler> first = new LinkedBlockingQueue<>();
        SendQueue.Sender inline = (text, handler) -> {
            sent.add(text);
            if (sent.size() == 1) {
                first.add(handler);
                return;
            }
            maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
            try {
                handler.onResult(new SendResult());
            } finally {
                depth.decrementAndGet();
            }
        };
        SendQueue queue = new SendQueue(messages, OverflowPolicy.CLOSE, inline, listener);
        for (int i = 0; i < messages; i++) {
            queue.offer("m" + i);
        }
        assertThat(queue.waiting()).isEqualTo(messages - 1);

        first.poll().onResult(new SendResult());

        assertThat(sent).hasSize(messages).endsWith("m" + (messages - 1));
        assertThat(maxDepth).as("send() nesting").hasValue(1);
        assertThat(queue.isSending()).isFalse();
    }

    @Test
    void continuesOnTheCallbackThreadWhenTheSendCompletesLater() throws Exception {
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            List<String> sent = new CopyOnWriteArrayList<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            int messages = 2000;
            CountDownLatch allSent = new CountDownLatch(messages);
            SendQueue.Sender async = (text, handler) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                io.execute(() -> {
                    sent.add(text);
                    inFlight.decrementAndGet();
                    allSent.countDown();
                    handler.onResult(new SendResult());
                });
            };
            SendQueue queue = new SendQueue(messages, OverflowPolicy.CLOSE, async, listener);

            for (int i = 0; i < messages; i++) {
                queue.offer("m" + i);
            }

            assertThat(allSent.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sent).hasSize(messages).startsWith("m0", "m1", "m2").endsWith("m" + (messages - 1));
            assertThat(maxInFlight).hasValue(1);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void offersFromManyThreadsNeverOverlapSendsAndLoseNothing() throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(2);
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            List<String> sent = new CopyOnWriteArrayList<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            SendQueue.Sender mixed = (text, handler) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                Runnable complete = () -> {
                    sent.add(text);
                    inFlight.decrementAndGet();
                    handler.onResult(new SendResult());
                };
                if (calls.incrementAndGet() % 2 == 0) {
                    complete.run(); // inline
                } else {
                    io.execute(complete);
                }
            };
            int perProducer = 5000;
            SendQueue queue = new SendQueue(4 * perProducer, OverflowPolicy.CLOSE, mixed, listener);
            CountDownLatch done = new CountDownLatch(4);
            for (int p = 0; p < 4; p++) {
                int producer = p;
                producers.execute(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        queue.offer(producer + ":" + i);
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sent.size() == 4 * perProducer && !queue.isSending());

            assertThat(maxInFlight).hasValue(1);
            for (int p = 0; p < 4; p++) {
                String prefix = p + ":";
                List<String> own = sent.stream().filter(s -> s.startsWith(prefix)).toList();
                assertThat(own).as("order of producer %d", p).hasSize(perProducer)
                        .startsWith(prefix + 0).endsWith(prefix + (perProducer - 1));
                for (int i = 0; i < perProducer; i++) {
                    assertThat(own.get(i)).isEqualTo(prefix + i);
                }
            }
            assertThat(listener.failures).isEmpty();
        } finally {
            io.shutdownNow();
            producers.shutdownNow();
        }
    }

    @Test
    void closePolicyClosesTheQueueOnceWhenFull() {
        SendQueue queue = new SendQueue(2, OverflowPolicy.CLOSE, held, listener);
        queue.offer("in flight");
        queue.offer("w1");
        queue.offer("w2");

        assertThat(queue.offer("too many")).isEqualTo(Outcome.OVERFLOWED);
        assertThat(queue.offer("after")).isEqualTo(Outcome.CLOSED);

        assertThat(listener.overflowed).hasValue(1);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.waiting()).isZero();
        held.completeNext();
        assertThat(held.sent).containsExactly("in flight");
        assertThat(queue.isSending()).isFalse();
    }

    @Test
    void theByteLimitClosesTheQueueBeforeTheCountDoes() {
        // 10 bytes of heap per 5-character message: 3 fit in 32 bytes
        SendQueue queue = new SendQueue(1000, 32, OverflowPolicy.CLOSE, held, listener);
        queue.offer("in flight, not counted");
        queue.offer("aaaaa");
        queue.offer("bbbbb");
        queue.offer("ccccc");
        assertThat(queue.waitingBytes()).isEqualTo(30);

        assertThat(queue.offer("ddddd")).isEqualTo(Outcome.OVERFLOWED);

        assertThat(queue.overflowedOnBytes()).isTrue();
        assertThat(queue.waitingBytes()).isZero();
        assertThat(listener.overflowed).hasValue(1);
    }

    @Test
    void aMessageThatExactlyFillsTheByteLimitIsQueued() {
        SendQueue queue = new SendQueue(1000, 20, OverflowPolicy.CLOSE, held, listener);
        queue.offer("in flight");
        queue.offer("aaaaa");

        assertThat(queue.offer("bbbbb")).isEqualTo(Outcome.QUEUED);
        assertThat(queue.waitingBytes()).isEqualTo(20);
        assertThat(queue.offer("c")).isEqualTo(Outcome.OVERFLOWED);
        assertThat(queue.overflowedOnBytes()).isTrue();
    }

    @Test
    void anOverflowOnTheCountIsNotReportedAsOneOnBytes() {
        SendQueue queue = new SendQueue(2, 1000, OverflowPolicy.CLOSE, held, listener);
        queue.offer("in flight");
        queue.offer("w1");
        queue.offer("w2");

        assertThat(queue.offer("w3")).isEqualTo(Outcome.OVERFLOWED);

        assertThat(queue.overflowedOnBytes()).isFalse();
    }

    @Test
    void dropNewestOnTheByteLimitKeepsTheWaitingMessagesAndTheQueueOpen() {
        SendQueue queue = new SendQueue(1000, 16, OverflowPolicy.DROP_NEWEST, held, listener);
        queue.offer("in flight");
        queue.offer("aaaa");
        queue.offer("bbbb");

        assertThat(queue.offer("c")).isEqualTo(Outcome.DROPPED);

        assertThat(queue.waitingBytes()).isEqualTo(16);
        assertThat(listener.dropped).hasValue(1);
        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.isClosed()).isFalse();
        held.completeNext();
        held.completeNext();
        held.completeNext();
        assertThat(held.sent).containsExactly("in flight", "aaaa", "bbbb");
    }

    @Test
    void dropOldestDropsAsManyWaitingMessagesAsTheNewOneNeedsInBytes() {
        SendQueue queue = new SendQueue(1000, 12, OverflowPolicy.DROP_OLDEST, held, listener);
        queue.offer("in flight");
        queue.offer("aa");
        queue.offer("bb");
        queue.offer("cc");

        assertThat(queue.offer("dddd")).isEqualTo(Outcome.QUEUED_DROPPED_OLDEST);

        assertThat(queue.waiting()).isEqualTo(2);
        assertThat(queue.waitingBytes()).isEqualTo(12);
        held.completeNext();
        held.completeNext();
        held.completeNext();
        assertThat(held.sent).containsExactly("in flight", "cc", "dddd");
    }

    @Test
    void theWaitingBytesFollowWhatIsSent() {
        SendQueue queue = new SendQueue(1000, 1000, OverflowPolicy.CLOSE, held, listener);
        queue.offer("a");
        queue.offer("bb");
        queue.offer("ccc");
        assertThat(queue.waitingBytes()).isEqualTo(10);

        held.completeNext();
        assertThat(queue.waitingBytes()).isEqualTo(6);
        held.completeNext();
        held.completeNext();

        assertThat(queue.waitingBytes()).isZero();
        assertThat(held.sent).containsExactly("a", "bb", "ccc");
    }

    @Test
    void oneMessageLargerThanTheByteLimitIsQueuedWhenNothingWaits() {
        SendQueue queue = new SendQueue(1000, 8, OverflowPolicy.CLOSE, held, listener);
        queue.offer("in flight");

        assertThat(queue.offer("a long message")).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offer("x")).isEqualTo(Outcome.OVERFLOWED);
        assertThat(queue.overflowedOnBytes()).isTrue();
    }

    @Test
    void dropOldestMakesRoomInBytes() {
        SendQueue queue = new SendQueue(1000, 20, OverflowPolicy.DROP_OLDEST, held, listener);
        queue.offer("in flight");
        queue.offer("aaaa");
        queue.offer("bbbb");

        assertThat(queue.offer("cccccccc")).isEqualTo(Outcome.QUEUED_DROPPED_OLDEST);

        assertThat(queue.waitingBytes()).isEqualTo(16);
        assertThat(listener.dropped).hasValue(1);
        held.completeNext();
        held.completeNext();
        assertThat(held.sent).containsExactly("in flight", "cccccccc");
    }

    @Test
    void dropNewestKeepsTheWaitingMessages() {
        SendQueue queue = new SendQueue(2, OverflowPolicy.DROP_NEWEST, held, listener);
        queue.offer("in flight");
        queue.offer("w1");
        queue.offer("w2");

        assertThat(queue.offer("w3")).isEqualTo(Outcome.DROPPED);
        assertThat(queue.offer("w4")).isEqualTo(Outcome.DROPPED);
        held.completeNext();
        held.completeNext();
        held.completeNext();

        assertThat(held.sent).containsExactly("in flight", "w1", "w2");
        assertThat(listener.dropped).hasValue(2);
        assertThat(listener.overflowed).hasValue(0);
        assertThat(queue.isClosed()).isFalse();
    }

    @Test
    void dropOldestKeepsTheNewestMessages() {
        SendQueue queue = new SendQueue(2, OverflowPolicy.DROP_OLDEST, held, listener);
        queue.offer("in flight");
        queue.offer("w1");
        queue.offer("w2");

        assertThat(queue.offer("w3")).isEqualTo(Outcome.QUEUED_DROPPED_OLDEST);
        assertThat(queue.offer("w4")).isEqualTo(Outcome.QUEUED_DROPPED_OLDEST);
        held.completeNext();
        held.completeNext();
        held.completeNext();

        assertThat(held.sent).containsExactly("in flight", "w3", "w4");
        assertThat(listener.dropped).hasValue(2);
    }

    @Test
    void aFailedSendClosesTheQueueAndIsReportedOnce() {
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, held, listener);
        queue.offer("a");
        queue.offer("b");
        IOException broken = new IOException("broken pipe");

        held.failNext(broken);

        assertThat(listener.failures).containsExactly(broken);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.isSending()).isFalse();
        assertThat(held.sent).containsExactly("a");
        assertThat(queue.offer("c")).isEqualTo(Outcome.CLOSED);
    }

    @Test
    void aSenderThatThrowsCountsAsAFailedSend() {
        IllegalStateException closed = new IllegalStateException("session closed");
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, (text, handler) -> {
            throw closed;
        }, listener);

        assertThat(queue.offer("a")).isEqualTo(Outcome.SENT);

        assertThat(listener.failures).containsExactly(closed);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.isSending()).isFalse();
    }

    @Test
    void closeDiscardsWaitingMessagesAndLetsTheSendInFlightEnd() {
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, held, listener);
        queue.offer("a");
        queue.offer("b");

        queue.close();
        held.completeNext();

        assertThat(held.sent).containsExactly("a");
        assertThat(queue.isSending()).isFalse();
        assertThat(queue.offer("c")).isEqualTo(Outcome.CLOSED);
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void aSecondCallbackForTheSameSendIsIgnored() {
        List<SendHandler> handlers = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        SendQueue queue = new SendQueue(4, OverflowPolicy.CLOSE, (text, handler) -> {
            sent.add(text);
            handlers.add(handler);
        }, listener);
        queue.offer("a");
        queue.offer("b");

        handlers.get(0).onResult(new SendResult());
        handlers.get(0).onResult(new SendResult());

        assertThat(sent).containsExactly("a", "b");
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new SendQueue(0, OverflowPolicy.CLOSE, held, listener))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("send queue capacity must be at least 1, was 0");
    }
}
