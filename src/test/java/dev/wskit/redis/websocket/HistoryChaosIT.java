package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

/**
 * Chaos, bounded to seconds: two publishers, one on each instance, publish at a steady rate into two history rooms;
 * clients are dropped again and again and reconnect to either instance with their positions. At the end every client
 * has every message of its room from its first position on, exactly once, in order (per room and per publisher),
 * and no loss was announced.
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

    @Test
    void everyClientGetsEveryMessageOfItsRoomOnceInOrderAcrossDropsAndInstances() throws Exception {
        String namespace = "wschaos" + ThreadLocalRandom.current().nextInt(1_000_000);
        ScheduledExecutorService publishers = Executors.newScheduledThreadPool(2);
        ExecutorService clients = Executors.newFixedThreadPool(ROOMS.length * CLIENTS_PER_ROOM);
        try (RedisServer redis = RedisServer.start();
                RedisPubSub pubsub1 = connect(redis, namespace);
                RedisPubSub pubsub2 = connect(redis, namespace);
                TyrusServer server1 = TyrusServer.start(registration(pubsub1));
                TyrusServer server2 = TyrusServer.start(registration(pubsub2))) {
            TyrusServer[] servers = {server1, server2};
            AtomicLong failures = new AtomicLong();
            AtomicInteger[] sequence = {new AtomicInteger(), new AtomicInteger()};
            RedisPubSub[] from = {pubsub1, pubsub2};
            for (int p = 0; p < 2; p++) {
                int publisher = p;
                publishers.scheduleAtFixedRate(() -> {
                    int n = sequence[publisher].incrementAndGet();
                    String room = ROOMS[n % ROOMS.length];
                    from[publisher].publishWithHistory(room, "p" + publisher + "-" + n).whenComplete((pos, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                        }
                    });
                }, 0, 4, TimeUnit.MILLISECONDS);
            }
            long chaosEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHAOS_MILLIS);
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
            // every publish answered: the rooms' final positions
            Map<String, StreamPosition> last = new HashMap<>();
            for (String room : ROOMS) {
                last.put(room, pubsub1.history(room, null, 0).toCompletableFuture().get(10, TimeUnit.SECONDS)
                        .position());
            }

            for (int i = 0; i < done.size(); i++) {
                HistoryClient client = done.get(i);
                String room = roomOf.get(running.get(i));
                finish(client, servers[i % 2], room, last.get(room));
                assertThat(client.violations).as("gaps or duplicates").isEmpty();
                assertThat(client.controls).extracting(HistoryClient.Frame::type).as("no loss announced")
                        .doesNotContain("lost", "not-recovered", "plain");
                long start = client.controls.get(0).offset();
                List<String> data = client.data(room);
                assertThat(data).as("every message of %s after %s, once", room, start)
                        .hasSize((int) (last.get(room).offset() - start)).doesNotHaveDuplicates();
                assertInOrderPerPublisher(data);
                assertThat(client.controls.stream().filter(f -> f.type().equals("recovered")).count())
                        .as("resumed at least once").isPositive();
            }
            assertThat(failures.get()).isZero();
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

    /** Reconnect once more and read until the room's last message arrived (bounded). */
    private static void finish(HistoryClient client, TyrusServer server, String room, StreamPosition last)
            throws Exception {
        client.connect(server.uri("/chaos/" + room), room);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_WAIT_MILLIS);
        while (!last.equals(client.positions.get(room)) && System.nanoTime() < end) {
            client.poll(100);
        }
        client.close();
        assertThat(client.positions.get(room)).as("reached the room's last message").isEqualTo(last);
    }

    private static void assertInOrderPerPublisher(List<String> data) {
        Map<String, Integer> lastOf = new HashMap<>();
        for (String d : data) {
            String publisher = d.substring(0, d.indexOf('-'));
            int n = Integer.parseInt(d.substring(d.indexOf('-') + 1));
            Integer before = lastOf.put(publisher, n);
            if (before != null) {
                // each publisher alternates between the rooms: its next message in this room is 2 further on
                assertThat(n).as("after %s-%d", publisher, before).isEqualTo(before + ROOMS.length);
            }
        }
    }

    private static RedisPubSub connect(RedisServer redis, String namespace) throws Exception {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .build());
        pubsub.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return pubsub;
    }

    private static jakarta.websocket.server.ServerEndpointConfig registration(RedisPubSub pubsub) {
        WebSocketSettings settings = new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1);
        return EndpointRegistration.create(ChaosEndpoint.class, settings, pubsub, null).config();
    }
}
