package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Chaos, bounded to seconds: two publishers, one on each instance, publish at a steady rate into two history rooms;
 * clients are dropped again and again and reconnect to either instance with their positions, while the instances'
 * own connections to Redis are cut again and again ({@code CLIENT KILL}: both subscriber connections, or one
 * instance's publisher connection). At the end every client has every message of its room from its first position
 * on, exactly once, in order (per room and per publisher), and no loss was announced.
 *
 * <p>A publish whose publisher connection was cut while it was in flight fails ("may or may not have been
 * delivered"); it is not published again. Such a message is in the room's history or not; either way each client
 * gets what the history holds, once: the checks are by offset, and per publisher its messages come in increasing
 * order, every acknowledged one there, a failed one at most once.
 */
class HistoryChaosIT {

    /** Every room has history. */
    @ServerEndpoint("/chaos/{room}")
    public static class ChaosEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean hasHistory(String room) {
            return true;
        }
    }

    private static final String[] ROOMS = {"h0", "h1"};
    private static final int CLIENTS_PER_ROOM = 3;
    private static final long CHAOS_MILLIS = 6_000;
    private static final long FINAL_WAIT_MILLIS = 30_000;
    /** The pause between two cuts of the instances' Redis connections. */
    private static final long CUT_EVERY_MILLIS = 400;

    @Test
    void everyClientGetsEveryMessageOfItsRoomOnceInOrderAcrossDropsAndInstances() throws Exception {
        String namespace = "wschaos" + ThreadLocalRandom.current().nextInt(1_000_000);
        ScheduledExecutorService publishers = Executors.newScheduledThreadPool(2);
        ExecutorService clients = Executors.newFixedThreadPool(ROOMS.length * CLIENTS_PER_ROOM);
        try (RedisServer redis = RedisServer.start();
                RedisPubSub pubsub1 = connect(redis, namespace, "chaos1");
                RedisPubSub pubsub2 = connect(redis, namespace, "chaos2");
                TyrusServer server1 = TyrusServer.start(registration(pubsub1));
                TyrusServer server2 = TyrusServer.start(registration(pubsub2))) {
            TyrusServer[] servers = {server1, server2};
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> failed = ConcurrentHashMap.newKeySet();
            AtomicInteger[] sequence = {new AtomicInteger(), new AtomicInteger()};
            RedisPubSub[] from = {pubsub1, pubsub2};
            for (int p = 0; p < 2; p++) {
                int publisher = p;
                publishers.scheduleAtFixedRate(() -> {
                    int n = sequence[publisher].incrementAndGet();
                    String room = ROOMS[n % ROOMS.length];
                    String payload = "p" + publisher + "-" + n;
                    from[publisher].publishWithHistory(room, payload).whenComplete((pos, e) -> {
                        if (e != null) {
                            failed.add(payload);
                        } else {
                            acknowledged.add(payload);
                        }
                    });
                }, 0, 4, TimeUnit.MILLISECONDS);
            }
            long chaosEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHAOS_MILLIS);
            AtomicInteger cuts = new AtomicInteger();
            publishers.scheduleWithFixedDelay(() -> cut(redis, cuts.incrementAndGet(), chaosEnd), CUT_EVERY_MILLIS,
                    CUT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            List<Future<HistoryClient>> running = new ArrayList<>();
            Map<Future<HistoryClient>, String> roomOf = new HashMap<>();
            for (String room : ROOMS) {
                for (int c = 0; c < CLIENTS_PER_ROOM; c++) {
                    Future<HistoryClient> f = clients.submit(() -> chaos(servers, room, chaosEnd));
                    running.add(f);
                    roomOf.put(f, room);
                }
            }
            List<HistoryClient> done = new ArrayList<>();
            for (Future<HistoryClient> f : running) {
                done.add(f.get(CHAOS_MILLIS + 60_000, TimeUnit.MILLISECONDS));
            }
            publishers.shutdownNow();
            assertThat(publishers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            // the last publishes answered (those cut in flight fail)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> acknowledged.size() + failed.size() == sequence[0].get() + sequence[1].get());
            System.out.println("[HistoryChaosIT] " + cuts.get() + " cuts of the instances' Redis connections; "
                    + acknowledged.size() + " publishes acknowledged, " + failed.size() + " failed; reconnects "
                    + pubsub1.stats().reconnects() + " and " + pubsub2.stats().reconnects());
            // every publish answered: the rooms' final positions
            Map<String, StreamPosition> last = lastPositions(pubsub1);
            for (int i = 0; i < done.size(); i++) {
                String room = roomOf.get(running.get(i));
                done.get(i).connect(servers[i % 2].uri("/chaos/" + room), room);
                readUntil(done.get(i), room, last.get(room));
            }
            // with every client connected (so both instances subscribe both rooms): a last cut of both subscriber
            // connections, and the last messages published at once, while they come back. No live message follows
            // these: only the instances reading the history after reconnecting bring them
            cut(redis, 0, Long.MAX_VALUE);
            for (int p = 0; p < 2; p++) {
                for (int r = 0; r < ROOMS.length; r++) {
                    int n = sequence[p].incrementAndGet();
                    String payload = "p" + p + "-" + n;
                    from[p].publishWithHistory(ROOMS[n % ROOMS.length], payload).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    acknowledged.add(payload);
                }
            }
            last = lastPositions(pubsub1);

            for (int i = 0; i < done.size(); i++) {
                HistoryClient client = done.get(i);
                String room = roomOf.get(running.get(i));
                readUntil(client, room, last.get(room));
                client.close();
                assertThat(client.violations).as("gaps or duplicates").isEmpty();
                assertThat(client.controls).extracting(HistoryClient.Frame::type).as("no loss announced")
                        .doesNotContain("lost", "not-recovered", "plain");
                long start = client.controls.get(0).offset();
                List<String> data = client.data(room);
                assertThat(data).as("every message of %s after %s, once", room, start)
                        .hasSize((int) (last.get(room).offset() - start)).doesNotHaveDuplicates();
                assertInOrderPerPublisher(data, acknowledged, failed);
                // every acknowledged message of the room after the client's start arrived
                Set<String> got = new HashSet<>(data);
                for (String payload : acknowledged) {
                    int n = Integer.parseInt(payload.substring(payload.indexOf('-') + 1));
                    if (ROOMS[n % ROOMS.length].equals(room) && !got.contains(payload)) {
                        assertThat(isBeforeStart(payload, data)).as("%s arrived", payload).isTrue();
                    }
                }
                assertThat(client.controls.stream().filter(f -> f.type().equals("recovered")).count())
                        .as("resumed at least once").isPositive();
            }
            assertThat(cuts.get()).as("connections cut").isGreaterThanOrEqualTo(5);
            assertThat(pubsub1.stats().reconnects() + pubsub2.stats().reconnects()).isPositive();
        } finally {
            publishers.shutdownNow();
            clients.shutdownNow();
        }
    }

    /** Connect, read for a random while, drop; again and again, to either instance, until the end of the chaos. */
    private static HistoryClient chaos(TyrusServer[] servers, String room, long end) throws Exception {
        HistoryClient client = new HistoryClient();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            TyrusServer server = servers[random.nextInt(servers.length)];
            client.connect(server.uri("/chaos/" + room), room);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextLong(30, 400));
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                client.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            client.drop();
        }
        return client;
    }

    /** Read until the room's last message arrived (bounded). */
    private static void readUntil(HistoryClient client, String room, StreamPosition last) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_WAIT_MILLIS);
        while (!last.equals(client.positions.get(room)) && System.nanoTime() < end) {
            client.poll(100);
        }
        assertThat(client.positions.get(room)).as("reached the room's last message").isEqualTo(last);
    }

    /** The rooms' positions: their last messages. */
    private static Map<String, StreamPosition> lastPositions(RedisPubSub pubsub) throws Exception {
        Map<String, StreamPosition> last = new HashMap<>();
        for (String room : ROOMS) {
            last.put(room, pubsub.history(room, null, 0).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .position());
        }
        return last;
    }

    /**
     * Per publisher: increasing; between two consecutive messages of a publisher in this room, every message of that
     * publisher for this room was one that failed (each publisher alternates between the rooms: its next message in
     * this room is 2 further on).
     */
    private static void assertInOrderPerPublisher(List<String> data, Set<String> acknowledged, Set<String> failed) {
        Map<String, Integer> lastOf = new HashMap<>();
        for (String d : data) {
            assertThat(acknowledged.contains(d) || failed.contains(d)).as("%s was published", d).isTrue();
            String publisher = d.substring(0, d.indexOf('-'));
            int n = Integer.parseInt(d.substring(d.indexOf('-') + 1));
            Integer before = lastOf.put(publisher, n);
            if (before != null) {
                assertThat(n).as("after %s-%d", publisher, before).isGreaterThan(before);
                for (int skipped = before + ROOMS.length; skipped < n; skipped += ROOMS.length) {
                    assertThat(failed).as("%s-%d between %s-%d and %s", publisher, skipped, publisher, before, d)
                            .contains(publisher + "-" + skipped);
                }
            }
        }
    }

    /** Whether a message of the room (not received) was published before the client's first message of its publisher. */
    private static boolean isBeforeStart(String payload, List<String> data) {
        String publisher = payload.substring(0, payload.indexOf('-'));
        int n = Integer.parseInt(payload.substring(payload.indexOf('-') + 1));
        for (String d : data) {
            if (d.startsWith(publisher + "-")) {
                return n < Integer.parseInt(d.substring(d.indexOf('-') + 1));
            }
        }
        return true;
    }

    /**
     * Cut the instances' connections to Redis, in turn: both subscriber connections; instance 1's publisher
     * connection; instance 2's publisher connection. None after the chaos ({@code Long.MAX_VALUE}: no end).
     */
    private static void cut(RedisServer redis, int n, long chaosEnd) {
        if (chaosEnd != Long.MAX_VALUE && System.nanoTime() - chaosEnd > 0) {
            return;
        }
        String[] names = switch (n % 3) {
            case 0 -> new String[] {"chaos1-sub", "chaos2-sub"};
            case 1 -> new String[] {"chaos1-pub"};
            default -> new String[] {"chaos2-pub"};
        };
        try (Jedis admin = redis.newClient()) {
            for (String line : admin.clientList().split("\n")) {
                for (String name : names) {
                    if (line.contains(" name=" + name + " ")) {
                        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                        admin.clientKill(ClientKillParams.clientKillParams().id(id));
                    }
                }
            }
        } catch (RuntimeException e) {
            // a connection that went away meanwhile
        }
    }

    private static RedisPubSub connect(RedisServer redis, String namespace, String name) throws Exception {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .clientName(name).reconnectDelay(Duration.ofMillis(20)).maxReconnectDelay(Duration.ofMillis(200))
                .build());
        pubsub.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return pubsub;
    }

    private static jakarta.websocket.server.ServerEndpointConfig registration(RedisPubSub pubsub) {
        WebSocketSettings settings = new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1);
        return EndpointRegistration.create(ChaosEndpoint.class, settings, pubsub, null).config();
    }
}
