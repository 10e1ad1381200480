package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
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

import org.HdrHistogram.Histogram;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
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
 * {@code HOPS count} (see {@link HopProbe}); {@code PROBE-HANDED}, {@code TIMES} (see {@link Probe}); {@code QUIT}.
 *
 * <p>Arguments: the Redis URL, the client name, and optionally a channel to time ({@link Probe}).
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
            RAW.remove(session);
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

    /**
     * Server-side times of fan-out messages sent one at a time, each relative to the harness's {@code System.nanoTime()}
     * stamp at the start of its payload ({@code <stamp>:...}; the same clock in every process of the machine):
     * <ul>
     *   <li>arrived: the message reached the application. Library: a handler of the probed channel subscribed on the
     *       same {@code RedisPubSub} before any session joined, so the core calls it just before the room's handler,
     *       on the same thread. Baseline: the start of the plain subscriber's {@code onPMessage}.</li>
     *   <li>handed: every session's container send was called and returned. Library: a second handler subscribed
     *       after the sessions joined ({@code PROBE-HANDED}), so the core calls it after the room's handler returned, which
     *       is after every stripe of the delivery. Baseline: the end of the loop over the sessions.</li>
     * </ul>
     * {@code TIMES} answers {@code TIMES n arrivedP50 arrivedP99 handedP50 handedP99} (µs) and starts afresh.
     * Messages stamped 0 (the sustained run's) are not timed.
     */
    static final class Probe {

        static final Probe INSTANCE = new Probe();

        private final Histogram arrived = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private final Histogram handed = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

        void arrived(String text) {
            record(arrived, text);
        }

        void handed(String text) {
            record(handed, text);
        }

        private void record(Histogram h, String text) {
            long now = System.nanoTime();
            int colon = text.indexOf(':');
            if (colon <= 0 || colon > 19) {
                return;
            }
            long stamp;
            try {
                stamp = Long.parseLong(text, 0, colon, 10);
            } catch (NumberFormatException e) {
                return;
            }
            if (stamp <= 0) {
                return;
            }
            synchronized (this) {
                h.recordValue(Math.max(0, Math.min(now - stamp, h.getHighestTrackableValue())));
            }
        }

        synchronized String times() {
            String answer = String.format(java.util.Locale.ROOT, "TIMES %d %.1f %.1f %.1f %.1f",
                    handed.getTotalCount(), arrived.getValueAtPercentile(50) / 1e3,
                    arrived.getValueAtPercentile(99) / 1e3, handed.getValueAtPercentile(50) / 1e3,
                    handed.getValueAtPercentile(99) / 1e3);
            arrived.reset();
            handed.reset();
            return answer;
        }
    }

    /** Each plain session's Tyrus WebSocket, for {@link #rawFrames}. */
    private static final Map<Session, TyrusWebSocket> RAW = new ConcurrentHashMap<>();

    private static final java.lang.reflect.Field WEB_SOCKET;

    static {
        java.lang.reflect.Field f;
        try {
            f = TyrusRemoteEndpoint.class.getDeclaredField("webSocket");
            f.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = null;
        }
        WEB_SOCKET = f;
    }

    /**
     * An experiment, not something to ship: what framing each message once would save in Tyrus. The message of
     * {@code raw:room} is framed once (an unmasked text frame) and the same bytes are written to every session of
     * the plain room with Tyrus's {@code TyrusWebSocket.sendRawFrame}, reached by reflection (a package-private field
     * of Tyrus's remote endpoint), instead of {@code sendText}, which encodes and frames the text for each session.
     */
    private static void rawFrames(String roomName, String message) {
        Probe.INSTANCE.arrived(message);
        Set<Session> room = PlainEndpoint.ROOMS.get(roomName);
        if (room != null && WEB_SOCKET != null) {
            byte[] payload = message.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(payload.length + 10);
            frame.put((byte) 0x81);
            if (payload.length < 126) {
                frame.put((byte) payload.length);
            } else if (payload.length < 65536) {
                frame.put((byte) 126).putShort((short) payload.length);
            } else {
                frame.put((byte) 127).putLong(payload.length);
            }
            frame.put(payload).flip();
            for (Session session : room) {
                TyrusWebSocket ws = RAW.computeIfAbsent(session, s -> {
                    try {
                        return (TyrusWebSocket) WEB_SOCKET.get(s.getAsyncRemote());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                });
                ws.sendRawFrame(frame.duplicate());
            }
        }
        Probe.INSTANCE.handed(message);
    }

    /** The baseline's Redis side: a plain Jedis subscriber on {@code plain:*}, sending to the room's sessions. */
    private static void plainSubscriber(String url) throws InterruptedException {
        Jedis jedis = new Jedis(URI.create(url), DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .clientName("bench-ws-plain").build());
        CountDownLatch subscribed = new CountDownLatch(1);
        SendHandler ignore = result -> { };
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                if (pattern.startsWith("raw:")) {
                    rawFrames(channel.substring("raw:".length()), message);
                    return;
                }
                Probe.INSTANCE.arrived(message);
                Set<Session> room = PlainEndpoint.ROOMS.get(channel.substring(channel.indexOf(':') + 1));
                if (room != null && !room.isEmpty()) {
                    HopProbe.record(message);
                    for (Session session : room) {
                        session.getAsyncRemote().sendText(message, ignore);
                    }
                }
                Probe.INSTANCE.handed(message);
            }

            @Override
            public void onPSubscribe(String pattern, int subscribedChannels) {
                if (subscribedChannels == 3) { // every pattern
                    subscribed.countDown();
                }
            }
        };
        Thread subscriber = new Thread(() -> jedis.psubscribe(listener, "plain:*", "bench:mixa*", "raw:*"),
                "plain-subscriber");
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
        String probed = args.length > 2 ? args[2] : null;
        try (RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(url).namespace("bench")
                .clientName(name).build())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!pubsub.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not connected to " + url);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            if (probed != null) {
                // before any session joins: called before the room's handler (see Probe)
                pubsub.subscribe(probed, String.class, (channel, text) -> Probe.INSTANCE.arrived(text));
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
                        case "PROBE-HANDED" -> {
                            // after the sessions joined: called after the room's handler (see Probe)
                            if (probed != null) {
                                pubsub.subscribe(probed, String.class, (channel, text) -> Probe.INSTANCE.handed(text));
                            }
                            System.out.println("OK");
                        }
                        case "TIMES" -> System.out.println(Probe.INSTANCE.times());
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
