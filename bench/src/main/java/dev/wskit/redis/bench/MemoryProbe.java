package dev.wskit.redis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.websocket.Endpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpoints;

/**
 * The memory scenario, run as a separate process (Serial GC, so that the heap used after {@code System.gc()} is
 * exactly what is reachable). Everything goes through the library's real code paths, connected to the real Redis;
 * only the WebSocket sessions are stand-ins (a {@link Proxy} of {@link Session} with its own user-property map), so
 * that no socket, container buffer or container session object is counted:
 * <ol>
 *   <li>{@code S} sessions are opened through the deployed endpoint exactly as a container does it: the
 *       configuration's configurator creates the endpoint, then {@code onOpen(session, config)}.
 *       Heap after − before = the library's cost per session (session state, outbound queue, endpoint instance).</li>
 *   <li>A separate session first joins all {@code C} channels, so that the rooms and their Redis subscriptions
 *       exist; then every one of the {@code S} sessions joins {@code k} of them: {@code S × k} memberships.
 *       Heap after − before, divided by {@code S × k} = bytes per local channel membership (the session's entry in
 *       the room and the room's entry in the session). Each join passes a channel-name String of its own, as names
 *       taken from each client's URL are; with the argument {@code shared=true} all joins of a channel pass the same
 *       instance instead, which shows what the library keeps beyond the caller's String.</li>
 *   <li>Another session joins {@code R} new channels, each a room of one: (heap after − before) / R − one
 *       membership = bytes per room, which includes the instance's Redis subscription for it.</li>
 *   <li>{@code K} handlers subscribe to {@code K} distinct channels with {@link RedisPubSub#subscribe} and wait until
 *       Redis acknowledged them all; (heap after − before) / K = bytes per Redis subscription in the core, the
 *       {@link Subscription} handle the caller keeps included.</li>
 * </ol>
 * Each heap figure is the smallest of five readings of {@link MemoryMXBean} heap used, each right after
 * {@code System.gc()}. Prints one line: {@code MEM key=value ...}.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /** Joins nothing on open; remembers itself in the session, so that the probe can call {@code join}. */
    @ServerEndpoint("/mem/{room}")
    public static final class MemEndpoint extends RedisPubSubEndpoint {

        @Override
        protected Set<String> channelsFor(Session session) {
            return Set.of();
        }

        @Override
        protected void onOpen(Session session) {
            session.getUserProperties().put("bench.endpoint", this);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int sessionCount = Integer.parseInt(args[1]);
        int perSession = Integer.parseInt(args[2]);
        int channelCount = Integer.parseInt(args[3]);
        int rooms = Integer.parseInt(args[4]);
        int subscriptions = Integer.parseInt(args[5]);
        // false: every join passes a String of its own, as names taken from each client's URL are; true: all joins
        // of a channel pass one String instance
        boolean sharedNames = args.length > 6 && Boolean.parseBoolean(args[6]);
        Map<String, Object> out = new LinkedHashMap<>();
        try (RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(url).namespace("bench")
                .clientName("bench-memory").build())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!pubsub.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not connected to " + url);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            ServerEndpointConfig config = RedisPubSubEndpoints.config(MemEndpoint.class, pubsub);

            // a warm-up round with throw-away objects, so that class loading and lazy JDK structures are not counted
            List<Session> warm = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                warm.add(fakeSession("warm" + i));
            }
            for (Session s : warm) {
                open(config, s);
                endpoint(s).join(s, "mem:warm");
            }
            for (Session s : warm) {
                endpoint(s).leave(s, "mem:warm");
            }
            pubsub.subscribe("mem:warmsub", String.class, (c, m) -> { }).ready().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);

            // 1. sessions
            List<Session> sessions = new ArrayList<>(sessionCount);
            for (int i = 0; i < sessionCount; i++) {
                sessions.add(fakeSession("s" + i));
            }
            Session anchor = fakeSession("anchor");
            Session roomOwner = fakeSession("rooms");
            long h0 = usedAfterGc();
            for (Session s : sessions) {
                open(config, s);
            }
            open(config, anchor);
            open(config, roomOwner);
            long h1 = usedAfterGc();
            out.put("sessions", sessionCount);
            out.put("perSessionBytes", (h1 - h0) / (double) (sessionCount + 2));

            // 2. memberships, in channels that exist already
            String[] names = new String[channelCount];
            for (int c = 0; c < channelCount; c++) {
                names[c] = "mem:c" + c;
                endpoint(anchor).join(anchor, names[c]);
            }
            waitForSubscriptions(pubsub, channelCount + 1);
            long h2 = usedAfterGc();
            for (int i = 0; i < sessionCount; i++) {
                Session s = sessions.get(i);
                MemEndpoint e = endpoint(s);
                for (int j = 0; j < perSession; j++) {
                    String channel = "mem:c" + ((i + j * 7) % channelCount);
                    e.join(s, sharedNames ? names[(i + j * 7) % channelCount] : channel);
                }
            }
            long h3 = usedAfterGc();
            long memberships = 0;
            for (Session s : sessions) {
                memberships += endpoint(s).channels(s).size();
            }
            double perMembership = (h3 - h2) / (double) memberships;
            out.put("memberships", memberships);
            out.put("channels", channelCount);
            out.put(sharedNames ? "perMembershipSharedNameBytes" : "perMembershipBytes", perMembership);

            // 3. rooms of one member, each with its Redis subscription
            long h4 = usedAfterGc();
            MemEndpoint owner = endpoint(roomOwner);
            for (int r = 0; r < rooms; r++) {
                owner.join(roomOwner, "mem:r" + r);
            }
            waitForSubscriptions(pubsub, channelCount + rooms + 1);
            long h5 = usedAfterGc();
            out.put("rooms", rooms);
            out.put("perRoomBytes", (h5 - h4) / (double) rooms - perMembership);

            // 4. core subscriptions
            TypedMessageHandler<String> handler = (channel, message) -> { };
            long h6 = usedAfterGc();
            List<Subscription> held = new ArrayList<>(subscriptions);
            for (int k = 0; k < subscriptions; k++) {
                held.add(pubsub.subscribe("mem:k" + k, String.class, handler));
            }
            CompletableFuture.allOf(held.stream().map(s -> s.ready().toCompletableFuture())
                    .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long h7 = usedAfterGc();
            out.put("subscriptions", subscriptions);
            out.put("perSubscriptionBytes", (h7 - h6) / (double) subscriptions);
            out.put("redisSubscriptionsHeld", pubsub.stats().subscriptions());
            out.put("heapAfterMB", h7 / 1048576.0);

            Reference.reachabilityFence(sessions);
            Reference.reachabilityFence(anchor);
            Reference.reachabilityFence(roomOwner);
            Reference.reachabilityFence(held);
            Reference.reachabilityFence(warm);
        }
        StringBuilder line = new StringBuilder("MEM");
        out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v instanceof Double d
                ? String.format(java.util.Locale.ROOT, "%.1f", d) : v));
        System.out.println(line);
    }

    private static void open(ServerEndpointConfig config, Session session) throws Exception {
        Endpoint endpoint = (Endpoint) config.getConfigurator().getEndpointInstance(config.getEndpointClass());
        endpoint.onOpen(session, config);
        if (endpoint(session) == null) {
            throw new IllegalStateException("the endpoint did not open session " + session.getId());
        }
    }

    private static MemEndpoint endpoint(Session session) {
        return (MemEndpoint) session.getUserProperties().get("bench.endpoint");
    }

    private static void waitForSubscriptions(RedisPubSub pubsub, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pubsub.stats().subscriptions() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        // let the subscriber thread send the SUBSCRIBE commands and read the acknowledgements
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
    }

    /** The heap used after a full GC: the smallest of five readings. */
    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** A stand-in session: identity, id, path and (no) query parameters, its own user-property map, always open. */
    private static Session fakeSession(String id) {
        Map<String, Object> userProperties = new HashMap<>();
        Map<String, String> pathParameters = Map.of("room", "mem");
        URI uri = URI.create("ws://localhost/mem/mem");
        return (Session) Proxy.newProxyInstance(MemoryProbe.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, methodArgs) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "getUserProperties" -> userProperties;
                    case "getPathParameters" -> pathParameters;
                    case "getRequestURI" -> uri;
                    case "getRequestParameterMap" -> Map.of();
                    case "getQueryString" -> null;
                    case "isOpen" -> Boolean.TRUE;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == methodArgs[0];
                    case "toString" -> "FakeSession{" + id + "}";
                    default -> {
                        if (method.getReturnType() == void.class) {
                            yield null;
                        }
                        throw new UnsupportedOperationException("stand-in session: " + method.getName());
                    }
                });
    }
}
