package dev.wskit.redis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.management.ObjectName;

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
 * only the WebSocket sessions are stand-ins (a {@link Proxy} of {@link Session} with its own user-property map, that
 * keeps the endpoint instance and the message handlers, as a container does), so
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

        /** The room phase has one session join every room: above the default limit of 64 rooms per session. */
        @Override
        protected int maxRoomsPerSession() {
            return 1_000_000;
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
            Path histogramBefore = null;
            if (HISTOGRAM) {
                // once before the first reading: the diagnostic MBean and its classes are not counted
                histogram(Files.createTempFile("memprobe-warm", ".txt"));
                histogramBefore = Files.createTempFile("memprobe-before", ".txt");
            }
            long h0 = usedAfterGc();
            if (HISTOGRAM) {
                histogram(histogramBefore);
            }
            for (Session s : sessions) {
                open(config, s);
            }
            open(config, anchor);
            open(config, roomOwner);
            long h1 = usedAfterGc();
            out.put("sessions", sessionCount);
            out.put("perSessionBytes", (h1 - h0) / (double) (sessionCount + 2));
            if (HISTOGRAM) {
                Path after = Files.createTempFile("memprobe-after", ".txt");
                histogram(after);
                printHistogramDelta(histogramBefore, after, sessionCount + 2);
            }

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
            if (memberships != (long) sessionCount * Math.min(perSession, channelCount)) {
                throw new IllegalStateException("the sessions are in " + memberships + " rooms in all, not "
                        + (long) sessionCount * Math.min(perSession, channelCount));
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
            // a refused join closes the session and leaves the rest unjoined: the figure would be meaningless
            int joined = owner.channels(roomOwner).size();
            if (joined != rooms) {
                throw new IllegalStateException("the room phase's session is in " + joined + " rooms, not " + rooms);
            }
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
        // the container keeps the endpoint instance for the session's life
        ((StandIn) Proxy.getInvocationHandler(session)).endpoint = endpoint;
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

    /**
     * With {@code -Dbench.memory.histogram=true} (through {@code BENCH_CHILD_OPTS}) the probe also writes, to its
     * log, the class histogram of the live heap (the JVM's {@code GC.class_histogram}) after the sessions opened
     * minus the one before, per session: instances and bytes of each class. Both histograms go to files, so that
     * nothing of the first is on the heap at the second.
     */
    private static final boolean HISTOGRAM = Boolean.getBoolean("bench.memory.histogram");

    /** Write the class histogram of the live heap (after a full GC) to a file. */
    private static void histogram(Path file) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Files.writeString(file, text);
    }

    /** Print, to stderr (the log), the classes whose live instances changed by at least one per 10 per-unit. */
    private static void printHistogramDelta(Path before, Path after, int units) throws Exception {
        Map<String, long[]> a = readHistogram(before);
        Map<String, long[]> b = readHistogram(after);
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        long totalBytes = 0;
        for (Map.Entry<String, long[]> e : b.entrySet()) {
            long[] old = a.getOrDefault(e.getKey(), new long[2]);
            long[] delta = {e.getValue()[0] - old[0], e.getValue()[1] - old[1]};
            totalBytes += delta[1];
            if (Math.abs(delta[0]) * 10L >= units) {
                rows.add(Map.entry(e.getKey(), delta));
            }
        }
        for (Map.Entry<String, long[]> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) {
                totalBytes -= e.getValue()[1];
            }
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        StringBuilder sb = new StringBuilder("HISTO per session (" + units + "): instances, bytes, class\n");
        for (Map.Entry<String, long[]> e : rows) {
            sb.append(String.format(java.util.Locale.ROOT, "HISTO %8.2f %8.1f %s%n", e.getValue()[0] / (double) units,
                    e.getValue()[1] / (double) units, e.getKey()));
        }
        sb.append(String.format(java.util.Locale.ROOT, "HISTO total %.1f bytes per session%n",
                totalBytes / (double) units));
        System.err.print(sb);
    }

    /** Class name (with its module) → {instances, bytes}. */
    private static Map<String, long[]> readHistogram(Path file) throws Exception {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+", 4);
            if (f.length == 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
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

    /**
     * A stand-in session: identity, id, path and (no) query parameters, its own user-property map, always open. It
     * keeps what a container keeps for a session of the library's objects: the endpoint instance the configurator
     * created, and the message handlers added on open; their slots exist before the sessions open, so that only the
     * library's objects are counted.
     */
    private static final class StandIn implements java.lang.reflect.InvocationHandler {

        private final String id;
        private final Map<String, Object> userProperties = new HashMap<>();
        private final Map<String, String> pathParameters = Map.of("room", "mem");
        private final URI uri = URI.create("ws://localhost/mem/mem");
        private final Object[] handlers = new Object[2];
        private int handlerCount;
        Object endpoint;

        StandIn(String id) {
            this.id = id;
        }

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] methodArgs) {
            return switch (method.getName()) {
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
                case "addMessageHandler" -> {
                    if (handlerCount == handlers.length) {
                        throw new IllegalStateException("more than " + handlers.length + " message handlers");
                    }
                    handlers[handlerCount++] = methodArgs[methodArgs.length - 1];
                    yield null;
                }
                default -> {
                    if (method.getReturnType() == void.class) {
                        yield null;
                    }
                    throw new UnsupportedOperationException("stand-in session: " + method.getName());
                }
            };
        }
    }

    private static Session fakeSession(String id) {
        return (Session) Proxy.newProxyInstance(MemoryProbe.class.getClassLoader(), new Class<?>[] {Session.class},
                new StandIn(id));
    }
}
