package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * Channels with history on a real Redis: positions, reading, resuming from a position, and no loss, no duplicate
 * and order across a killed subscriber connection; losses (trimmed history, reset history) reported.
 */
class HistoryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer server;
    private final List<RedisPubSub> instances = new ArrayList<>();

    @BeforeEach
    void start() {
        server = RedisServer.start();
    }

    @AfterEach
    void stop() {
        instances.forEach(RedisPubSub::destroy);
        if (server != null) {
            server.close();
        }
    }

    private RedisPubSub instance(RedisPubSubOptions.Builder options) {
        RedisPubSub pubsub = RedisPubSub.create(options.url(server.url()).build());
        instances.add(pubsub);
        Probes.join(pubsub.connected());
        return pubsub;
    }

    private RedisPubSub instance() {
        return instance(RedisPubSubOptions.builder());
    }

    @Test
    void publishesGetContiguousOffsetsOfOneEpochAndCanBeReadBack() {
        RedisPubSub pubsub = instance();

        StreamPosition first = Probes.join(pubsub.publishWithHistory("room", "a"));
        StreamPosition second = Probes.join(pubsub.publishWithHistory("room", "b"));
        StreamPosition third = Probes.join(pubsub.publishWithHistory("room", "c"));

        assertThat(List.of(first.offset(), second.offset(), third.offset())).containsExactly(1L, 2L, 3L);
        assertThat(second.epoch()).isEqualTo(first.epoch()).isEqualTo(third.epoch());
        History all = Probes.join(pubsub.history("room", null, 10));
        assertThat(all.recoverable()).isTrue();
        assertThat(all.position()).isEqualTo(third);
        assertThat(all.entries()).extracting(History.Entry::payload).containsExactly("a", "b", "c");
        History after = Probes.join(pubsub.history("room", first, 1));
        assertThat(after.entries()).extracting(History.Entry::position).containsExactly(second);
        assertThat(after.complete()).isFalse();
        History other = Probes.join(pubsub.history("room", StreamPosition.of(1, "elsewhere"), 10));
        assertThat(other.recoverable()).isFalse();
        assertThat(other.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
    }

    @Test
    void identicalReadsInFlightTogetherCostRedisOneReadButNeverOneQueuedBeforeAPublish() {
        RedisPubSub pubsub = instance(RedisPubSubOptions.builder().clientName("shared-reads"));
        StreamPosition first = Probes.join(pubsub.publishWithHistory("room", "m1"));
        for (int i = 2; i <= 5; i++) {
            Probes.join(pubsub.publishWithHistory("room", "m" + i));
        }
        try (Jedis admin = server.newClient()) {
            // Redis answers nothing for a second: the 50 reads (a crowd resuming from one position) are all in
            // flight together
            long before = evalCalls(admin);
            admin.clientPause(1000, ClientPauseMode.ALL);
            List<CompletionStage<History>> crowd = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                crowd.add(pubsub.history("room", first, 100));
            }
            for (CompletionStage<History> read : crowd) {
                assertThat(Probes.join(read).entries()).extracting(History.Entry::payload)
                        .containsExactly("m2", "m3", "m4", "m5");
            }
            assertThat(evalCalls(admin) - before).as("scripts Redis ran for the 50 reads").isEqualTo(1);

            // a read asked after a publish of this instance is never answered by one queued before that publish
            before = evalCalls(admin);
            admin.clientPause(1000, ClientPauseMode.ALL);
            CompletionStage<History> beforeThePublish = pubsub.history("room", first, 100);
            CompletionStage<StreamPosition> published = pubsub.publishWithHistory("room", "m6");
            CompletionStage<History> afterThePublish = pubsub.history("room", first, 100);
            CompletionStage<History> alsoAfter = pubsub.history("room", first, 100);
            assertThat(Probes.join(beforeThePublish).entries()).extracting(History.Entry::payload)
                    .containsExactly("m2", "m3", "m4", "m5");
            Probes.join(published);
            assertThat(Probes.join(afterThePublish).entries()).extracting(History.Entry::payload)
                    .containsExactly("m2", "m3", "m4", "m5", "m6");
            assertThat(Probes.join(alsoAfter).entries()).extracting(History.Entry::payload)
                    .containsExactly("m2", "m3", "m4", "m5", "m6");
            assertThat(evalCalls(admin) - before).as("scripts: the first read, the publish, the shared later read")
                    .isEqualTo(3);
        }
    }

    /** How many scripts Redis ran ({@code EVAL} calls in {@code INFO commandstats}). */
    private static long evalCalls(Jedis admin) {
        return admin.info("commandstats").lines().filter(l -> l.startsWith("cmdstat_eval:"))
                .map(l -> l.substring(l.indexOf("calls=") + 6, l.indexOf(',', l.indexOf("calls="))))
                .mapToLong(Long::parseLong).sum();
    }

    @Test
    void aChannelWithoutHistoryGetsAnEpochAtOffsetZero() {
        RedisPubSub pubsub = instance();

        History h = Probes.join(pubsub.history("quiet", null, 0));

        assertThat(h.position().offset()).isZero();
        assertThat(Probes.join(pubsub.publishWithHistory("quiet", "x"))).isEqualTo(StreamPosition.of(1,
                h.position().epoch()));
    }

    @Test
    void aSubscriberResumingFromAPositionGetsWhatItMissedThenLiveMessagesInOrder() throws Exception {
        RedisPubSub publisher = instance();
        RedisPubSub receiver = instance();
        StreamPosition second = null;
        for (int i = 1; i <= 5; i++) {
            StreamPosition p = Probes.join(publisher.publishWithHistory("room", "m" + i));
            if (i == 2) {
                second = p;
            }
        }
        Received received = new Received();

        Subscription s = receiver.subscribeWithHistory("room", String.class, second, received);
        Probes.join(s.ready());
        await().atMost(WAIT).until(() -> received.messages.size() >= 3);
        Probes.join(publisher.publishWithHistory("room", "m6"));

        await().atMost(WAIT).until(() -> received.messages.size() >= 4);
        assertThat(received.messages).containsExactly("3 m3", "4 m4", "5 m5", "6 m6");
        assertThat(received.losses).isEmpty();
    }

    @Test
    void nothingIsLostOrDuplicatedWhileTheSubscriberConnectionIsKilledAgainAndAgain() throws Exception {
        // the history holds every message: none may be lost
        RedisPubSub publisher = instance(RedisPubSubOptions.builder().historySize(10_000));
        RedisPubSub receiver = instance(RedisPubSubOptions.builder().reconnectDelay(Duration.ofMillis(10))
                .maxReconnectDelay(Duration.ofMillis(50)));
        Received received = new Received();
        Probes.join(receiver.subscribeWithHistory("room", String.class, null, received).ready());
        // positioned (the first read) before publishing: the receiver starts at offset 0
        await().atMost(WAIT).until(() -> Probes.join(receiver.history("room", null, 0)) != null);

        int total = 2000;
        try (Jedis admin = server.newClient()) {
            for (int i = 1; i <= total; i++) {
                publisher.publishWithHistory("room", "m" + i);
                if (i % 250 == 0) {
                    admin.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams().type(redis.clients.jedis.args.ClientType.PUBSUB));
                }
            }
        }

        await().atMost(WAIT).until(() -> received.messages.size() >= total || !received.losses.isEmpty());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            expected.add(i + " m" + i);
        }
        assertThat(received.messages).containsExactlyElementsOf(expected);
        assertThat(received.losses).isEmpty();
        assertThat(receiver.stats().reconnects()).isPositive();
    }

    @Test
    void messagesPublishedWhileTheSubscriberWasDisconnectedAreReadAfterItReconnects() throws Exception {
        RedisPubSub publisher = instance();
        RedisPubSub receiver = instance(RedisPubSubOptions.builder().reconnectDelay(Duration.ofSeconds(1))
                .maxReconnectDelay(Duration.ofSeconds(1)));
        Received received = new Received();
        Probes.join(receiver.subscribeWithHistory("room", String.class, null, received).ready());
        Probes.join(publisher.publishWithHistory("room", "before"));
        await().atMost(WAIT).until(() -> received.messages.size() == 1);

        try (Jedis admin = server.newClient()) {
            // the connections that are open stay authenticated; the subscriber cannot come back until it is removed
            admin.configSet("requirepass", "held-out");
            admin.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                    .type(redis.clients.jedis.args.ClientType.PUBSUB));
            await().atMost(WAIT).until(() -> !receiver.isConnected());
            for (int i = 1; i <= 3; i++) {
                Probes.join(publisher.publishWithHistory("room", "missed" + i));
            }
            admin.configSet("requirepass", "");
        }

        // nothing is published after the reconnect: only reading the history can bring them
        await().atMost(WAIT).until(() -> received.messages.size() == 4);
        assertThat(received.messages).containsExactly("1 before", "2 missed1", "3 missed2", "4 missed3");
    }

    @Test
    void messagesTrimmedFromTheHistoryAreReportedLostThenTheKeptOnesFollow() throws Exception {
        RedisPubSub publisher = instance(RedisPubSubOptions.builder().historySize(10));
        RedisPubSub receiver = instance();
        String epoch = Probes.join(publisher.publishWithHistory("room", "m1")).epoch();
        for (int i = 2; i <= 500; i++) {
            publisher.publishWithHistory("room", "m" + i);
        }
        Probes.join(publisher.publishWithHistory("room", "m501"));
        Received received = new Received();

        receiver.subscribeWithHistory("room", String.class, StreamPosition.of(1, epoch), received);

        await().atMost(WAIT).until(() -> received.messages.contains("501 m501"));
        MessageLoss loss = received.losses.poll(1, TimeUnit.SECONDS);
        assertThat(loss.reason()).isEqualTo(MessageLoss.Reason.NOT_IN_HISTORY);
        assertThat(loss.after()).isEqualTo(StreamPosition.of(1, epoch));
        long firstKept = loss.next().offset();
        assertThat(firstKept).isBetween(400L, 492L);
        assertThat(received.messages.get(0)).isEqualTo(firstKept + " m" + firstKept);
        assertThat(received.messages).hasSize((int) (501 - firstKept + 1));
    }

    @Test
    void aResetHistoryIsReportedAndTheNewEpochIsDeliveredFromItsStart() throws Exception {
        RedisPubSub publisher = instance();
        RedisPubSub receiver = instance();
        Received received = new Received();
        Probes.join(receiver.subscribeWithHistory("room", String.class, null, received).ready());
        StreamPosition before = Probes.join(publisher.publishWithHistory("room", "old"));
        await().atMost(WAIT).until(() -> received.messages.size() == 1);

        try (Jedis admin = server.newClient()) {
            admin.flushAll();
        }
        StreamPosition after = Probes.join(publisher.publishWithHistory("room", "new"));

        await().atMost(WAIT).until(() -> received.messages.size() == 2);
        assertThat(after.offset()).isEqualTo(1);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(received.messages).containsExactly("1 old", "1 new");
        MessageLoss loss = received.losses.poll(1, TimeUnit.SECONDS);
        assertThat(loss.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
        assertThat(loss.after()).isEqualTo(before);
    }

    @Test
    void anOrdinarySubscriberSeesTheEnvelope() throws Exception {
        RedisPubSub publisher = instance();
        BlockingQueue<String> plain = new LinkedBlockingQueue<>();
        Probes.join(publisher.subscribe("room", String.class, (channel, m) -> plain.add(m)).ready());

        StreamPosition p = Probes.join(publisher.publishWithHistory("room", "hello"));

        assertThat(plain.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("w1:1:" + p.epoch() + ":hello");
    }

    /** Records what a history handler gets: "offset payload", and the losses. */
    private static final class Received implements HistoryHandler<String> {

        final List<String> messages = new CopyOnWriteArrayList<>();
        final BlockingQueue<MessageLoss> losses = new LinkedBlockingQueue<>();
        private String epoch;

        @Override
        public void onMessage(String channel, String message, StreamPosition position) {
            if (epoch != null && !epoch.equals(position.epoch())) {
                assertThat(losses).as("a new epoch comes after its loss").isNotEmpty();
            }
            epoch = position.epoch();
            messages.add(position.offset() + " " + message);
        }

        @Override
        public void onLoss(MessageLoss loss) {
            losses.add(loss);
        }
    }
}
