package dev.wskit.redis.internal.websocket.deploy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.websocket.delivery.Drain;
import dev.wskit.redis.internal.websocket.delivery.CloseExecutors;
import dev.wskit.redis.internal.websocket.delivery.CloseReasons;
import dev.wskit.redis.internal.websocket.delivery.DeliveryExecutors;
import dev.wskit.redis.internal.websocket.delivery.HistoryFrames;
import dev.wskit.redis.internal.websocket.delivery.RoomNames;
import dev.wskit.redis.internal.websocket.delivery.RoomRegistry;
import dev.wskit.redis.internal.websocket.delivery.SessionRegistry;
import dev.wskit.redis.internal.websocket.delivery.SessionState;
import dev.wskit.redis.websocket.JoinRefusedException;
import dev.wskit.redis.websocket.MissedMessages;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * One application endpoint class registered at its path on one server instance: the {@link ServerEndpointConfig}
 * that deploys {@link DelegatingEndpoint} there, the settings, the rooms, the open sessions and the counters.
 *
 * <p>The {@link RedisPubSub} is the one given at creation, or else the application's CDI bean, looked up at the first
 * connection and kept (the servlet container's deployment only checks that it can be found, see
 * {@link RedisPubSubEndpointInitializer}: the bean is created by the CDI extension at application start). Endpoint
 * instances are created per connection by the {@code configurator} of the user's {@code @ServerEndpoint} when it overrides
 * {@code getEndpointInstance}, else through CDI when a container is reachable, else by reflection.
 */
public final class EndpointRegistration {

    static final Logger LOGGER = System.getLogger("dev.wskit.redis.websocket");

    private static final String USER_PROPERTY = EndpointRegistration.class.getName();
    private static final int MAX_CHANNEL_LENGTH = 1024;

    private final Class<? extends RedisPubSubEndpoint> type;
    private final String path;
    private final WebSocketSettings settings;
    private final PubSubSource pubSubSource;
    private final Executor deliveryHelpers;
    private final Executor hookExecutor;
    private final boolean cdiEvents;
    private final ServerEndpointConfig.Configurator userConfigurator;
    private final boolean userCreatesInstances;
    private final ServerEndpointConfig config;

    private final SessionRegistry sessions;
    private final ThrottledLog publishLog;

    private volatile RoomRegistry rooms;
    private volatile EndpointFactory factory;
    /** What the sessions ask their endpoint instance: one object for all of them (memory per session). */
    private final SessionState.Hooks hooks = new SessionHooks();
    /**
     * The limits of the last session that opened: a session whose hooks return the same values shares this object
     * (they usually do: the defaults come from the settings), instead of keeping a copy.
     */
    private volatile SessionState.Limits lastLimits;

    EndpointRegistration(Class<? extends RedisPubSubEndpoint> type, ServerEndpoint annotation,
            WebSocketSettings settings, PubSubSource pubsub, Executor closer) {
        this.type = type;
        this.path = annotation.value();
        this.settings = settings;
        this.pubSubSource = pubsub;
        this.sessions = new SessionRegistry(closer != null ? closer : CloseExecutors.fallback());
        this.deliveryHelpers = closer != null ? closer : DeliveryExecutors.fallback();
        this.hookExecutor = closer != null ? closer : CloseExecutors.fallback();
        this.cdiEvents = CdiSupport.isApiPresent();
        this.publishLog = new ThrottledLog(LOGGER, "[" + type.getName() + " at " + path + "] ");
        Class<? extends ServerEndpointConfig.Configurator> configuratorClass = annotation.configurator();
        if (configuratorClass == ServerEndpointConfig.Configurator.class) {
            this.userConfigurator = null;
            this.userCreatesInstances = false;
        } else {
            this.userConfigurator = instantiate(configuratorClass);
            this.userCreatesInstances = overridesGetEndpointInstance(configuratorClass);
        }
        this.config = ServerEndpointConfig.Builder.create(DelegatingEndpoint.class, path)
                .subprotocols(Arrays.asList(annotation.subprotocols()))
                .encoders(Arrays.asList(annotation.encoders()))
                .decoders(Arrays.asList(annotation.decoders()))
                .configurator(new EndpointConfigurator(this, userConfigurator))
                .build();
        config.getUserProperties().put(USER_PROPERTY, this);
    }

    /**
     * Create the registration of an application endpoint class.
     *
     * @param type the class; must be public, concrete and annotated with {@code @ServerEndpoint}
     * @param settings the settings; must not be {@code null}
     * @param pubsub the instance to use; must not be {@code null}
     * @param closer where to close sessions without blocking; can be {@code null} (then the library's own threads)
     * @return the registration; never {@code null}
     * @throws IllegalArgumentException if the class does not qualify, {@code pubsub} is {@code null} or the
     *     configurator cannot be created; the message says why
     */
    public static EndpointRegistration create(Class<? extends RedisPubSubEndpoint> type, WebSocketSettings settings,
            RedisPubSub pubsub, Executor closer) {
        return create(type, settings, PubSubSource.given(pubsub), closer);
    }

    /**
     * Create the registration of an application endpoint class.
     *
     * @param type the class; must be public, concrete and annotated with {@code @ServerEndpoint}
     * @param settings the settings; must not be {@code null}
     * @param pubsub where the endpoints get their {@code RedisPubSub}; must not be {@code null}
     * @param closer where to close sessions without blocking; can be {@code null} (then the library's own threads)
     * @return the registration; never {@code null}
     * @throws IllegalArgumentException if the class does not qualify or its configurator cannot be created; the
     *     message says why
     */
    public static EndpointRegistration create(Class<? extends RedisPubSubEndpoint> type, WebSocketSettings settings,
            PubSubSource pubsub, Executor closer) {
        if (type == null) {
            throw new IllegalArgumentException("endpoint class must not be null");
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null");
        }
        if (!RedisPubSubEndpoint.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " must extend " + RedisPubSubEndpoint.class.getName());
        }
        int modifiers = type.getModifiers();
        if (type.isInterface() || Modifier.isAbstract(modifiers)) {
            throw new IllegalArgumentException(type.getName() + " must be a concrete class");
        }
        if (!Modifier.isPublic(modifiers) || (type.isMemberClass() && !Modifier.isStatic(modifiers))) {
            throw new IllegalArgumentException(type.getName() + " must be a public top-level or static nested class");
        }
        ServerEndpoint annotation = type.getAnnotation(ServerEndpoint.class);
        if (annotation == null) {
            throw new IllegalArgumentException(type.getName() + " must be annotated with @ServerEndpoint, which"
                    + " gives its path");
        }
        return new EndpointRegistration(type, annotation, settings, pubsub, closer);
    }

    /**
     * Return the registration behind a configuration created by {@link #config()}.
     *
     * @param config the configuration; must not be {@code null}
     * @return the registration; never {@code null}
     * @throws IllegalArgumentException if the configuration was not created by this library
     */
    public static EndpointRegistration of(ServerEndpointConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        Object registration = config.getUserProperties().get(USER_PROPERTY);
        if (!(registration instanceof EndpointRegistration r)) {
            throw new IllegalArgumentException("config for " + config.getPath() + " was not created by"
                    + " RedisPubSubEndpoints");
        }
        return r;
    }

    /**
     * Return the configuration that deploys this registration, for {@code ServerContainer.addEndpoint}.
     *
     * @return the configuration; never {@code null}
     */
    public ServerEndpointConfig config() {
        return config;
    }

    /**
     * Return the application's endpoint class.
     *
     * @return the class; never {@code null}
     */
    public Class<? extends RedisPubSubEndpoint> type() {
        return type;
    }

    /**
     * Return the path template, from {@code @ServerEndpoint}.
     *
     * @return the path; never {@code null}
     */
    public String path() {
        return path;
    }

    /**
     * Return the settings.
     *
     * @return the settings; never {@code null}
     */
    public WebSocketSettings settings() {
        return settings;
    }

    /**
     * Return the rooms, resolving the {@link RedisPubSub} on first use.
     *
     * @return the rooms; never {@code null}
     * @throws IllegalStateException if no {@code RedisPubSub} is available; the message says how to provide one
     */
    public RoomRegistry rooms() {
        RoomRegistry r = rooms;
        if (r == null) {
            synchronized (this) {
                r = rooms;
                if (r == null) {
                    r = new RoomRegistry(resolvePubSub(), deliveryHelpers, settings.deliveryParallelism());
                    rooms = r;
                }
            }
        }
        return r;
    }

    private RedisPubSub resolvePubSub() {
        return pubSubSource.resolve(type);
    }

    /** Create the application's endpoint instance for a new connection. */
    EndpointFactory.Created createEndpoint() throws InstantiationException {
        if (userCreatesInstances) {
            Object instance = userConfigurator.getEndpointInstance(type);
            if (!type.isInstance(instance)) {
                throw new InstantiationException(userConfigurator.getClass().getName() + ".getEndpointInstance("
                        + type.getSimpleName() + ".class) returned " + instance + ", not a " + type.getName());
            }
            return new EndpointFactory.Created(type.cast(instance), () -> {
            });
        }
        EndpointFactory f = factory;
        if (f == null) {
            f = EndpointFactory.detect();
            factory = f;
            EndpointFactory chosen = f;
            LOGGER.log(Level.DEBUG, () -> type.getName() + " at " + path + ": instances created by "
                    + chosen.describe());
        }
        return f.create(type);
    }

    /** Register a session that just opened. */
    SessionState open(Session session, RedisPubSubEndpoint endpoint) {
        EndpointAccess access = EndpointAccess.get();
        int capacity = access.sendQueueCapacity(endpoint);
        if (capacity < 1 || capacity > WebSocketSettings.MAX_SEND_QUEUE_CAPACITY) {
            throw new IllegalStateException(type.getName() + ".sendQueueCapacity() must return a value between 1 and "
                    + WebSocketSettings.MAX_SEND_QUEUE_CAPACITY + ", was " + capacity);
        }
        OverflowPolicy policy = access.overflowPolicy(endpoint);
        if (policy == null) {
            throw new IllegalStateException(type.getName() + ".overflowPolicy() must not return null");
        }
        int maxMessageSize = checked("maxMessageSize", access.maxMessageSize(endpoint), 1,
                WebSocketSettings.MAX_MAX_MESSAGE_SIZE);
        int maxBytes = checked("sendQueueMaxBytes", access.sendQueueMaxBytes(endpoint), 1,
                WebSocketSettings.MAX_SEND_QUEUE_MAX_BYTES);
        int rate = checked("publishRate", access.publishRate(endpoint), 0, WebSocketSettings.MAX_PUBLISH_RATE);
        int burst = checked("publishBurst", access.publishBurst(endpoint), 1, WebSocketSettings.MAX_PUBLISH_RATE);
        RateLimitPolicy exceeded = access.publishRateExceeded(endpoint);
        if (exceeded == null) {
            throw new IllegalStateException(type.getName() + ".publishRateExceeded() must not return null");
        }
        int maxRooms = checked("maxRoomsPerSession", access.maxRoomsPerSession(endpoint), 1,
                WebSocketSettings.MAX_MAX_ROOMS_PER_SESSION);
        int maxReplay = checked("historyMaxReplay", access.historyMaxReplay(endpoint), 0,
                WebSocketSettings.MAX_HISTORY_MAX_REPLAY);
        RoomRegistry r = rooms(); // fail the open now, with the reason, if there is no RedisPubSub
        SessionState.Limits limits = new SessionState.Limits(capacity, maxBytes, policy, maxMessageSize, rate, burst,
                exceeded, maxRooms, maxReplay);
        SessionState.Limits last = lastLimits;
        if (limits.equals(last)) {
            limits = last;
        } else {
            lastLimits = limits;
        }
        return sessions.open(session, r, hooks, endpoint, limits);
    }

    /** The hooks of the endpoint instance of a session, for the sessions of this registration. */
    private final class SessionHooks implements SessionState.Hooks {

        @Override
        public CloseReason refusal(SessionState state, String channel) {
            return EndpointRegistration.refusal(endpoint(state), state.session(), channel);
        }

        @Override
        public boolean hasHistory(SessionState state, String room) {
            return EndpointAccess.get().hasHistory(endpoint(state), room);
        }

        @Override
        public boolean signalsGaps(SessionState state, String room) {
            return EndpointAccess.get().signalsMissedMessages(endpoint(state), room);
        }

        @Override
        public void missed(SessionState state, String room, StreamPosition since, StreamPosition position,
                HistoryFrames.Reason reason, boolean onResume) {
            EndpointRegistration.this.missed(endpoint(state), MissedMessages.of(state.session(), room, since,
                    position, MissedMessages.Reason.valueOf(reason.name()), onResume));
        }

        @Override
        public void gapTold(SessionState state, String room, SubscriptionGap gap) {
            EndpointRegistration.this.missed(endpoint(state), MissedMessages.of(state.session(), room, gap));
        }

        private RedisPubSubEndpoint endpoint(SessionState state) {
            return (RedisPubSubEndpoint) state.endpoint();
        }
    }

    /**
     * Tell the application about missed messages: the endpoint's {@code onMissedMessages}, then the CDI event, on
     * the executor that closes sessions (never on the thread that found out, which serves every history room, or
     * the core's callback thread for a plain room's gap).
     */
    private void missed(RedisPubSubEndpoint endpoint, MissedMessages missed) {
        sessions.missed();
        LOGGER.log(Level.DEBUG, () -> "[" + type.getName() + " at " + path + "] " + missed);
        try {
            hookExecutor.execute(() -> {
                try {
                    EndpointAccess.get().onMissedMessages(endpoint, missed);
                } catch (RuntimeException e) {
                    EndpointAccess.get().onError(endpoint, missed.session(), e);
                }
                if (cdiEvents) {
                    CdiSupport.fire(missed);
                }
            });
        } catch (RejectedExecutionException e) {
            LOGGER.log(Level.DEBUG, () -> "cannot report " + missed + " now: " + e);
        }
    }

    /** Ask the endpoint's {@code mayJoin}: {@code null} if the session may join, else why not. */
    private static CloseReason refusal(RedisPubSubEndpoint endpoint, Session session, String channel) {
        try {
            if (EndpointAccess.get().mayJoin(endpoint, session, channel)) {
                return null;
            }
            return CloseReasons.of(CloseCodes.VIOLATED_POLICY, "not allowed to join channel " + channel);
        } catch (JoinRefusedException e) {
            return e.closeReason();
        }
    }

    private int checked(String hook, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalStateException(type.getName() + "." + hook + "() must return a value between " + min
                    + " and " + max + ", was " + value);
        }
        return value;
    }

    /**
     * Return the open sessions of this registration and its counters.
     *
     * @return the sessions; never {@code null}
     */
    public SessionRegistry sessions() {
        return sessions;
    }

    /**
     * Drain the sessions of registrations gracefully (the application is stopping): see {@link Drain}. Blocks the
     * calling thread for at most the longest {@code drain-timeout-ms} plus the longest {@code drain-spread-ms} of
     * their settings.
     *
     * @param registrations the registrations; must not be {@code null}
     * @return what the drain did; never {@code null}
     */
    public static Drain.Result drain(List<EndpointRegistration> registrations) {
        int timeout = 0;
        int spread = 0;
        List<SessionRegistry> registries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (EndpointRegistration r : registrations) {
            timeout = Math.max(timeout, r.settings.drainTimeoutMillis());
            spread = Math.max(spread, r.settings.drainSpreadMillis());
            registries.add(r.sessions);
            names.add(r.type.getName() + " at " + r.path);
        }
        return Drain.run(registries, Duration.ofMillis(timeout), Duration.ofMillis(spread), LOGGER,
                String.join(", ", names));
    }

    /**
     * Close every open session (the application is stopping).
     *
     * @param reason the close reason sent to every client; must not be {@code null}
     */
    public void closeAll(CloseReason reason) {
        sessions.closeAll(reason);
    }

    /**
     * Return the default channel of a session: the path parameter {@code room}, else {@code channel}, else the only
     * path parameter, else the path with its parameters filled in and characters not allowed in a channel name
     * replaced by {@code _}. The values of the path parameters come from the client and are confined first
     * ({@link RoomNames#confine(String)}).
     *
     * @param session the session; must not be {@code null}
     * @return the channel; never {@code null}
     * @throws RoomNames.InvalidRoomException if a path parameter's value contains {@code :} or a control or format
     *     character
     */
    public String defaultChannel(Session session) {
        Map<String, String> params = session.getPathParameters();
        String value = params.get("room");
        if (value == null) {
            value = params.get("channel");
        }
        if (value == null && params.size() == 1) {
            value = params.values().iterator().next();
        }
        if (value != null) {
            return RoomNames.confine(value);
        }
        Map<String, String> confined = new HashMap<>();
        params.forEach((name, v) -> confined.put(name, RoomNames.confine(v)));
        return channelOfPath(path, confined);
    }

    /** Fill a path template's parameters in and make the result a valid channel name. */
    static String channelOfPath(String template, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(template.length() + 16);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            int end = c == '{' ? template.indexOf('}', i) : -1;
            if (end > i) {
                String value = params.get(template.substring(i + 1, end));
                if (value != null) {
                    sb.append(value);
                } else {
                    sb.append(template, i, end + 1);
                }
                i = end;
            } else {
                sb.append(c);
            }
        }
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.isISOControl(c) || c == '*' || c == '?' || c == '[' || c == ']') {
                sb.setCharAt(i, '_');
            }
        }
        if (sb.length() > MAX_CHANNEL_LENGTH) {
            sb.setLength(MAX_CHANNEL_LENGTH);
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /**
     * Decide whether a handshake's {@code Origin} header is allowed by {@code allowed-origins}, counting a refusal.
     * A handshake without the header (a client that is not a browser) is allowed: the attack the check prevents
     * needs a browser, and browsers always send it.
     *
     * @param origin the header's value; can be {@code null}
     * @return {@code true} if allowed
     */
    boolean originAllowed(String origin) {
        Set<String> allowed = settings.allowedOrigins();
        if (allowed.isEmpty() || origin == null || origin.isEmpty()
                || allowed.contains(WebSocketSettings.normalizeOrigin(origin))) {
            return true;
        }
        sessions.refusedOrigin();
        LOGGER.log(Level.DEBUG, () -> "[" + type.getName() + " at " + path + "] handshake from origin "
                + CloseReasons.shorten(origin.replaceAll("\\p{Cntrl}", "?")) + " refused: not in "
                + WebSocketSettings.ALLOWED_ORIGINS);
        return false;
    }

    /**
     * Count a client message that could not be published, and log it: at WARNING the first time and then at most once
     * per 30 s, else at DEBUG.
     *
     * @param session the session that sent it; must not be {@code null}
     * @param channel the channel; must not be {@code null}
     * @param error why publishing failed; must not be {@code null}
     */
    public void publishFailed(Session session, String channel, Throwable error) {
        sessions.publishFailed();
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        publishLog.failure("a message of session " + session.getId() + " to channel " + channel + " was lost: "
                + cause.getMessage() + "; the client is not told (override onText to tell it)", cause);
    }

    /**
     * Return a snapshot of the counters.
     *
     * @return the counters; never {@code null}
     */
    public RedisPubSubEndpointStats stats() {
        return sessions.stats(rooms);
    }

    private static ServerEndpointConfig.Configurator instantiate(
            Class<? extends ServerEndpointConfig.Configurator> configuratorClass) {
        try {
            return configuratorClass.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("the configurator " + configuratorClass.getName() + " of the"
                    + " @ServerEndpoint cannot be created; it needs a public no-argument constructor: " + e, e);
        }
    }

    private static boolean overridesGetEndpointInstance(Class<?> configuratorClass) {
        try {
            return configuratorClass.getMethod("getEndpointInstance", Class.class).getDeclaringClass()
                    != ServerEndpointConfig.Configurator.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "EndpointRegistration{" + type.getName() + " at " + path + "}";
    }
}
