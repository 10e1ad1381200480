package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.testing.RedisServer;

/**
 * A channel with history across a Redis process killed with SIGKILL and started again on the same port: with AOF
 * ({@code appendfsync always}) the history survives, the epoch stays and the subscriber gets every message exactly
 * once, in order; without persistence the history is gone, and the subscriber is told so exactly once
 * ({@code HISTORY_RESET}) before the new epoch's messages from offset 1.
 *
 * <p>The receiving instance reconnects slowly on purpose (a fixed 2 s backoff) while the publishing instance
 * reconnects at once: the messages published after the restart are all published before the receiver is back, and
 * none after it, so only the read of the history on reconnect can bring them (a live message arriving later would
 * otherwise reveal the gap and hide a missing resync).
 */
class HistoryRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROOM = "room";
    private static final int BEFORE = 300;
    private static final int AFTER = 300;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisPubSub instance(RedisServer server, Duration reconnectDelay) {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(server.url())
                .reconnectDelay(reconnectDelay).maxReconnectDelay(reconnectDelay)
                .historySize(10_000).build());
        resources.add(pubsub::destroy);
        Probes.join(pubsub.connected());
        return pubsub;
    }

    @Test
    void withAofEveryMessageArrivesOnceInOrderAndTheEpochStays() {
        RedisServer server = RedisServer.builder().arg("--appendonly", "yes", "--appendfsync", "always").start();
        resources.add(server);
        RedisPubSub publisher = instance(server, Duration.ofMillis(10));
        RedisPubSub receiver = instance(server, Duration.ofSeconds(2));
        Received received = new Received();
        Probes.join(receiver.subscribeWithHistory(ROOM, String.class, null, received).ready());
        Publishes publishes = new Publishes(publisher);

        // killed and restarted in the middle of a steady stream of publishes: those in flight at the kill fail (their
        // outcome is unknown to the publisher), those made while Redis is down wait for the connection; the stream
        // stops once the restarted Redis acknowledged some, before the receiver is back
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread stream = new Thread(() -> {
            for (int n = 1; publishing.get(); n++) {
                publishes.steady(n, n);
            }
        }, "history-stream");
        stream.start();
        await().atMost(WAIT).until(() -> publishes.acknowledged.size() >= BEFORE);
        server.kill9();
        int atKill = publishes.acknowledged.size();
        server.restart();
        await("publishes acknowledged by the restarted Redis").atMost(WAIT)
                .until(() -> publishes.acknowledged.size() >= atKill + AFTER);
        publishing.set(false);
        try {
            stream.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        publishes.awaitAnswers();

        History top = Probes.join(publisher.history(ROOM, null, 0));
        await("every message in the history to arrive").atMost(WAIT)
                .until(() -> received.positions.size() >= top.position().offset() || !received.losses.isEmpty());
        System.out.println("[HistoryRestartIT] AOF: " + publishes.acknowledged.size() + " publishes acknowledged ("
                + atKill + " at the kill), " + publishes.failed.size() + " failed, " + top.position().offset()
                + " in the history; receiver reconnects " + receiver.stats().reconnects());

        assertThat(received.losses).as("no loss reported").isEmpty();
        assertThat(top.position().epoch()).as("the epoch survives the restart").isEqualTo(publishes.firstEpoch());
        // each offset of the epoch once, 1 to the last, in order: no gap, no duplicate
        received.assertContiguousFrom(1, top.position());
        // every acknowledged publish arrived exactly once; one the publisher saw fail (in flight at the kill, or
        // refused while Redis was down) arrived at most once, wherever Redis took it; all in publishing order
        assertThat(received.payloads).doesNotHaveDuplicates().containsAll(publishes.acknowledged);
        assertThat(received.payloads).allMatch(p -> publishes.acknowledged.contains(p) || publishes.failed.contains(p));
        assertIncreasing(received.payloads);
        assertThat(receiver.stats().reconnects()).isPositive();
    }

    @Test
    void withoutPersistenceTheResetIsReportedOnceAndTheNewEpochIsDeliveredFromOffsetOne() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        RedisPubSub publisher = instance(server, Duration.ofMillis(10));
        RedisPubSub receiver = instance(server, Duration.ofSeconds(2));
        Received received = new Received();
        Probes.join(receiver.subscribeWithHistory(ROOM, String.class, null, received).ready());
        Publishes publishes = new Publishes(publisher);
        publishes.steady(1, BEFORE);
        publishes.awaitAnswers();
        assertThat(publishes.failed).isEmpty();
        await().atMost(WAIT).until(() -> received.positions.size() == BEFORE);
        StreamPosition lastOld = received.positions.get(BEFORE - 1);

        server.kill9();
        server.restart();
        Probes.join(publisher.connected());
        publishes.steady(BEFORE + 1, BEFORE + AFTER);
        publishes.awaitAnswers();

        History top = Probes.join(publisher.history(ROOM, null, 0));
        await("the new epoch to arrive").atMost(WAIT)
                .until(() -> received.positions.size() >= BEFORE + top.position().offset());
        System.out.println("[HistoryRestartIT] no persistence: " + publishes.failed.size()
                + " publishes failed while Redis was down; new epoch at " + top.position());

        assertThat(top.position().epoch()).isNotEqualTo(lastOld.epoch());
        assertThat(received.losses).as("the reset is reported exactly once").hasSize(1);
        MessageLoss loss = received.losses.get(0);
        assertThat(loss.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
        assertThat(loss.after()).isEqualTo(lastOld);
        assertThat(received.lossIndex).as("reported before the first message of the new epoch")
                .containsExactly(BEFORE);
        List<StreamPosition> newEpoch = received.positions.subList(BEFORE, received.positions.size());
        new Received.View(newEpoch).assertContiguousFrom(1, top.position());
        assertThat(received.payloads).doesNotHaveDuplicates().containsAll(publishes.acknowledged);
        assertIncreasing(received.payloads);

        // a reader resuming from the old position is told that it cannot be had
        History resumed = Probes.join(publisher.history(ROOM, lastOld, 100));
        assertThat(resumed.recoverable()).isFalse();
        assertThat(resumed.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
        assertThat(resumed.position()).isEqualTo(top.position());
        // and a subscriber resuming from it gets the same report, then the new epoch from its start
        Received late = new Received();
        Probes.join(receiver.subscribeWithHistory(ROOM, String.class, lastOld, late).ready());
        await().atMost(WAIT).until(() -> late.positions.size() >= top.position().offset());
        assertThat(late.losses).extracting(MessageLoss::reason).containsExactly(MessageLoss.Reason.HISTORY_RESET);
        new Received.View(late.positions).assertContiguousFrom(1, top.position());
    }

    /**
     * A Redis restarted with AOF accepts connections while it loads its data: it answers {@code SUBSCRIBE} but
     * {@code PING} with {@code -LOADING}. The subscriber's replay waits for the answer to its PING, so it must take
     * the error as a failed connection and reconnect, not wait on that connection forever (never connected, never
     * reading the history it missed). A user without the right to PING gets the same kind of answer
     * ({@code -NOPERM}) deterministically.
     */
    @Test
    void aSubscriberWhosePingIsAnsweredWithAnErrorReconnectsUntilItIsAnswered() {
        RedisServer server = RedisServer.builder().aclUser("app", "secret").start();
        resources.add(server);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (redis.clients.jedis.Jedis admin = server.newClient()) {
            admin.aclSetUser("app", "-ping");
            RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder()
                    .url("redis://app:secret@127.0.0.1:" + server.port()).reconnectDelay(Duration.ofMillis(50))
                    .maxReconnectDelay(Duration.ofMillis(200)).onError(errors::add).build());
            resources.add(pubsub::destroy);
            pubsub.subscribe("news", String.class, (channel, message) -> { });
            await("PING to be refused").atMost(WAIT).until(() -> errors.stream()
                    .anyMatch(e -> String.valueOf(e.getMessage()).contains("NOPERM")));
            assertThat(pubsub.isConnected()).isFalse();

            admin.aclSetUser("app", "+ping");

            await("the instance to connect").atMost(WAIT).until(pubsub::isConnected);
            assertThat(errors).anyMatch(e -> String.valueOf(e.getMessage()).contains("subscriber connection")
                    && String.valueOf(e.getMessage()).contains("NOPERM"));
        }
    }

    /** The payloads ("m<n>") are in increasing order of n. */
    private static void assertIncreasing(List<String> payloads) {
        int last = 0;
        for (String p : payloads) {
            int n = Integer.parseInt(p.substring(1));
            assertThat(n).as("after m%d", last).isGreaterThan(last);
            last = n;
        }
    }

    /** The publishes of the test: "m<n>" at a steady rate, and what the publisher was told about each. */
    private static final class Publishes {

        final RedisPubSub publisher;
        final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<StreamPosition> positions = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<?>> answers = new CopyOnWriteArrayList<>();

        Publishes(RedisPubSub publisher) {
            this.publisher = publisher;
        }

        /** Publish m<from> to m<to>, one every 2 ms, without waiting for the answers. */
        void steady(int from, int to) {
            for (int n = from; n <= to; n++) {
                String payload = "m" + n;
                answers.add(publisher.publishWithHistory(ROOM, payload).toCompletableFuture()
                        .handle((position, e) -> {
                            if (e == null) {
                                positions.add(position);
                                acknowledged.add(payload);
                            } else {
                                failed.add(payload);
                            }
                            return null;
                        }));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }

        void awaitAnswers() {
            CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).orTimeout(30, TimeUnit.SECONDS)
                    .join();
        }

        String firstEpoch() {
            Set<String> epochs = new HashSet<>();
            positions.forEach(p -> epochs.add(p.epoch()));
            assertThat(epochs).as("the epochs of the acknowledged publishes").hasSize(1);
            return epochs.iterator().next();
        }
    }

    /** What a history handler got, in order. */
    private static final class Received implements HistoryHandler<String> {

        final List<StreamPosition> positions = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final List<MessageLoss> losses = new CopyOnWriteArrayList<>();
        /** How many messages had arrived when each loss was reported. */
        final List<Integer> lossIndex = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message, StreamPosition position) {
            positions.add(position);
            payloads.add(message);
        }

        @Override
        public void onLoss(MessageLoss loss) {
            lossIndex.add(positions.size());
            losses.add(loss);
        }

        void assertContiguousFrom(long first, StreamPosition last) {
            new View(positions).assertContiguousFrom(first, last);
        }

        /** Checks on a list of positions. */
        record View(List<StreamPosition> positions) {

            /** first, first+1, ... up to last, all of last's epoch. */
            void assertContiguousFrom(long first, StreamPosition last) {
                assertThat(positions).hasSize((int) (last.offset() - first + 1));
                for (int i = 0; i < positions.size(); i++) {
                    assertThat(positions.get(i)).as("message %d", i).isEqualTo(StreamPosition.of(first + i,
                            last.epoch()));
                }
            }
        }
    }
}
