package dev.wskit.redis.websocket;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.internal.websocket.delivery.SessionState;
import dev.wskit.redis.internal.websocket.deploy.EndpointAccess;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;

/**
 * The base class of a WebSocket endpoint whose sessions talk to each other through Redis, across every server
 * instance of the application.
 *
 * <p>A chat needs no code beyond the class declaration:
 * <pre>{@code
 * @ServerEndpoint("/chat/{room}")
 * public class ChatEndpoint extends RedisPubSubEndpoint {
 * }
 * }</pre>
 * A client connecting to {@code /chat/lobby} joins the channel {@code lobby}; text it sends is published to Redis on
 * that channel, and every session in {@code lobby}, on every instance, receives it as the text frame it was. Override
 * the hooks to change any of it:
 * <pre>{@code
 * @ServerEndpoint("/rooms/{room}")
 * public class RoomEndpoint extends RedisPubSubEndpoint {
 *
 *     @Inject
 *     RoomPolicy policy;
 *
 *     @Override
 *     protected boolean mayJoin(Session session, String channel) {
 *         return policy.mayEnter(session.getUserPrincipal(), channel);
 *     }
 *
 *     @Override
 *     protected void onText(Session session, String text) {
 *         if (text.startsWith("/join ")) {
 *             join(session, text.substring(6));
 *         } else {
 *             super.onText(session, text);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>How the class is deployed</h2>
 * The subclass declares no {@code @OnOpen} or {@code @OnMessage} methods, and it must not: the WebSocket
 * specification does not inherit those annotations, and Open Liberty rejects an annotated endpoint whose lifecycle
 * methods are only inherited. The library deploys the subclass itself, on WildFly, Payara and Open Liberty alike:
 * <ol>
 *   <li>A {@code ServerApplicationConfig} in the library jar takes every subclass out of the set of annotated
 *       endpoints the container would deploy. It returns no programmatic configuration, so it does not matter in
 *       which order the container calls its two methods.</li>
 *   <li>A {@code ServletContainerInitializer} in the library jar ({@code @HandlesTypes(RedisPubSubEndpoint.class)})
 *       receives the concrete subclasses annotated with {@code @ServerEndpoint}, and a {@code ServletContextListener}
 *       it adds registers each in {@code contextInitialized}, through {@code ServerContainer.addEndpoint}, at the
 *       annotation's path with its subprotocols, encoders, decoders and configurator. The endpoint registered is an
 *       internal class extending {@link jakarta.websocket.Endpoint}, without {@code @ServerEndpoint} (Liberty treats
 *       any class carrying that annotation as an annotated endpoint, also when registered programmatically). Its
 *       configurator creates one instance of the subclass per connection and delegates to it.</li>
 * </ol>
 * Registration happens in {@code contextInitialized} because the specification guarantees the {@code ServerContainer}
 * and {@code addEndpoint} there, whereas the WebSocket implementation's own initializer may run after ours. Neither
 * step depends on the order in which the container calls the two methods of {@code ServerApplicationConfig}, nor on
 * whether it calls them before or after the initializers. An application with a {@code ServerApplicationConfig} of its
 * own must leave the subclasses out of what it returns ({@link RedisPubSubEndpoints#withoutRedisPubSubEndpoints}), and
 * must not register them itself. Outside a servlet container (a standalone Tyrus server, tests) register the
 * subclass with {@link RedisPubSubEndpoints#config(Class, RedisPubSub)} instead.
 *
 * <p>Instances are created per connection by the annotation's configurator if it overrides
 * {@code getEndpointInstance}; else through CDI when a CDI container is reachable ({@code CDI.current()}): a bean
 * class is obtained as a bean (it must be {@code @Dependent}), any other class is created with {@code Unmanaged},
 * which injects its {@code @Inject} members and calls its {@code @PostConstruct} method on every server; else with
 * the public no-argument constructor. The {@link RedisPubSub} is the application's CDI bean, which the library's CDI
 * extension provides, or the one given to {@link RedisPubSubEndpoints#config(Class, RedisPubSub)}. In a servlet
 * container the listener checks at deployment that the bean can be looked up (a CDI container is reachable, the bean
 * exists and is not ambiguous) and otherwise fails the deployment, logging one SEVERE line with the cause and the fix;
 * the library's jar is a bean archive so that every server starts CDI for the application, also for one with no bean
 * archive of its own.
 *
 * <h2>Channels</h2>
 * On open a session joins the channels of {@link #channelsFor(Session)}, each after {@link #mayJoin(Session, String)};
 * {@link #join(Session, String)} and {@link #leave(Session, String)} change them later. Channel names are those of
 * {@link RedisPubSub}: without the namespace, not empty, at most 1024 characters, no whitespace, no control characters,
 * no {@code * ? [ ]}. Each server instance holds one Redis subscription per channel, taken when the first local
 * session joins it and released when the last one leaves or closes (sessions of several endpoint classes in one channel
 * share it too). A message that arrives on the channel is forwarded to each local session in it as the text frame it
 * was published as, without decoding.
 *
 * <h2>Slow clients</h2>
 * The Redis subscriber thread never waits for a client. Each session has a bounded outbound queue with one
 * asynchronous send in flight; when the queue is full the {@link OverflowPolicy} applies (by default the session is
 * closed with 1013 "Try Again Later" and counted in {@link #stats()}). Send to a session only with
 * {@link #send(Session, String)}, never with {@code getBasicRemote()} or {@code getAsyncRemote()}: a second send in
 * flight fails on Open Liberty.
 *
 * <h2>Excluding the sender</h2>
 * With {@code wskit.redis.websocket.exclude-sender=true} (or {@link #excludeSender(Session)} overridden) the default
 * {@link #onText(Session, String)} publishes with {@link #publishExcept(Session, String, String)}: the sending session
 * does not receive its own message back; every other session in the channel, on this instance and all others, does.
 * Nothing is added to the message. This instance remembers, per channel, the payloads it published that way and their
 * sender, and skips that sender when an equal payload comes back from Redis (Redis delivers one publisher's messages in
 * order). Other instances know nothing of it and deliver to all their sessions. If a custom
 * {@link dev.wskit.redis.MessageSerializer} changes strings, the payload that comes back differs and the sender
 * receives its message after all.
 *
 * <h2>History rooms: nothing lost across reconnects</h2>
 * A room for which {@link #hasHistory(String)} says {@code true} (by default the rooms named by
 * {@code wskit.redis.websocket.history-rooms}; none unless configured) keeps its messages in a history in Redis
 * ({@link RedisPubSub#publishWithHistory}): every message gets the room's next offset and its epoch. Its sessions
 * receive each message once, in order, as a small JSON frame carrying the room, the offset, the epoch and the
 * message ({@code {"wskit":1,"type":"message","room":"lobby","offset":5,"epoch":"Ab3","data":"hello"}}), and control
 * frames: where the room stands when a session joins ({@code subscribed}), {@code recovered} or
 * {@code not-recovered} when it resumed, {@code lost} when messages were lost during the session. A client that
 * reconnects, to any instance, with its last position per room in the query parameter
 * {@code since=<room>:<offset>:<epoch>} receives exactly the messages it missed, then the live ones, without a gap
 * or a duplicate. The protocol is in {@code docs/client-protocol.md}; the library serves a JavaScript client that
 * speaks it at {@code /wskit/wskit.js} of every application. Missed messages that cannot be sent (the history was
 * reset or trimmed, or more than {@link #historyMaxReplay()} were missed) are told to the client and to
 * {@link #onMissedMessages(Session, MissedMessages)}, and fired as a CDI event. Plain rooms are unchanged: their
 * messages reach the clients as the text frames they were published as, at most once. Their loss is not silent
 * either, if asked for: the sessions of the rooms for which {@link #signalsMissedMessages(String)} says {@code true}
 * (by default those named by {@code wskit.redis.websocket.missed-rooms}; none unless configured) get a
 * {@code missed} frame with the time during which this instance's subscription to the room was not in force.
 *
 * <h2>Settings</h2>
 * Read once, at deployment, from MicroProfile Config when present:
 * <table>
 * <caption>Settings</caption>
 * <tr><th>Key</th><th>Default</th><th>Rule</th><th>Hook</th></tr>
 * <tr><td>{@code wskit.redis.websocket.send-queue-capacity}</td><td>1024</td><td>1 to 1000000 messages waiting
 *     behind the one in flight</td><td>{@link #sendQueueCapacity()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.overflow-policy}</td><td>{@code close}</td><td>{@code close},
 *     {@code drop-newest} or {@code drop-oldest}</td><td>{@link #overflowPolicy()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.exclude-sender}</td><td>{@code false}</td><td>{@code true} or
 *     {@code false}</td><td>{@link #excludeSender(Session)}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.delivery-parallelism}</td><td>the number of processors</td><td>1 to 256
 *     threads, the Redis subscriber thread included, handing one message to the sessions of a channel with at
 *     least 512 local sessions; each session still gets its messages in order</td><td>none</td></tr>
 * <tr><td>{@code wskit.redis.websocket.max-message-size}</td><td>65536</td><td>1 to 268435456 bytes a client may
 *     send in one message; more closes the session with 1009</td><td>{@link #maxMessageSize()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.send-queue-max-bytes}</td><td>16777216</td><td>1 to 536870912 bytes (2 per
 *     character) waiting behind the one in flight</td><td>{@link #sendQueueMaxBytes()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.publish-rate}</td><td>100</td><td>0 (no limit) to 1000000 messages per
 *     second a client may send</td><td>{@link #publishRate()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.publish-burst}</td><td>200</td><td>1 to 1000000 messages a client may send
 *     at once</td><td>{@link #publishBurst()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.publish-rate-exceeded}</td><td>{@code close}</td><td>{@code close} (1008)
 *     or {@code drop}</td><td>{@link #publishRateExceeded()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.max-rooms-per-session}</td><td>64</td><td>1 to 1000000 channels per
 *     session; a join beyond it is refused</td><td>{@link #maxRoomsPerSession()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.history-rooms}</td><td>none</td><td>comma-separated room names, each may
 *     end in {@code *} for every room starting with it ({@code *} alone: every room)</td><td>{@link
 *     #hasHistory(String)}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.missed-rooms}</td><td>none</td><td>comma-separated room names, each may
 *     end in {@code *} for every room starting with it ({@code *} alone: every room)</td><td>{@link
 *     #signalsMissedMessages(String)}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.history-max-replay}</td><td>1000</td><td>0 to 1000000 messages sent to one
 *     session from a room's history when it resumes (or fills a gap); more missed messages are not
 *     recovered</td><td>{@link #historyMaxReplay()}</td></tr>
 * <tr><td>{@code wskit.redis.websocket.allowed-origins}</td><td>{@code *}</td><td>{@code *} or a comma-separated
 *     list of origins; a handshake from another origin is refused with HTTP 403 (one without an {@code Origin}
 *     header, from a client that is not a browser, is accepted). Set it when login is cookie-based</td><td>none
 *     (checked in the handshake, before an instance exists)</td></tr>
 * </table>
 * An invalid value fails the deployment with one message naming every bad key, its rule and its value.
 *
 * <h2>Threads</h2>
 * The hooks run on the container's threads, like the methods of any endpoint: {@code onText} and {@code onBinary} one
 * message at a time per session. No hook runs on the Redis subscriber thread, and nothing the library does there
 * waits for a client or takes a lock held while user code runs. The helpers are thread-safe and never block on Redis
 * or on a client. A helper that takes a {@link Session} throws {@link IllegalArgumentException} if the session is not
 * a session of a {@code RedisPubSubEndpoint}; on a session that has closed it does nothing ({@code join} returns
 * {@code false}). {@link #publish}, {@link #redisPubSub()} and {@link #stats()} throw {@link IllegalStateException}
 * on an instance the library did not create.
 *
 * @since 0.1
 */
public abstract class RedisPubSubEndpoint {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.websocket");

    static {
        EndpointAccess.install(new EndpointHooks());
    }

    /** The registration this instance is bound to; set once, by {@link EndpointHooks#bind}. */
    volatile EndpointRegistration registration;

    /**
     * Create an instance; the library calls the subclass's constructor once per connection.
     */
    protected RedisPubSubEndpoint() {
    }

    // ------------------------------------------------------------------------------------------------ hooks

    /**
     * Return the channels a new session joins.
     *
     * <p>The default is the value of the path parameter {@code room}, else of {@code channel}, else of the only path
     * parameter; with none of those it is the endpoint's path with its parameters filled in, whitespace, control and
     * glob characters replaced by {@code _} (so {@code @ServerEndpoint("/news")} gives the channel {@code /news}).
     * A channel name that is invalid (from the client's URL, say) closes the session with 1008.
     *
     * <p>The values of path parameters come from the client, so the default confines them: they are normalized to
     * Unicode NFC (the composed and decomposed spellings of {@code café} are one room), and a value containing
     * {@code :} or a control or format character (Unicode categories Cc and Cf: zero-width characters,
     * bidirectional overrides, the byte order mark) closes the session with 1008 "invalid room: …", counted in
     * {@link RedisPubSubEndpointStats#refused()}. The room {@code lobby} is the Redis channel
     * {@code <namespace>:lobby}; without the {@code :} rule the room {@code admin:alerts} of an application with
     * namespace {@code ws} would be the channel {@code alerts} of an application with namespace {@code ws:admin}, or
     * any channel with a {@code :} that this application uses itself. Override this method to allow other names;
     * {@link #join(Session, String)} does not confine names, so check those that come from the client yourself.
     *
     * @param session the new session; never {@code null}
     * @return the channels, joined in iteration order; must not be {@code null}, can be empty
     */
    protected Set<String> channelsFor(Session session) {
        return Set.of(registration().defaultChannel(session));
    }

    /**
     * Decide whether a session may join a channel; called before every join, also those of
     * {@link #channelsFor(Session)}.
     *
     * <p>Refusing closes the session: returning {@code false} closes it with 1008 "Policy Violation", throwing a
     * {@link JoinRefusedException} closes it with the exception's close reason. Either way the refusal is counted in
     * {@link RedisPubSubEndpointStats#refused()}, and {@link #onOpen(Session)} is not called if it happens while the
     * session opens. The default allows everything.
     *
     * @param session the session; never {@code null}
     * @param channel the channel; never {@code null}
     * @return {@code true} to allow the join
     * @throws JoinRefusedException to refuse with a close reason of your own
     */
    protected boolean mayJoin(Session session, String channel) {
        return true;
    }

    /**
     * Called after a new session joined all its channels. Does nothing by default.
     *
     * @param session the session; never {@code null}
     */
    protected void onOpen(Session session) {
    }

    /**
     * Handle a text message from the client.
     *
     * <p>The default publishes the text, unchanged, to every channel the session is in, with
     * {@link #publishExcept(Session, String, String)} if {@link #excludeSender(Session)} says so, else with
     * {@link #publish(String, Object)}. A failed publish (Redis unreachable, too many publishes pending) loses the
     * message: it is counted in {@link RedisPubSubEndpointStats#publishFailures()} and logged at WARNING, at most
     * once per 30 s for the endpoint class (the others at DEBUG); the client is not told. Override to tell it, using
     * the stage {@code publish} returns.
     *
     * @param session the session; never {@code null}
     * @param text the message; never {@code null}
     */
    protected void onText(Session session, String text) {
        EndpointRegistration r = registration();
        boolean exclude = excludeSender(session);
        for (String channel : channels(session)) {
            CompletionStage<Void> stage = exclude ? publishExcept(session, channel, text) : publish(channel, text);
            stage.whenComplete((ok, error) -> {
                if (error != null) {
                    r.publishFailed(session, channel, error);
                }
            });
        }
    }

    /**
     * Handle a binary message from the client. The default ignores it: a binary frame forwarded through Redis would
     * reach the other clients as a base64 text frame, which no client expects. Override to handle binary data, for
     * example to decode it and {@link #publish(String, Object)} the result.
     *
     * @param session the session; never {@code null}
     * @param data the message; never {@code null}
     */
    protected void onBinary(Session session, ByteBuffer data) {
    }

    /**
     * Called once when a session closed, after it left all its channels; also for a session that was refused while
     * opening. Does nothing by default.
     *
     * @param session the session; never {@code null}
     * @param closeReason why it closed; never {@code null}
     */
    protected void onClose(Session session, CloseReason closeReason) {
    }

    /**
     * Called when the container reports an error on a session, or a hook threw. The default logs it: at DEBUG when it
     * is an {@link IOException} (usually a client that went away), else at WARNING.
     *
     * @param session the session; never {@code null}
     * @param error the error; never {@code null}
     */
    protected void onError(Session session, Throwable error) {
        Level level = error instanceof IOException ? Level.DEBUG : Level.WARNING;
        LOGGER.log(level, "error on session " + session.getId() + " of " + getClass().getName() + ": " + error,
                error);
    }

    /**
     * Return how many messages may wait, per session, behind the one being sent. Called once per session, when it
     * opens. The default is {@code wskit.redis.websocket.send-queue-capacity}, 1024 unless configured.
     *
     * @return the capacity, between 1 and 1000000
     */
    protected int sendQueueCapacity() {
        return registration().settings().sendQueueCapacity();
    }

    /**
     * Return what happens when a session's queue is full. Called once per session, when it opens. The default is
     * {@code wskit.redis.websocket.overflow-policy}, {@link OverflowPolicy#CLOSE} unless configured.
     *
     * @return the policy; must not be {@code null}
     */
    protected OverflowPolicy overflowPolicy() {
        return registration().settings().overflowPolicy();
    }

    /**
     * Return the largest message, in bytes (UTF-8 for text), that a client may send. Called once per session, when it
     * opens; set on the session as its maximum text and binary buffer size, so that the container closes a session
     * whose client sends more with 1009 "Too Big", and checked again by the library for a container that does not.
     * Either way the session is closed with 1009 and counted in {@link RedisPubSubEndpointStats#closedForSize()}.
     * The default is {@code wskit.redis.websocket.max-message-size}, 65536 unless configured.
     *
     * @return the limit, between 1 and 268435456
     */
    protected int maxMessageSize() {
        return registration().settings().maxMessageSize();
    }

    /**
     * Return how many bytes may wait, per session, behind the message being sent, measured as 2 per character (the
     * heap a {@code String} may hold). A message is queued when the queue stays within this and
     * {@link #sendQueueCapacity()}, or when nothing waits; else the {@link #overflowPolicy()} applies. Called once per
     * session, when it opens. The default is {@code wskit.redis.websocket.send-queue-max-bytes}, 16777216 (16 MiB)
     * unless configured.
     *
     * @return the limit, between 1 and 536870912
     */
    protected int sendQueueMaxBytes() {
        return registration().settings().sendQueueMaxBytes();
    }

    /**
     * Return how many messages per second a client may send, on average (a token bucket of
     * {@link #publishBurst()} tokens refilled at this rate). Every text and binary message takes a token before it
     * reaches {@link #onText(Session, String)} or {@link #onBinary(Session, ByteBuffer)}; a message that finds none
     * is handled by {@link #publishRateExceeded()} and counted in {@link RedisPubSubEndpointStats#rateLimited()}.
     * This keeps one client from using up the publishes that {@link RedisPubSub} holds for all of them. Called once
     * per session, when it opens. The default is {@code wskit.redis.websocket.publish-rate}, 100 unless configured.
     *
     * @return messages per second, between 0 (no limit) and 1000000
     */
    protected int publishRate() {
        return registration().settings().publishRate();
    }

    /**
     * Return how many messages a client may send at once, above {@link #publishRate()}: the size of its token
     * bucket, full when the session opens. Called once per session, when it opens. The default is
     * {@code wskit.redis.websocket.publish-burst}, 200 unless configured.
     *
     * @return messages, between 1 and 1000000
     */
    protected int publishBurst() {
        return registration().settings().publishBurst();
    }

    /**
     * Return what happens to a message a client sends beyond {@link #publishRate()}. Called once per session, when it
     * opens. The default is {@code wskit.redis.websocket.publish-rate-exceeded}, {@link RateLimitPolicy#CLOSE} (the
     * session is closed with 1008) unless configured.
     *
     * @return the policy; must not be {@code null}
     */
    protected RateLimitPolicy publishRateExceeded() {
        return registration().settings().publishRateExceeded();
    }

    /**
     * Return how many channels one session may be in. A join beyond it, from {@link #channelsFor(Session)} or
     * {@link #join(Session, String)}, is refused like one {@link #mayJoin(Session, String)} refuses: the session is
     * closed with 1008 and counted in {@link RedisPubSubEndpointStats#refused()}. Called once per session, when it
     * opens. The default is {@code wskit.redis.websocket.max-rooms-per-session}, 64 unless configured.
     *
     * @return the limit, between 1 and 1000000
     */
    protected int maxRoomsPerSession() {
        return registration().settings().maxRoomsPerSession();
    }

    /**
     * Decide whether the default {@link #onText(Session, String)} keeps a session's messages from coming back to it.
     * The default is {@code wskit.redis.websocket.exclude-sender}, {@code false} unless configured.
     *
     * @param session the sending session; never {@code null}
     * @return {@code true} to exclude the sender
     */
    protected boolean excludeSender(Session session) {
        return registration().settings().excludeSender();
    }

    /**
     * Decide whether a room keeps a history, so that its sessions receive every message once, in order, with its
     * position, and resume after a reconnect on any instance (see "History rooms" above). Called when a session
     * joins a room and for every publish of {@link #publish(String, Object)}, {@link #publishExcept} and the default
     * {@link #onText(Session, String)}. The answer must depend on the room's name only, and be the same on every
     * instance and in every application that publishes to the room: a room is published to either always with
     * history or never (its messages travel in an envelope on the Redis channel). The default is
     * {@code wskit.redis.websocket.history-rooms}: none unless configured.
     *
     * @param room the room; never {@code null}
     * @return {@code true} if the room has history
     * @since 0.2
     */
    protected boolean hasHistory(String room) {
        return registration().settings().isHistoryRoom(room);
    }

    /**
     * Decide whether the sessions of a plain room (one without history) are told when this instance may have missed
     * messages of the room: after its subscription to the room was not in force for a while (its Redis subscriber
     * connection was lost or replaced; see {@link dev.wskit.redis.SubscriptionGap}), each such session receives one
     * {@code missed} frame ({@code {"wskit":1,"type":"missed","room":"lobby","from":"...","to":"...",
     * "reason":"connection-lost"}}, see {@code docs/client-protocol.md}) and the application hears it through
     * {@link #onMissedMessages(Session, MissedMessages)} (reason {@link MissedMessages.Reason#SUBSCRIPTION_GAP}) and
     * the CDI event. Called when a session joins a plain room; a history room never gets such a frame (it recovers).
     * The default is {@code wskit.redis.websocket.missed-rooms}: none unless configured, so that clients that do not
     * know the frame never receive it.
     *
     * @param room the room; never {@code null}
     * @return {@code true} if the room's sessions are told of missed messages
     * @since 0.2
     */
    protected boolean signalsMissedMessages(String room) {
        return registration().settings().isMissedRoom(room);
    }

    /**
     * Return how many messages are sent at most to one session from a room's history in one go: when it resumes
     * after the position its client gave, or fills a gap. A session that missed more is told {@code not-recovered}
     * (reason {@code too-far-behind}) and continues at the room's position; so a client cannot make the server read
     * more than this per room it joins. Called once per session, when it opens. The default is
     * {@code wskit.redis.websocket.history-max-replay}, 1000 unless configured.
     *
     * @return the limit, between 0 and 1000000
     * @since 0.2
     */
    protected int historyMaxReplay() {
        return registration().settings().historyMaxReplay();
    }

    /**
     * Called when a session of a history room missed messages that cannot be sent to it: it resumed too late (the
     * history was trimmed, expired or reset, or it missed more than {@link #historyMaxReplay()}), or the instance lost
     * messages during the session; and when a session of a plain room that signals missed messages
     * ({@link #signalsMissedMessages(String)}) may have missed some (reason
     * {@link MissedMessages.Reason#SUBSCRIPTION_GAP}). The client has been told already ({@code not-recovered},
     * {@code lost} or {@code missed}); the
     * same report is fired as a CDI event when a CDI container is reachable. Runs on the container's managed
     * executor, not on a thread that delivers messages. Does nothing by default; override to send the client what
     * it needs to start over, such as a snapshot of the room's state (with {@link #send(Session, String)}).
     *
     * @param session the session; never {@code null} (it may have closed since)
     * @param missed what was missed; never {@code null}
     * @since 0.2
     */
    protected void onMissedMessages(Session session, MissedMessages missed) {
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * Add a session to a channel, after {@link #mayJoin(Session, String)}; does nothing if it is in the channel
     * already. The first local session in a channel subscribes this instance to it; the method returns without
     * waiting for Redis to acknowledge, and messages published before the acknowledgement are not received
     * (at-most-once, like {@link RedisPubSub}). A refusal closes the session; to refuse more gently, check before
     * calling this.
     *
     * @param session an open session of this endpoint; must not be {@code null}
     * @param channel the channel; must be a valid channel name
     * @return {@code true} if the session is in the channel now; {@code false} if it was refused or has closed
     * @throws IllegalArgumentException if the channel name is invalid, or the session is {@code null} or not a
     *     session of a {@code RedisPubSubEndpoint}
     */
    public final boolean join(Session session, String channel) {
        return state(session).join(channel);
    }

    /**
     * Remove a session from a channel; does nothing if it is not in it. The last local session leaving a channel
     * releases this instance's subscription to it.
     *
     * @param session an open session of this endpoint; must not be {@code null}
     * @param channel the channel; must not be {@code null}
     * @throws IllegalArgumentException if an argument is {@code null} or the session is not a session of a
     *     {@code RedisPubSubEndpoint}
     */
    public final void leave(Session session, String channel) {
        state(session).leave(channel);
    }

    /**
     * Return the channels a session is in.
     *
     * @param session a session of this endpoint; must not be {@code null}
     * @return an unmodifiable snapshot, in joining order; never {@code null}
     * @throws IllegalArgumentException if the session is {@code null} or not a session of a
     *     {@code RedisPubSubEndpoint}
     */
    public final Set<String> channels(Session session) {
        return state(session).channels();
    }

    /**
     * Publish a message to a channel: every session in it, on every instance, receives it, the sender included.
     * Never blocks; see {@link RedisPubSub#publish(String, Object)}, which serializes the message (a {@code String}
     * unchanged by default). A room for which {@link #hasHistory(String)} says {@code true} is published to with
     * {@link RedisPubSub#publishWithHistory}.
     *
     * @param channel the channel; must be a valid channel name
     * @param message the message; can be {@code null}
     * @return a stage completing when Redis accepted the message; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     * @throws IllegalStateException if this instance was not created by the library, or there is no
     *     {@code RedisPubSub}
     */
    public final CompletionStage<Void> publish(String channel, Object message) {
        return registration().rooms().publish(channel, message, hasHistory(channel));
    }

    /**
     * Publish text to a channel: every session in it, on every instance, receives it, except {@code sender}. See
     * "Excluding the sender" above for how, and for the one case where the sender receives it after all. If the
     * sender is not in the channel this is the same as {@link #publish(String, Object)}. In a history room the
     * sender's position still moves past its own message; only while it resumes may it receive it.
     *
     * @param sender the session not to deliver to; must not be {@code null}
     * @param channel the channel; must be a valid channel name
     * @param text the text; must not be {@code null}
     * @return a stage completing when Redis accepted the message; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid, the text is {@code null}, or the sender is
     *     {@code null} or not a session of a {@code RedisPubSubEndpoint}
     */
    public final CompletionStage<Void> publishExcept(Session sender, String channel, String text) {
        return state(sender).publishExcept(channel, text);
    }

    /**
     * Send text to one session through its outbound queue, behind the messages already waiting. Never blocks; the
     * {@link OverflowPolicy} applies when the queue is full, and nothing happens once the session closed.
     *
     * @param session an open session of this endpoint; must not be {@code null}
     * @param text the text; must not be {@code null}
     * @throws IllegalArgumentException if the text is {@code null}, or the session is {@code null} or not a session of
     *     a {@code RedisPubSubEndpoint}
     */
    public final void send(Session session, String text) {
        state(session).send(text);
    }

    /**
     * Return the {@link RedisPubSub} this endpoint publishes and subscribes with, for subscriptions and publishes of
     * your own.
     *
     * @return the instance; never {@code null}
     * @throws IllegalStateException if this instance was not created by the library (its constructor and
     *     {@code @PostConstruct} method run before it is bound), or there is no {@code RedisPubSub}
     */
    public final RedisPubSub redisPubSub() {
        return registration().rooms().pubsub();
    }

    /**
     * Return the counters of this endpoint class on this server instance.
     *
     * @return a snapshot; never {@code null}
     * @throws IllegalStateException if this instance was not created by the library
     */
    public final RedisPubSubEndpointStats stats() {
        return registration().stats();
    }

    private SessionState state(Session session) {
        EndpointRegistration r = registration;
        return SessionState.of(session, r == null ? null : r.sessions());
    }

    private EndpointRegistration registration() {
        EndpointRegistration r = registration;
        if (r == null) {
            throw new IllegalStateException(getClass().getName() + " was not created by the library, or is not"
                    + " bound yet (in its constructor or @PostConstruct method)");
        }
        return r;
    }
}
