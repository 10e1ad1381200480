package dev.wskit.redis.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;

/**
 * The history scripts themselves on a real Redis, called as the publisher calls them: runs of one channel's
 * consecutive messages stored as one entry and published as one batch envelope, read back from any offset,
 * including from the middle of an entry, trimmed by offset.
 */
class HistoryScriptsIT {

    private static final HistorySettings SETTINGS = new HistorySettings(1000, 300_000, 86_400_000);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer server;
    private Jedis jedis;

    @BeforeEach
    void start() {
        server = RedisServer.start();
        jedis = server.newClient();
    }

    @AfterEach
    void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGroupOfInterleavedChannelsGetsContiguousOffsetsPerChannelAndOnePublishPerRun() throws Exception {
        BlockingQueue<String> wire = new LinkedBlockingQueue<>();
        Thread listener = subscribe(wire, "a", "b");

        List<String> channels = List.of("a", "a", "b", "a", "a", "a", "b");
        List<String> payloads = List.of("a1", "a:2:x", "b1", "ä3 😀", "", "a6", "b2");
        List<?> reply = publish(SETTINGS, channels, payloads);

        List<StreamPosition> positions = new ArrayList<>();
        for (Object member : reply) {
            positions.add(HistoryScripts.publishReply(member));
        }
        String ea = positions.get(0).epoch();
        String eb = positions.get(2).epoch();
        assertThat(positions).containsExactly(StreamPosition.of(1, ea), StreamPosition.of(2, ea),
                StreamPosition.of(1, eb), StreamPosition.of(3, ea), StreamPosition.of(4, ea), StreamPosition.of(5, ea),
                StreamPosition.of(2, eb));

        // runs: [a a] [b] [a a a] [b], in that order, one message each
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            received.add(wire.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(received).containsExactly("a " + Envelope.encodeBatch(StreamPosition.of(1, ea),
                List.of("a1", "a:2:x")), "b w1:1:" + eb + ":b1", "a " + Envelope.encodeBatch(
                StreamPosition.of(3, ea), List.of("ä3 😀", "", "a6")), "b w1:2:" + eb + ":b2");
        assertThat(Envelope.decodeAll(received.get(2).substring(2))).extracting(Envelope::payload)
                .containsExactly("ä3 😀", "", "a6");
        assertThat(jedis.xlen("{a}:h")).as("one entry per run").isEqualTo(2);
        listener.interrupt();
    }

    @Test
    void everyOffsetReadsBackWhateverTheEntriesHoldAndWhateverTheLimit() {
        List<String> all = new ArrayList<>();
        // runs of 1 (sent alone), 5, 64 (the most in one entry), 70 (two entries), 1 and 3 messages
        for (int run : new int[] {1, 5, 64, 70, 1, 3}) {
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < run; i++) {
                payloads.add("m" + (all.size() + 1));
                all.add("m" + (all.size() + 1));
            }
            publish(SETTINGS, java.util.Collections.nCopies(run, "room"), payloads);
        }
        assertThat(jedis.xlen("{room}:h")).isEqualTo(7);
        String epoch = read(null, 1).position().epoch();

        for (int after = 0; after <= all.size(); after++) {
            for (int limit : new int[] {1, 7, 1000}) {
                History h = read(StreamPosition.of(after, epoch), limit);
                int to = Math.min(all.size(), after + limit);
                assertThat(h.entries()).extracting(e -> e.position().offset() + " " + e.payload())
                        .as("after %d, limit %d", after, limit)
                        .containsExactlyElementsOf(expected(all, after, to));
                assertThat(h.reason()).isNull();
                assertThat(h.position()).isEqualTo(StreamPosition.of(all.size(), epoch));
            }
        }
        History otherEpoch = read(StreamPosition.of(50, "other"), 3);
        assertThat(otherEpoch.entries()).extracting(e -> e.position().offset()).containsExactly(1L, 2L, 3L);
        assertThat(otherEpoch.reason()).isEqualTo(MessageLoss.Reason.HISTORY_RESET);
    }

    @Test
    void trimmingByOffsetKeepsTheLastSizeMessagesAndAtMostARunMoreAndReportsTheRest() {
        HistorySettings ten = new HistorySettings(10, 300_000, 86_400_000);
        int total = 0;
        for (int i = 0; i < 40; i++) {
            List<String> payloads = new ArrayList<>();
            for (int j = 0; j < 64; j++) {
                payloads.add("m" + (++total));
            }
            publish(ten, java.util.Collections.nCopies(64, "room"), payloads);
        }
        for (int i = 0; i < 100; i++) {
            publish(ten, List.of("room"), List.of("m" + (++total)));
        }
        String epoch = read(null, 1).position().epoch();

        History fromStart = read(StreamPosition.of(0, epoch), 100_000);
        long firstKept = fromStart.entries().get(0).position().offset();
        assertThat(firstKept).as("the last 10 kept").isLessThanOrEqualTo(total - 10 + 1);
        assertThat(firstKept).as("at most 63 more").isGreaterThanOrEqualTo(total - 10 - 62);
        assertThat(fromStart.entries()).hasSize(total - (int) firstKept + 1);
        History fromOne = read(StreamPosition.of(1, epoch), 5);
        assertThat(fromOne.reason()).isEqualTo(MessageLoss.Reason.NOT_IN_HISTORY);
        assertThat(fromOne.entries().get(0).position().offset()).isEqualTo(firstKept);
    }

    private List<?> publish(HistorySettings settings, List<String> channels, List<String> payloads) {
        List<byte[][]> members = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            members.add(HistoryScripts.publishArgs(HistoryKeys.of(channels.get(i)), bytes(channels.get(i)),
                    bytes(payloads.get(i)), settings, false));
        }
        if (members.size() == 1) {
            // sent alone, as the publisher does: the one-message script, whose reply is that message's
            return List.of(jedis.sendCommand(Protocol.Command.EVAL, members.get(0)));
        }
        return (List<?>) jedis.sendCommand(Protocol.Command.EVAL, HistoryScripts.publishManyArgs(members));
    }

    private History read(StreamPosition since, int count) {
        Object reply = jedis.sendCommand(Protocol.Command.EVAL, HistoryScripts.readArgs(HistoryKeys.of("room"), since,
                count, SETTINGS));
        return HistoryScripts.readReply(reply, since);
    }

    private Thread subscribe(BlockingQueue<String> into, String... channels) throws InterruptedException {
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        Jedis subscriber = server.newClient();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                into.add(channel + " " + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.add(channel);
            }
        };
        Thread thread = new Thread(() -> {
            try {
                subscriber.subscribe(listener, channels);
            } catch (RuntimeException closed) {
                // the test ended
            } finally {
                subscriber.close();
            }
        });
        thread.setDaemon(true);
        thread.start();
        for (int i = 0; i < channels.length; i++) {
            assertThat(subscribed.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        }
        return thread;
    }

    private static List<String> expected(List<String> all, int after, int to) {
        List<String> out = new ArrayList<>();
        for (int o = after + 1; o <= to; o++) {
            out.add(o + " " + all.get(o - 1));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
