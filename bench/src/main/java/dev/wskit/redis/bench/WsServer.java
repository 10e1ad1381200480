package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;
import dev.wskit.redis.websocket.RedisPubSubEndpoints;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.JedisPubSub;

/**
 * One server instance of a WebSocket application, run as a separate process: an in-JVM Tyrus (Grizzly) server with
 * two {@link RedisPubSubEndpoint} subclasses registered through {@link RedisPubSubEndpoints#config} (no CDI), sharing
 * one {@link RedisPubSub}.
 * <ul>
 *   <li>{@code /bench/{room}}: {@link RoomEndpoint}, the library's defaults unchanged: the session joins the channel
 *       {@code room}, text it sends is published there, and every message of the channel is sent to it.</li>
 *   <li>{@code /publish/{room}}: {@link PublishEndpoint}, a sender that is in no channel: its text is published to
 *       {@code room}. So the sending client of the end-to-end scenario does not get its own messages back, which
 *       would double the work of its server.</li>
 *   <li>{@code /plain/{room}}: {@link PlainEndpoint}, the no-library baseline of the receiving side (the fan-out
 *       scenario's and the end-to-end scenario's): a plain annotated endpoint keeping its sessions in a set, and a
 *       plain Jedis subscriber thread on the Redis channels {@code plain:*} (and {@code bench:mixa*}, for the mixed
 *       runs) that sends each message to every session of the room with {@code getAsyncRemote().sendText}, one after
 *       the other, as an application without this library would.</li>
 *   <li>{@code /plainpub/{room}}: {@link PlainPublishEndpoint}, the no-library baseline of the sending side: a plain
 *       annotated endpoint publishing each text with plain Jedis to {@code plain:room} (or {@code <ns>:room} with
 *       the query parameter {@code ns}).</li>
 * </ul>
 * Prints {@code READY port} once listening. Commands on stdin, one answer line each: {@code STATS} →
 * {@code STATS sessions channels closedForOverflow dropped refused published publishFailures received};
 * {@code PROBE channel} → {@code PROBE channel} (subscribes a {@link HopProbe} handler to the channel through the
 * server's {@link RedisPubSub}); {@code HOPS RESET} → {@code HOPS 0} and {@code HOPS DUMP file} →
 * {@code HOPS count} (see {@link HopProbe}); {@code QUIT}.
 */
public final class WsServer {

    private WsServer() {
    }

    /**
     * The library's default endpoint: channel = the path parameter {@code room}. The benchmark's clients send as fast
     * as they can, so the per-client publish rate limit is off.
     */
    @ServerEndpoint("/bench/{room}")
    public static final class RoomEndpoint extends RedisPubSubEndpoint {

        @Override
        protected int publishRate() {
            return 0;
        }
    }

    /** A publish-only sender: joins nothing, publishes its text to {@code room}. */
    @ServerEndpoint("/publish/{room}")
    public static final class PublishEndpoint extends RedisPubSubEndpoint {

        @Override
        protected Set<String> channelsFor(Session session) {
            return Set.of();
        }

        @Override
        protected void onText(Session session, String text) {
            HopProbe.record(text);
            publish(session.getPathParameters().get("room"), text);
        }

        @Override
        protected int publishRate() {
            return 0; // the benchmark's clients send as fast as they can
        }
    }

    /**
     * The no-library baseline of the sending side: a plain annotated endpoint that publishes each text it receives to
     * the Redis channel {@code plain:<room>} with plain Jedis (its pooled client, {@link RedisClient}, the {@code JedisPooled} of Jedis 8), on the container's thread, as an
     * application without this library would. The publish waits for Redis's reply on that thread.
     */
    @ServerEndpoint("/plainpub/{room}")
    public static final class PlainPublishEndpoint {

        private static volatile RedisClient jedis;

        /** {@code plain:<room>}, or {@code <ns>:<room>} with the query parameter {@code ns} (the mixed runs). */
        private String channel;

        @OnOpen
        public void open(Session session) {
            plainPublisher();
            List<String> ns = session.getRequestParameterMap().get("ns");
            channel = (ns == null || ns.isEmpty() ? "plain" : ns.get(0)) + ":"
                    + session.getPathParameters().get("room");
        }

        @OnMessage
        public void message(Session session, String text) {
            HopProbe.record(text);
            plainPublisher().publish(channel, text);
        }

        private static RedisClient plainPublisher() {
            RedisClient j = jedis;
            if (j == null) {
                synchronized (PlainPublishEndpoint.class) {
                    j = jedis;
                    if (j == null) {
                        URI uri = URI.create(redisUrl);
                        j = RedisClient.builder().hostAndPort(new HostAndPort(uri.getHost(), uri.getPort()))
                                .clientConfig(DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                                        .clientName("bench-ws-plain-publisher").build())
                                .build();
                        jedis = j;
                    }
                }
            }
            return j;
        }
    }

    /**
     * The no-library baseline of the receiving side: sessions of a room in a set; see {@link #plainSubscriber}, started
     * when the first session opens (so that only a server with such sessions has Redis send it the messages).
     */
    @ServerEndpoint("/plain/{room}")
    public static final class PlainEndpoint {

        static final Map<String, Set<Session>> ROOMS = new ConcurrentHashMap<>();

        @OnOpen
        public void open(Session session) throws InterruptedException {
            startPlainSubscriber();
            ROOMS.computeIfAbsent(session.getPathParameters().get("room"), r -> ConcurrentHashMap.newKeySet())
                    .add(session);
        }

        @OnClose
        public void close(Session session) {
            Set<Session> room = ROOMS.get(session.getPathParameters().get("room"));
            if (room != null) {
                room.remove(session);
            }
        }
    }

    private static volatile String redisUrl;
    private static boolean plainSubscribed;

    private static synchronized void startPlainSubscriber() throws InterruptedException {
        if (!plainSubscribed) {
            plainSubscriber(redisUrl);
            plainSubscribed = true;
        }
    }

    /** The baseline's Redis side: a plain Jedis subscriber on {@code plain:*}, sending to the room's sessions. */
    private static void plainSubscriber(String url) throws InterruptedException {
        Jedis jedis = new Jedis(URI.create(url), DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .clientName("bench-ws-plain").build());
        CountDownLatch subscribed = new CountDownLatch(2); // both patterns
        SendHandler ignore = result -> { };
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                Set<Session> room = PlainEndpoint.ROOMS.get(channel.substring(channel.indexOf(':') + 1));
                if (room != null && !room.isEmpty()) {
                    HopProbe.record(message);
                    for (Session session : room) {
                        session.getAsyncRemote().sendText(message, ignore);
                    }
                }
            }

            @Override
            public void onPSubscribe(String pattern, int subscribedChannels) {
                subscribed.countDown();
            }
        };
        Thread subscriber = new Thread(() -> jedis.psubscribe(listener, "plain:*", "bench:mixa*"), "plain-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the plain subscriber did not subscribe within 30 s");
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String name = args.length > 1 ? args[1] : "bench-ws";
        redisUrl = url;
        try (RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(url).namespace("bench")
                .clientName(name).build())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!pubsub.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not connected to " + url);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            ServerEndpointConfig rooms = RedisPubSubEndpoints.config(RoomEndpoint.class, pubsub);
            ServerEndpointConfig publish = RedisPubSubEndpoints.config(PublishEndpoint.class, pubsub);
            ServerContainer container = ServerContainerFactory.createServerContainer(Map.of());
            // Tyrus's default idle timeout, 0 (none), still schedules a timer task for every frame sent or received
            // (and runs it at once, on another thread); -1 turns that off. Set by the harness, see WsBench.
            container.setDefaultMaxSessionIdleTimeout(Long.getLong("bench.tyrus.idleTimeout", -1));
            container.addEndpoint(rooms);
            container.addEndpoint(publish);
            container.addEndpoint(PlainEndpoint.class);
            container.addEndpoint(PlainPublishEndpoint.class);
            container.start("/", 0);
            int port = ((TyrusServerContainer) container).getPort();
            try {
                System.out.println("READY " + port);
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("PROBE ")) {
                        // the per-hop probe of the library's receiving side: a handler of its own on the channel,
                        // subscribed before any session joins it, so that the dispatch calls it first
                        String channel = line.substring("PROBE ".length()).trim();
                        pubsub.subscribe(channel, String.class, (c, text) -> HopProbe.record(text));
                        System.out.println("PROBE " + channel);
                        System.out.flush();
                        continue;
                    }
                    if (line.startsWith("HOPS ")) {
                        String[] words = line.split(" ");
                        if (words[1].equals("RESET")) {
                            HopProbe.reset();
                            System.out.println("HOPS 0");
                        } else {
                            System.out.println("HOPS " + HopProbe.dump(java.nio.file.Path.of(words[2])));
                        }
                        System.out.flush();
                        continue;
                    }
                    switch (line) {
                        case "STATS" -> {
                            RedisPubSubEndpointStats r = RedisPubSubEndpoints.stats(rooms);
                            RedisPubSubEndpointStats p = RedisPubSubEndpoints.stats(publish);
                            RedisPubSubStats s = pubsub.stats();
                            int plain = PlainEndpoint.ROOMS.values().stream().mapToInt(Set::size).sum();
                            System.out.println("STATS " + (r.sessions() + p.sessions() + plain) + " " + r.channels()
                                    + " " + (r.closedForOverflow() + p.closedForOverflow())
                                    + " " + (r.dropped() + p.dropped()) + " " + (r.refused() + p.refused())
                                    + " " + s.published() + " " + s.publishFailures() + " " + s.received());
                        }
                        case "QUIT" -> {
                            return;
                        }
                        default -> System.out.println("ERR unknown command " + line);
                    }
                    System.out.flush();
                }
            } finally {
                container.stop();
            }
        }
    }
}
