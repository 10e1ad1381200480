package dev.wskit.redis.internal.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.publish.BatchWriter.Pending;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/** The publishers' shared batching: the bounds of the queue, draining, and completing from replies. */
class BatchWriterTest {

    private static final String ENDPOINT = "redis:6379";

    private final Events events = new Events();

    // ---------------------------------------------------------------- bounds

    @Test
    void atMostMaxPendingMessagesArePendingAndAReleasedOneMakesRoom() {
        BatchWriter writer = new BatchWriter(events, 2, Long.MAX_VALUE);
        Pending a = message("a");
        Pending b = message("b");

        assertThat(writer.admit(a, ENDPOINT)).isNull();
        assertThat(writer.admit(b, ENDPOINT)).isNull();
        assertThat(writer.admit(message("c"), ENDPOINT)).hasMessage("publish rejected: 2 publishes are already "
                + "pending for Redis at redis:6379; raise maxPendingPublishes or publish less");

        writer.complete(List.of(a), List.of(1L), ENDPOINT, "PUBLISH", null);

        assertThat(writer.admit(message("d"), ENDPOINT)).isNull();
        assertThat(writer.admit(message("e"), ENDPOINT)).as("full again").isNotNull();
    }

    @Test
    void atMostMaxPendingBytesOfChannelsAndPayloadsArePending() {
        BatchWriter writer = new BatchWriter(events, 100, 10);
        Pending eight = message("ch:", "12345");

        assertThat(writer.admit(eight, ENDPOINT)).isNull();
        assertThat(writer.admit(message("ch:", ""), ENDPOINT)).hasMessage("publish rejected: the publishes "
                + "pending for Redis at redis:6379 hold 8 bytes, and this one 3 more, over maxPendingPublishBytes "
                + "(10); publish less or smaller messages, or raise maxPendingPublishBytes");
        // the refused message counted for nothing: exactly up to the limit still fits
        assertThat(writer.admit(message("c", "d"), ENDPOINT)).isNull();
        assertThat(writer.admit(message("", "x"), ENDPOINT)).isNotNull();

        writer.fail(eight, new RedisPubSubException("failed"));

        assertThat(writer.admit(message("ch:", "12345"), ENDPOINT)).as("released by fail").isNull();
    }

    @Test
    void aMessageRefusedByTheByteLimitDoesNotCountAgainstTheMessageLimit() {
        BatchWriter writer = new BatchWriter(events, 1, 4);

        assertThat(writer.admit(message("toolong"), ENDPOINT)).isNotNull();

        assertThat(writer.admit(message("ok"), ENDPOINT)).isNull();
    }

    @Test
    void offerQueuesOrFailsAtOnceWhenFull() {
        BatchWriter writer = new BatchWriter(events, 1, Long.MAX_VALUE);
        Pending a = message("a");

        CompletableFuture<Void> queued = writer.offer(a, ENDPOINT, () -> null);
        CompletableFuture<Void> refused = writer.offer(message("b"), ENDPOINT, () -> null);

        assertThat(queued).isSameAs(a.future).isNotDone();
        assertThat(writer.hasQueued()).isTrue();
        assertThat(failure(refused)).hasMessageContaining("1 publishes are already pending");
        assertThat(events.failed).hasValue(1);
    }

    @Test
    void aMessageOfferedWhileThePublisherClosesIsTakenBackAndFailsWithTheReason() {
        BatchWriter writer = new BatchWriter(events, 1, Long.MAX_VALUE);
        RedisPubSubException destroyed = BatchWriter.destroyed();

        CompletableFuture<Void> f = writer.offer(message("a"), ENDPOINT, () -> destroyed);

        assertThat(failure(f)).isSameAs(destroyed);
        assertThat(writer.hasQueued()).isFalse();
        assertThat(events.failed).hasValue(1);
        assertThat(writer.admit(message("b"), ENDPOINT)).as("released").isNull();
    }

    // ---------------------------------------------------------------- draining

    @Test
    void drainTakesTheGivenMessagesFirstThenTheQueueInOrder() {
        BatchWriter writer = new BatchWriter(events, 100, Long.MAX_VALUE);
        Pending q1 = offered(writer, "q1");
        Pending q2 = offered(writer, "q2");
        Pending r1 = message("r1");
        Pending r2 = message("r2");
        Queue<Pending> retries = new ArrayDeque<>(List.of(r1, r2));
        List<Pending> batch = new ArrayList<>();

        assertThat(writer.drain(retries, batch)).isEqualTo(4);

        assertThat(batch).containsExactly(r1, r2, q1, q2);
        assertThat(retries).isEmpty();
        assertThat(writer.hasQueued()).isFalse();
        assertThat(writer.drain(null, batch)).isZero();
    }

    @Test
    void drainTakesAtMostMaxBatchMessages() {
        BatchWriter writer = new BatchWriter(events, 3 * BatchWriter.MAX_BATCH, Long.MAX_VALUE);
        Queue<Pending> first = new ArrayDeque<>();
        for (int i = 0; i < BatchWriter.MAX_BATCH - 1; i++) {
            first.add(message("f" + i));
        }
        List<Pending> queued = new ArrayList<>();
        for (int i = 0; i < BatchWriter.MAX_BATCH + 1; i++) {
            queued.add(offered(writer, "q" + i));
        }

        List<Pending> batch = new ArrayList<>();
        assertThat(writer.drain(first, batch)).isEqualTo(BatchWriter.MAX_BATCH);
        assertThat(batch.get(batch.size() - 1)).as("one queued message fills the batch").isSameAs(queued.get(0));

        List<Pending> next = new ArrayList<>();
        assertThat(writer.drain(first, next)).isEqualTo(BatchWriter.MAX_BATCH);
        assertThat(next).containsExactlyElementsOf(queued.subList(1, BatchWriter.MAX_BATCH + 1));
    }

    @Test
    void drainTakesAtMostMaxBatchOfTheGivenMessagesAndLeavesTheRestThere() {
        BatchWriter writer = new BatchWriter(events, 1, Long.MAX_VALUE);
        Queue<Pending> first = new ArrayDeque<>();
        for (int i = 0; i < BatchWriter.MAX_BATCH + 2; i++) {
            first.add(message("f" + i));
        }
        Pending queued = offered(writer, "q");

        List<Pending> batch = new ArrayList<>();
        assertThat(writer.drain(first, batch)).isEqualTo(BatchWriter.MAX_BATCH);

        assertThat(batch).hasSize(BatchWriter.MAX_BATCH).doesNotContain(queued);
        assertThat(first).hasSize(2);
        assertThat(writer.hasQueued()).isTrue();
    }

    // ---------------------------------------------------------------- completing

    @Test
    void repliesCompleteTheirMessagesErrorRepliesFailThemAndMovedGoesToTheRedirects() {
        BatchWriter writer = new BatchWriter(events, 3, Long.MAX_VALUE);
        Pending ok = offered(writer, "ok");
        Pending refused = offered(writer, "refused");
        Pending moved = offered(writer, "moved");
        JedisMovedDataException movedReply = new JedisMovedDataException("MOVED 3999 m2:7000",
                new HostAndPort("m2", 7000), 3999);
        List<String> redirected = new ArrayList<>();

        writer.complete(List.of(ok, refused, moved), List.of(1L, new JedisDataException("ERR wrong"), movedReply),
                ENDPOINT, "SPUBLISH", (p, m, endpoint) -> redirected.add(name(p) + " " + m.getTargetNode()
                        + " from " + endpoint));

        assertThat(ok.future).isCompleted();
        assertThat(failure(refused.future)).hasMessage("Redis at redis:6379 refused SPUBLISH: ERR wrong");
        assertThat(moved.future).as("the redirects own it now").isNotDone();
        assertThat(redirected).containsExactly("moved m2:7000 from redis:6379");
        assertThat(events.published).hasValue(1);
        assertThat(events.failed).hasValue(1);
        // ok and refused are released; the redirected message still counts
        assertThat(writer.admit(message("x"), ENDPOINT)).isNull();
        assertThat(writer.admit(message("y"), ENDPOINT)).isNull();
        assertThat(writer.admit(message("z"), ENDPOINT)).isNotNull();
    }

    @Test
    void anAskReplyGoesToTheRedirectsToo() {
        BatchWriter writer = new BatchWriter(events, 3, Long.MAX_VALUE);
        Pending asked = offered(writer, "asked");
        List<String> redirected = new ArrayList<>();

        writer.complete(List.of(asked), List.of(new JedisAskDataException("ASK 3999 m2:7000",
                new HostAndPort("m2", 7000), 3999)), ENDPOINT, "SPUBLISH",
                (p, m, endpoint) -> redirected.add(name(p) + " " + m.getClass().getSimpleName() + " "
                        + m.getTargetNode()));

        assertThat(asked.future).as("the redirects own it now").isNotDone();
        assertThat(redirected).containsExactly("asked JedisAskDataException m2:7000");
        assertThat(events.failed).hasValue(0);
    }

    @Test
    void aTryAgainReplyGoesToRedirectsThatTakeItAndOtherwiseFailsItsMessage() {
        BatchWriter writer = new BatchWriter(events, 3, Long.MAX_VALUE);
        Pending taken = offered(writer, "taken");
        Pending refused = offered(writer, "refused");
        JedisDataException tryAgain = new JedisDataException("TRYAGAIN Multiple keys request during rehashing of slot");
        List<String> retried = new ArrayList<>();
        BatchWriter.Redirects takingTryAgain = new BatchWriter.Redirects() {
            @Override
            public void moved(Pending message, redis.clients.jedis.exceptions.JedisRedirectionException redirect,
                    String endpoint) {
                throw new AssertionError("not a redirect");
            }

            @Override
            public boolean tryAgain(Pending message, JedisDataException reply, String endpoint) {
                retried.add(name(message) + " " + reply.getMessage() + " from " + endpoint);
                return true;
            }
        };

        writer.complete(List.of(taken), List.of(tryAgain), ENDPOINT, "SPUBLISH", takingTryAgain);
        writer.complete(List.of(refused), List.of(tryAgain), ENDPOINT, "SPUBLISH", (p, m, endpoint) -> {
            throw new AssertionError("not a redirect");
        });

        assertThat(taken.future).as("the redirects own it now").isNotDone();
        assertThat(retried).containsExactly(
                "taken TRYAGAIN Multiple keys request during rehashing of slot from redis:6379");
        assertThat(failure(refused.future)).hasMessage("Redis at redis:6379 refused SPUBLISH: TRYAGAIN Multiple keys "
                + "request during rehashing of slot");
        assertThat(events.published).hasValue(0);
        assertThat(events.failed).hasValue(1);
    }

    @Test
    void drainedMessagesAreNumberedInTheOrderOfTheQueueRetriesKeepTheirsAndAGroupHasItsFirstMembers() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);
        java.util.function.Function<List<Pending>, byte[][]> grouping = members -> new byte[][] {{'g'}};
        Pending q1 = offered(writer, "q1");
        Pending a = Pending.groupable(new byte[][] {{'a'}}, 7, grouping);
        Pending b = Pending.groupable(new byte[][] {{'b'}}, 7, grouping);
        assertThat(writer.offer(a, ENDPOINT, () -> null)).isNotDone();
        assertThat(writer.offer(b, ENDPOINT, () -> null)).isNotDone();
        List<Pending> batch = new ArrayList<>();
        writer.drain(null, batch);
        assertThat(batch).extracting(p -> p.seq).containsExactly(1L, 2L, 3L);

        Pending q2 = offered(writer, "q2");
        batch.clear();
        writer.drain(new ArrayDeque<>(List.of(q1)), batch);
        assertThat(batch).extracting(p -> p.seq).as("a retry keeps its number").containsExactly(1L, 4L);
        assertThat(q2.seq).isEqualTo(4);

        batch.clear();
        batch.addAll(List.of(a, b));
        BatchWriter.group(batch);
        assertThat(batch).hasSize(1);
        assertThat(batch.get(0).seq).isEqualTo(2);
    }

    @Test
    void theRepliesOfAskingAreLeftOutAndEachAskedMessageIsSentThereOnce() {
        BatchWriter writer = new BatchWriter(events, 3, Long.MAX_VALUE);
        Pending first = offered(writer, "first");
        Pending asked = offered(writer, "asked");
        Pending last = offered(writer, "last");
        asked.asking = new HostAndPort("m2", 7000);
        List<Pending> batch = List.of(first, asked, last);

        List<Object> replies = BatchWriter.withoutAskingReplies(batch, List.of(1L, "OK", 2L, 3L));

        assertThat(replies).containsExactly(1L, 2L, 3L);
        assertThat(asked.asking).isNull();
        assertThat(BatchWriter.withoutAskingReplies(batch, List.of(4L, 5L, 6L))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aMessageIsCountedBeforeItsFutureCompletes() {
        BatchWriter writer = new BatchWriter(events, 2, Long.MAX_VALUE);
        Pending a = offered(writer, "a");
        Pending b = offered(writer, "b");
        List<Integer> countSeenOnCompletion = new ArrayList<>();
        a.future.thenRun(() -> countSeenOnCompletion.add(events.published.get()));
        b.future.thenRun(() -> countSeenOnCompletion.add(events.published.get()));

        writer.complete(List.of(a, b), List.of(1L, 1L), ENDPOINT, "PUBLISH", null);

        assertThat(countSeenOnCompletion).as("a caller that sees its publish done sees it in the stats")
                .containsExactly(2, 2);
    }

    @Test
    void consecutiveGroupableCallsOfOneSlotBecomeOneCallWhoseReplyCompletesEach() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);
        java.util.function.Function<List<Pending>, byte[][]> grouping = members -> new byte[][] {
            ("group of " + members.size()).getBytes(StandardCharsets.UTF_8)};
        Pending plain = offered(writer, "plain");
        Pending a = Pending.groupable(new byte[][] {{'a'}}, 7, grouping);
        Pending b = Pending.groupable(new byte[][] {{'b'}}, 7, grouping);
        Pending otherSlot = Pending.groupable(new byte[][] {{'c'}}, 8, grouping);
        for (Pending p : List.of(a, b, otherSlot)) {
            assertThat(writer.admit(p, ENDPOINT)).isNull();
        }
        List<Pending> batch = new ArrayList<>(List.of(plain, a, b, otherSlot));

        BatchWriter.group(batch);

        assertThat(batch).hasSize(3);
        assertThat(batch.get(0)).isSameAs(plain);
        assertThat(new String(batch.get(1).args()[0], StandardCharsets.UTF_8)).isEqualTo("group of 2");
        assertThat(batch.get(2)).as("another slot is not grouped").isSameAs(otherSlot);

        writer.complete(batch, List.of(1L, List.of("ra", "rb"), "rc"), ENDPOINT, "PUBLISH", null);

        assertThat(a.future()).isCompleted();
        assertThat(a.reply()).isEqualTo("ra");
        assertThat(b.reply()).isEqualTo("rb");
        assertThat(otherSlot.reply()).isEqualTo("rc");
        assertThat(events.published).as("each message counts").hasValue(4);
        assertThat(writer.admit(message("x"), ENDPOINT)).as("all released").isNull();
    }

    @Test
    void aFailedGroupFailsEachOfItsCalls() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);
        java.util.function.Function<List<Pending>, byte[][]> grouping = members -> new byte[][] {{'g'}};
        Pending a = Pending.groupable(new byte[][] {{'a'}}, 1, grouping);
        Pending b = Pending.groupable(new byte[][] {{'b'}}, 1, grouping);
        writer.admit(a, ENDPOINT);
        writer.admit(b, ENDPOINT);
        List<Pending> batch = new ArrayList<>(List.of(a, b));
        BatchWriter.group(batch);

        writer.complete(batch, List.of(new JedisDataException("ERR script")), ENDPOINT, "PUBLISH", null);

        assertThat(failure(a.future)).hasMessage("Redis at redis:6379 refused the history script: ERR script");
        assertThat(failure(b.future)).isSameAs(failure(a.future));
        assertThat(events.failed).hasValue(2);
    }

    @Test
    void withoutRedirectsAMovedReplyFailsItsMessage() {
        BatchWriter writer = new BatchWriter(events, 1, Long.MAX_VALUE);
        Pending moved = offered(writer, "moved");

        writer.complete(List.of(moved), List.of(new JedisMovedDataException("MOVED 1 m2:7000",
                new HostAndPort("m2", 7000), 1)), ENDPOINT, "PUBLISH", null);

        assertThat(failure(moved.future)).hasMessage("Redis at redis:6379 refused PUBLISH: MOVED 1 m2:7000");
        assertThat(events.published).hasValue(0);
        assertThat(writer.admit(message("x"), ENDPOINT)).as("released").isNull();
    }

    @Test
    void aLostBatchFailsEveryMessageAndReleasesThem() {
        BatchWriter writer = new BatchWriter(events, 2, Long.MAX_VALUE);
        Pending a = offered(writer, "a");
        Pending b = offered(writer, "b");
        RuntimeException broken = new IllegalStateException("broken pipe");

        writer.lost(List.of(a, b), ENDPOINT, broken);

        assertThat(failure(a.future)).hasMessage("connection to Redis at redis:6379 lost while publishing; the "
                + "message may or may not have been delivered").hasCause(broken);
        assertThat(failure(b.future)).isSameAs(failure(a.future));
        assertThat(events.failed).hasValue(2);
        assertThat(writer.admit(message("x"), ENDPOINT)).isNull();
        assertThat(writer.admit(message("y"), ENDPOINT)).isNull();

        writer.lost(List.of(), ENDPOINT, broken);
        assertThat(events.failed).as("an empty batch fails nothing").hasValue(2);
    }

    @Test
    void failQueuedFailsEveryQueuedMessage() {
        BatchWriter writer = new BatchWriter(events, 2, Long.MAX_VALUE);
        Pending a = offered(writer, "a");
        Pending b = offered(writer, "b");
        RedisPubSubException destroyed = BatchWriter.destroyed();

        writer.failQueued(destroyed);

        assertThat(failure(a.future)).isSameAs(destroyed);
        assertThat(failure(b.future)).isSameAs(destroyed);
        assertThat(writer.hasQueued()).isFalse();
        assertThat(events.failed).hasValue(2);
        assertThat(writer.admit(message("x"), ENDPOINT)).isNull();
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void failExpiredFailsTheExpiredHeadOfTheQueueAndReturnsTheNextDeadline() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);
        Pending whileConnected1 = offered(writer, "c1");
        Pending whileConnected2 = offered(writer, "c2");
        Pending held200 = offered(writer, "h200", 200);
        Pending held300 = offered(writer, "h300", 300);
        AtomicInteger errors = new AtomicInteger();
        RedisPubSubException error = new RedisPubSubException("no connection");

        // the messages queued while connected wait until the loss deadline (100)
        assertThat(writer.failExpired(99, 100, () -> fresh(errors, error))).isEqualTo(100);
        assertThat(events.failed).hasValue(0);

        assertThat(writer.failExpired(150, 100, () -> fresh(errors, error))).isEqualTo(200);
        assertThat(failure(whileConnected1.future)).isSameAs(error);
        assertThat(failure(whileConnected2.future)).isSameAs(error);
        assertThat(held200.future).isNotDone();
        assertThat(errors).as("one failure for all").hasValue(1);
        assertThat(events.failed).hasValue(2);

        // a deadline reached exactly has passed
        assertThat(writer.failExpired(200, 100, () -> fresh(errors, error))).isEqualTo(300);
        assertThat(held200.future).isCompletedExceptionally();
        assertThat(held300.future).isNotDone();

        assertThat(writer.failExpired(1000, 100, () -> fresh(errors, error))).isEqualTo(Long.MAX_VALUE);
        assertThat(held300.future).isCompletedExceptionally();
        assertThat(writer.hasQueued()).isFalse();
        assertThat(events.failed).hasValue(4);
        assertThat(writer.admit(message("x"), ENDPOINT)).as("all released").isNull();
    }

    @Test
    void failExpiredStopsAtTheFirstMessageStillWaiting() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);
        Pending later = offered(writer, "later", 500);
        Pending earlier = offered(writer, "earlier", 100);
        AtomicInteger errors = new AtomicInteger();

        assertThat(writer.failExpired(200, 50, () -> fresh(errors, new RedisPubSubException("x")))).isEqualTo(500);

        assertThat(later.future).isNotDone();
        assertThat(earlier.future).as("behind a waiting message: not looked at").isNotDone();
        assertThat(errors).as("no failure made when nothing expired").hasValue(0);
        assertThat(events.failed).hasValue(0);
    }

    @Test
    void failExpiredWithAnEmptyQueueReturnsMaxValue() {
        BatchWriter writer = new BatchWriter(events, 10, Long.MAX_VALUE);

        assertThat(writer.failExpired(0, 0, () -> new RedisPubSubException("x"))).isEqualTo(Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- helpers

    private static RedisPubSubException fresh(AtomicInteger count, RedisPubSubException e) {
        count.incrementAndGet();
        return e;
    }

    private static Pending message(String channel) {
        return message(channel, "");
    }

    private static Pending message(String channel, String payload) {
        return new Pending(channel.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8), -1);
    }

    private static String name(Pending p) {
        return new String(p.channel, StandardCharsets.UTF_8);
    }

    private static Pending offered(BatchWriter writer, String channel) {
        return offered(writer, channel, 0);
    }

    private static Pending offered(BatchWriter writer, String channel, long holdUntil) {
        Pending p = message(channel);
        p.holdUntil = holdUntil;
        assertThat(writer.offer(p, ENDPOINT, () -> null)).isNotDone();
        return p;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get(0, TimeUnit.SECONDS);
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Counts what the writer reports to its publisher. */
    private static final class Events implements PublisherEvents {

        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void published(int n) {
            published.addAndGet(n);
        }

        @Override
        public void publishFailed(int n) {
            failed.addAndGet(n);
        }

        @Override
        public void publisherConnected() {
        }

        @Override
        public void publisherConnectionUp() {
        }

        @Override
        public void publisherDisconnected() {
        }

        @Override
        public void error(RedisPubSubException error) {
        }
    }
}
