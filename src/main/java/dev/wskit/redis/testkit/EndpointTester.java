package dev.wskit.redis.testkit;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.internal.websocket.deploy.EndpointHarness;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * Runs a {@link RedisPubSubEndpoint} subclass without a WebSocket container, to unit-test its hooks
 * ({@code channelsFor}, {@code mayJoin}, {@code onText}, ...) with fake clients, usually on an
 * {@link InMemoryRedisPubSub}.
 *
 * <pre>{@code
 * InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
 * EndpointTester tester = EndpointTester.of(ChatEndpoint::new, pubsub);
 *
 * EndpointTester.Client ann = tester.connection().pathParameter("room", "lobby").user("ann").open();
 * EndpointTester.Client bob = tester.connect("room", "lobby");
 * ann.send("hello");
 *
 * assertThat(bob.received()).containsExactly("hello");
 * assertThat(tester.connect("room", "staff").closeReason().getCloseCode())
 *         .isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);          // refused by mayJoin
 * }</pre>
 *
 * <p>The sessions are driven by the library's own code, as a container would drive them: opening joins the channels
 * of {@code channelsFor} after {@code mayJoin} (a refusal or an invalid channel closes the session with 1008, see
 * {@link RedisPubSubEndpoint}), text from a client goes to {@code onText}, messages on the session's channels reach
 * it through its send queue, closing leaves every channel and calls {@code onClose}. The endpoint class need not be
 * public, nor annotated: the default channel comes from the {@code room} or {@code channel} path parameter, else the
 * only one, else from the path of its {@code @ServerEndpoint} (or {@code /}).
 *
 * <p>Differences from a container: there is no handshake (the {@code configurator} of {@code @ServerEndpoint},
 * encoders and decoders are not used) and no network; everything runs on the calling thread: with an
 * {@code InMemoryRedisPubSub}, {@code send} returns after the message reached every client it was published to.
 * Sends to a client complete at once unless it {@linkplain Client#pauseReading() pauses reading}, which lets the
 * send queue fill (the {@link dev.wskit.redis.websocket.OverflowPolicy} applies). The settings are the defaults
 * (send queue capacity 1024 messages and 16 MiB, overflow policy {@code close}, sender not excluded, messages of at
 * most 64 KiB, 100 messages per second and 200 at once per client, then closed with 1008, at most 64 channels per
 * session); MicroProfile Config is not read: override the hooks ({@code sendQueueCapacity},
 * {@code sendQueueMaxBytes}, {@code overflowPolicy}, {@code excludeSender}, {@code maxMessageSize},
 * {@code publishRate}, {@code publishBurst}, {@code publishRateExceeded}, {@code maxRoomsPerSession}) to change them.
 * A test that sends more than 200 messages from one client at once must raise {@code publishBurst} or set
 * {@code publishRate} to 0. The limits are checked by the library, as in a container that does not enforce the
 * maximum message size itself; there is no origin check (no handshake).
 * Sessions accept text and binary whole-message handlers and record text only.
 *
 * <p>Thread-safe; each client's messages reach {@code onText} one at a time.
 *
 * @since 0.2
 */
public final class EndpointTester {

    private static final AtomicInteger SESSION_IDS = new AtomicInteger();

    private final Supplier<? extends RedisPubSubEndpoint> endpoints;
    private final EndpointHarness harness;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    private EndpointTester(Supplier<? extends RedisPubSubEndpoint> endpoints, EndpointHarness harness) {
        this.endpoints = endpoints;
        this.harness = harness;
    }

    /**
     * Create a tester whose sessions all share one endpoint instance (which a container would create per session).
     * Suits endpoints without per-session fields, and instances prepared by the test (fields set to fakes).
     *
     * @param endpoint the instance; must not be {@code null}, and must not be in use by a container
     * @param pubsub the instance the endpoint publishes and subscribes with; must not be {@code null}
     * @return the tester; never {@code null}
     * @throws IllegalArgumentException if an argument is {@code null}
     */
    public static EndpointTester of(RedisPubSubEndpoint endpoint, RedisPubSub pubsub) {
        if (endpoint == null) {
            throw new IllegalArgumentException("endpoint must not be null");
        }
        return create(endpoint.getClass(), () -> endpoint, pubsub);
    }

    /**
     * Create a tester that creates one endpoint instance per session, as a container does.
     *
     * @param endpoints creates the instances, such as {@code ChatEndpoint::new}; must not be {@code null} and must
     *     return instances of one class; called once at once, to learn the class (that instance serves the first
     *     session), then once per further session
     * @param pubsub the instance the endpoint publishes and subscribes with; must not be {@code null}
     * @return the tester; never {@code null}
     * @throws IllegalArgumentException if an argument is {@code null} or the supplier returns {@code null}
     */
    public static EndpointTester of(Supplier<? extends RedisPubSubEndpoint> endpoints, RedisPubSub pubsub) {
        if (endpoints == null) {
            throw new IllegalArgumentException("endpoints must not be null");
        }
        RedisPubSubEndpoint first = endpoints.get();
        if (first == null) {
            throw new IllegalArgumentException("endpoints returned null");
        }
        AtomicInteger calls = new AtomicInteger();
        // the instance created to learn the class serves the first session
        Supplier<RedisPubSubEndpoint> supplier = () -> calls.getAndIncrement() == 0 ? first : endpoints.get();
        return create(first.getClass(), supplier, pubsub);
    }

    private static EndpointTester create(Class<? extends RedisPubSubEndpoint> type,
            Supplier<? extends RedisPubSubEndpoint> endpoints, RedisPubSub pubsub) {
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null");
        }
        return new EndpointTester(endpoints, EndpointHarness.create(type, pubsub));
    }

    /**
     * Start describing a connection: path parameters, request parameters, user.
     *
     * @return a new connection builder; never {@code null}
     */
    public Connection connection() {
        return new Connection();
    }

    /**
     * Connect a client without path parameters.
     *
     * @return the client, open unless the endpoint refused it; never {@code null}
     */
    public Client connect() {
        return connection().open();
    }

    /**
     * Connect a client with one path parameter, such as {@code connect("room", "lobby")}.
     *
     * @param name the name of the path parameter; must not be {@code null}
     * @param value its value; must not be {@code null}
     * @return the client, open unless the endpoint refused it; never {@code null}
     * @throws IllegalArgumentException if an argument is {@code null}
     */
    public Client connect(String name, String value) {
        return connection().pathParameter(name, value).open();
    }

    /**
     * Return the endpoint's counters ({@link RedisPubSubEndpoint#stats()}).
     *
     * @return a snapshot; never {@code null}
     */
    public RedisPubSubEndpointStats stats() {
        return harness.stats();
    }

    /**
     * Return the clients connected so far, open or closed, in connection order.
     *
     * @return a snapshot; never {@code null}
     */
    public List<Client> clients() {
        return List.copyOf(clients);
    }

    private Set<Session> openSessions() {
        List<Session> open = new ArrayList<>();
        for (Client client : clients) {
            if (client.session.isOpen()) {
                open.add(client.session);
            }
        }
        return Set.copyOf(open);
    }

    /**
     * Describes one connection before it is opened; create with {@link EndpointTester#connection()}.
     *
     * @since 0.2
     */
    public final class Connection {

        private final Map<String, String> pathParameters = new LinkedHashMap<>();
        private final Map<String, List<String>> requestParameters = new LinkedHashMap<>();
        private Principal principal;

        private Connection() {
        }

        /**
         * Set a path parameter, such as {@code room} of {@code /chat/{room}}.
         *
         * @param name the name; must not be {@code null}
         * @param value the value as the container would decode it from the URL; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if an argument is {@code null}
         */
        public Connection pathParameter(String name, String value) {
            pathParameters.put(requireArgument(name, "name"), requireArgument(value, "value"));
            return this;
        }

        /**
         * Add values of a query parameter ({@code ?token=abc}), for {@link Session#getRequestParameterMap()}.
         *
         * @param name the name; must not be {@code null}
         * @param values the values, in order; must not be {@code null} nor contain {@code null}
         * @return this builder
         * @throws IllegalArgumentException if an argument is {@code null}
         */
        public Connection requestParameter(String name, String... values) {
            requireArgument(values, "values");
            List<String> list = requestParameters.computeIfAbsent(requireArgument(name, "name"),
                    n -> new ArrayList<>());
            for (String value : values) {
                list.add(requireArgument(value, "value"));
            }
            return this;
        }

        /**
         * Set the authenticated user ({@link Session#getUserPrincipal()}) to a principal with this name.
         *
         * @param name the user name; must not be {@code null}
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is {@code null}
         */
        public Connection user(String name) {
            requireArgument(name, "name");
            return user(new NamedPrincipal(name));
        }

        /**
         * Set the authenticated user ({@link Session#getUserPrincipal()}).
         *
         * @param principal the principal; can be {@code null} (no user, the default)
         * @return this builder
         */
        public Connection user(Principal principal) {
            this.principal = principal;
            return this;
        }

        /**
         * Open the connection: create the session, and run the endpoint's open (joining the channels of
         * {@code channelsFor} after {@code mayJoin}, then {@code onOpen}).
         *
         * @return the client; open unless the endpoint refused or closed it (see {@link Client#closeReason()});
         *     never {@code null}
         * @throws IllegalStateException if the endpoint supplier returned {@code null}
         */
        public Client open() {
            RedisPubSubEndpoint endpoint = endpoints.get();
            if (endpoint == null) {
                throw new IllegalStateException("the endpoint supplier returned null");
            }
            String query = query(requestParameters);
            String id = "test-session-" + SESSION_IDS.incrementAndGet();
            URI uri = URI.create("ws://localhost" + path(harness.path(), pathParameters)
                    + (query == null ? "" : "?" + query));
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            requestParameters.forEach((name, values) -> parameters.put(name, List.copyOf(values)));
            TestSession session = new TestSession(id, uri, query, pathParameters, parameters, principal,
                    EndpointTester.this::openSessions);
            Client client = new Client(endpoint, session);
            clients.add(client);
            session.open(harness.endpoint(endpoint), harness.config());
            return client;
        }
    }

    /**
     * One fake client connected to the endpoint: sends text to it and records what it sends back.
     *
     * @since 0.2
     */
    public static final class Client {

        private final RedisPubSubEndpoint endpoint;
        private final TestSession session;
        private final Object sendLock = new Object();

        private Client(RedisPubSubEndpoint endpoint, TestSession session) {
            this.endpoint = endpoint;
            this.session = session;
        }

        /**
         * Return the session the endpoint sees, for calling the endpoint's helpers in a test, such as
         * {@code endpoint.join(client.session(), "other")}.
         *
         * @return the session; never {@code null}
         */
        public Session session() {
            return session;
        }

        /**
         * Return the endpoint instance of this client's session.
         *
         * @return the instance; never {@code null}
         */
        public RedisPubSubEndpoint endpoint() {
            return endpoint;
        }

        /**
         * Send a text message to the endpoint, which receives it in {@code onText}. Returns after {@code onText}
         * returned; with an {@link InMemoryRedisPubSub}, after whatever it published was delivered.
         *
         * @param text the message; must not be {@code null}
         * @throws IllegalArgumentException if {@code text} is {@code null}
         * @throws IllegalStateException if the session is closed
         */
        public void send(String text) {
            requireArgument(text, "text");
            synchronized (sendLock) {
                session.receiveText(text);
            }
        }

        /**
         * Send a binary message to the endpoint, which receives it in {@code onBinary}.
         *
         * @param data the message; must not be {@code null}
         * @throws IllegalArgumentException if {@code data} is {@code null}
         * @throws IllegalStateException if the session is closed
         */
        public void sendBinary(ByteBuffer data) {
            requireArgument(data, "data");
            synchronized (sendLock) {
                session.receiveBinary(data);
            }
        }

        /**
         * Return the text messages the endpoint sent to this client, oldest first.
         *
         * @return a snapshot; never {@code null}
         */
        public List<String> received() {
            return session.received();
        }

        /** Forget the messages received so far. */
        public void clearReceived() {
            session.clearReceived();
        }

        /**
         * Return the channels the session is in ({@link RedisPubSubEndpoint#channels(Session)}).
         *
         * @return the channels in joining order, empty once closed; never {@code null}
         */
        public Set<String> channels() {
            if (!session.isOpen()) {
                return Set.of();
            }
            try {
                return endpoint.channels(session);
            } catch (IllegalArgumentException e) {
                // closed meanwhile
                return Set.of();
            }
        }

        /**
         * Tell whether the session is open.
         *
         * @return {@code true} until the endpoint or the client closed it
         */
        public boolean isOpen() {
            return session.isOpen();
        }

        /**
         * Return why the session closed.
         *
         * @return the close reason given by whoever closed it, or {@code null} while open
         */
        public CloseReason closeReason() {
            return session.closeReason();
        }

        /**
         * Stop reading: messages for this client stay in its send queue (one in flight, the others waiting) until
         * {@link #resumeReading()}, so that the endpoint's overflow policy can be tested.
         */
        public void pauseReading() {
            session.pause();
        }

        /** Read again: the message in flight and those waiting in the send queue are received now. */
        public void resumeReading() {
            session.resume();
        }

        /** Close the connection from the client side, with 1000 "normal closure"; does nothing if closed. */
        public void close() {
            session.close();
        }

        @Override
        public String toString() {
            return "Client{" + session.getId() + " " + session.getRequestURI() + "}";
        }
    }

    private static <T> T requireArgument(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    private static String path(String template, Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            int end = c == '{' ? template.indexOf('}', i) : -1;
            if (end > i) {
                String value = parameters.get(template.substring(i + 1, end));
                sb.append(value != null ? encode(value).replace("+", "%20") : template.substring(i, end + 1));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString().replace("{", "%7B").replace("}", "%7D");
    }

    private static String query(Map<String, List<String>> parameters) {
        if (parameters.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(encode(name)).append('=').append(encode(value));
            }
        });
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A principal that is only a name. */
    private record NamedPrincipal(String name) implements Principal {

        @Override
        public String getName() {
            return name;
        }
    }
}
