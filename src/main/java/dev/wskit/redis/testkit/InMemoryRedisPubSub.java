package dev.wskit.redis.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.internal.LocalBroker;
import dev.wskit.redis.internal.LocalPubSub;
import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.StreamPosition;

/**
 * A {@link RedisPubSub} without Redis, for unit tests: messages go through an in-memory {@link Broker} instead of a
 * Redis server, synchronously, on the publishing thread.
 *
 * <pre>{@code
 * InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
 * List<Object> received = new ArrayList<>();
 * pubsub.subscribe("orders", (channel, message) -> received.add(message));
 *
 * new OrderService(pubsub).placeOrder("42");               // your code, which publishes
 *
 * assertThat(received).containsExactly(Map.of("id", "42")); // no waiting: delivery is synchronous
 * }</pre>
 *
 * <h2>The same as with Redis</h2>
 * The whole {@link RedisPubSub} contract except what needs a network: channel and pattern names are checked by the
 * same code and throw the same {@link IllegalArgumentException}s; the namespace prefixes every channel on the
 * (simulated) wire, so instances with different namespaces do not see each other; messages are serialized with the
 * configured {@link dev.wskit.redis.MessageSerializer} and received through the configured
 * {@link dev.wskit.redis.MessageDeserializer}, typed handlers convert by the same code ({@code String.class} the
 * payload as published, {@code byte[].class} base64-decoded, other types with JSON-B), so a test sees exactly what a
 * handler would see behind Redis, a {@code String} that is JSON text arriving parsed included; patterns match as
 * Redis's {@code PSUBSCRIBE} does ({@code *}, {@code ?}, {@code [...]}, {@code [^...]}, {@code \} escapes, on the
 * UTF-8 bytes); an instance subscribed to a channel and to a matching pattern receives the message once for each; a
 * handler that throws is logged and counted and the other handlers still run; after {@link #destroy()} publishes fail
 * with a {@link RedisPubSubException} caused by an {@link IllegalStateException} and subscribing throws
 * {@link IllegalStateException}; {@link #stats()} counts the same events. Options: the namespace, the serializer and
 * deserializer, the callbacks and {@code shardedPubSub} (then {@code psubscribe} throws) are honoured; connection
 * options are ignored.
 *
 * <h2>What differs</h2>
 * <ul>
 *   <li>Delivery is synchronous: when {@code publish} returns, every subscribed handler of every instance on the
 *       broker has run, on the publishing thread, and the returned stage is complete. A handler that publishes
 *       (re-entrancy) does not recurse: its message is queued and delivered as soon as the message being handled
 *       has reached all its handlers, still before the outermost {@code publish} returns. All subscribers see the
 *       broker's messages in one order. One thread delivers at a time per broker: a handler must not block waiting
 *       for another thread that publishes on the same broker (with Redis it must not block either).</li>
 *   <li>It is connected at once: {@link #connected()} and every {@link Subscription#ready()} are complete when
 *       returned (except during a {@linkplain #simulateDisconnect() simulated disconnection}). {@code onConnect}
 *       runs in {@code create}/{@code connect}; callbacks run on the thread that caused them, not on a library
 *       thread.</li>
 *   <li>No network, no threads, nothing to close but the instance; nothing is lost (except while disconnected), and
 *       there are no limits on pending publishes. Payloads still cross the broker as UTF-8, as they would cross
 *       Redis.</li>
 * </ul>
 *
 * <p>Several instances on one {@link Broker} stand for several server instances sharing one Redis. Thread-safe.
 *
 * @since 0.2
 */
public final class InMemoryRedisPubSub implements RedisPubSub {

    private final LocalPubSub delegate;
    private final Broker broker;

    private InMemoryRedisPubSub(LocalPubSub delegate, Broker broker) {
        this.delegate = delegate;
        this.broker = broker;
    }

    /**
     * Create an instance with the default options (namespace {@code ws}, the default codec) on a broker of its own.
     *
     * @return a connected instance; never {@code null}
     */
    public static InMemoryRedisPubSub create() {
        return Broker.create().connect();
    }

    /**
     * Create an instance on a broker of its own.
     *
     * @param options the options, for example those of production; the namespace, serializer, deserializer,
     *     callbacks and {@code shardedPubSub} apply, connection options are ignored; must not be {@code null}
     * @return a connected instance; never {@code null}
     * @throws IllegalArgumentException if {@code options} is {@code null}
     */
    public static InMemoryRedisPubSub create(RedisPubSubOptions options) {
        return Broker.create().connect(options);
    }

    /**
     * Return the broker this instance is connected to, to connect more instances or to look at the wire.
     *
     * @return the broker; never {@code null}
     */
    public Broker broker() {
        return broker;
    }

    /**
     * Simulate losing Redis: until {@link #simulateReconnect()}, {@link #isConnected()} is {@code false},
     * {@code publish} fails at once with a {@link RedisPubSubException} (the message was not sent; nothing is held
     * as {@code holdPublishesWhileConnecting} would hold it), messages
     * published by other instances are not received (at-most-once), and subscriptions made meanwhile are
     * acknowledged only at the reconnection. {@code onDisconnect} is called. Does nothing if disconnected already or
     * destroyed.
     */
    public void simulateDisconnect() {
        delegate.simulateDisconnect();
    }

    /**
     * End a simulated disconnection: every subscription holds again, pending {@link Subscription#ready()} stages and
     * {@link #connected()} complete, {@code onConnect} is called and {@link RedisPubSubStats#reconnects()} counts
     * one. Messages published while disconnected are not delivered afterwards: as with Redis, every subscription
     * (without history) that was confirmed before the disconnection is told so, with
     * {@link dev.wskit.redis.MessageHandler#onGap} (a {@link dev.wskit.redis.SubscriptionGap} from the disconnection
     * to the reconnection, {@code CONNECTION_LOST}; counted in {@link RedisPubSubStats#subscriptionGaps()}), here on
     * the calling thread before this method returns. Does nothing if connected or destroyed.
     */
    public void simulateReconnect() {
        delegate.simulateReconnect();
    }

    /**
     * Publish a message; see {@link RedisPubSub#publish(String, Object)}. Delivered to every subscribed handler
     * before this method returns (unless called from a handler, see the class description).
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param message the message; can be {@code null}
     * @return a completed stage, or a failed one as described by {@link RedisPubSub#publish(String, Object)};
     *     never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     */
    @Override
    public CompletionStage<Void> publish(String channel, Object message) {
        return delegate.publish(channel, message);
    }

    /**
     * Publish a message with history; see {@link RedisPubSub#publishWithHistory(String, Object)}. The broker keeps
     * the histories in memory ({@link RedisPubSubOptions#historySize()} messages per channel, as the publishing
     * instance's options say; no time to live), shared by its instances as Redis shares them. The stage completes on
     * the instance's history thread.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param message the message; can be {@code null}
     * @return a stage completing with the message's position
     * @throws IllegalArgumentException if the channel name is invalid
     * @since 0.2
     */
    @Override
    public CompletionStage<StreamPosition> publishWithHistory(String channel, Object message) {
        return delegate.publishWithHistory(channel, message);
    }

    /**
     * Subscribe with history; see {@link RedisPubSub#subscribeWithHistory}. The handler runs on the instance's
     * history thread, as with Redis; after {@link #simulateReconnect()} what was published meanwhile is read from the
     * history.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type messages are converted to
     * @param since the position to continue after, or {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the message type
     * @return the subscription
     * @since 0.2
     */
    @Override
    public <T> Subscription subscribeWithHistory(String channel, Class<T> type, StreamPosition since,
            HistoryHandler<? super T> handler) {
        return delegate.subscribeWithHistory(channel, type, since, handler);
    }

    /**
     * Read a channel's history; see {@link RedisPubSub#history}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param since the position to read after, or {@code null}
     * @param limit the most messages returned, 0 to 10,000
     * @return a stage completing with what was read
     * @since 0.2
     */
    @Override
    public CompletionStage<History> history(String channel, StreamPosition since, int limit) {
        return delegate.history(channel, since, limit);
    }

    /**
     * Subscribe a handler to a channel; see {@link RedisPubSub#subscribe(String, MessageHandler)}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param handler the handler; must not be {@code null}
     * @return the subscription, acknowledged already while connected; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or the handler is {@code null}
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public Subscription subscribe(String channel, MessageHandler handler) {
        return delegate.subscribe(channel, handler);
    }

    /**
     * Subscribe a typed handler to a channel; see {@link RedisPubSub#subscribe(String, Class, TypedMessageHandler)}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type to convert messages to; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @return the subscription, acknowledged already while connected; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or an argument is {@code null}
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public <T> Subscription subscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        return delegate.subscribe(channel, type, handler);
    }

    /**
     * Subscribe a handler to a pattern; see {@link RedisPubSub#psubscribe(String, MessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param handler the handler; must not be {@code null}
     * @return the subscription, acknowledged already while connected; never {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or the handler is {@code null}
     * @throws IllegalStateException after {@link #destroy()}, or if the options ask for sharded pub/sub
     */
    @Override
    public Subscription psubscribe(String pattern, MessageHandler handler) {
        return delegate.psubscribe(pattern, handler);
    }

    /**
     * Subscribe a typed handler to a pattern; see
     * {@link RedisPubSub#psubscribe(String, Class, TypedMessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param type the type to convert messages to; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @return the subscription, acknowledged already while connected; never {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or an argument is {@code null}
     * @throws IllegalStateException after {@link #destroy()}, or if the options ask for sharded pub/sub
     */
    @Override
    public <T> Subscription psubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        return delegate.psubscribe(pattern, type, handler);
    }

    /**
     * Remove a handler from a channel; see {@link RedisPubSub#unsubscribe(String, MessageHandler)}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param handler the handler given to {@code subscribe}; must not be {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or the handler is {@code null}
     */
    @Override
    public void unsubscribe(String channel, MessageHandler handler) {
        delegate.unsubscribe(channel, handler);
    }

    /**
     * Remove a handler from a pattern; see {@link RedisPubSub#punsubscribe(String, MessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param handler the handler given to {@code psubscribe}; must not be {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or the handler is {@code null}
     */
    @Override
    public void punsubscribe(String pattern, MessageHandler handler) {
        delegate.punsubscribe(pattern, handler);
    }

    /**
     * Remove a typed handler from a channel; see
     * {@link RedisPubSub#unsubscribe(String, Class, TypedMessageHandler)}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type the handler was subscribed with; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @throws IllegalArgumentException if the channel name is invalid or an argument is {@code null}
     * @since 0.2
     */
    @Override
    public <T> void unsubscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        delegate.unsubscribe(channel, type, handler);
    }

    /**
     * Remove a typed handler from a pattern; see
     * {@link RedisPubSub#punsubscribe(String, Class, TypedMessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param type the type the handler was subscribed with; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @throws IllegalArgumentException if the pattern is invalid or an argument is {@code null}
     * @since 0.2
     */
    @Override
    public <T> void punsubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        delegate.punsubscribe(pattern, type, handler);
    }

    /**
     * Tell whether the instance is connected: {@code true} from creation until {@link #destroy()}, except during a
     * simulated disconnection.
     *
     * @return {@code true} if connected
     */
    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    /**
     * Return a stage that completes when the instance is connected: complete already, except during a simulated
     * disconnection; failed after {@link #destroy()}. See {@link RedisPubSub#connected()}.
     *
     * @return the stage; never {@code null}
     */
    @Override
    public CompletionStage<Void> connected() {
        return delegate.connected();
    }

    /**
     * Return a snapshot of this instance's counters; see {@link RedisPubSubStats}. {@code received} counts one
     * message per matching subscription (a channel and a matching pattern: two), as with Redis.
     *
     * @return the counters; never {@code null}
     */
    @Override
    public RedisPubSubStats stats() {
        return delegate.stats();
    }

    /**
     * Leave the broker; idempotent. Afterwards {@code subscribe} throws {@link IllegalStateException} and
     * {@code publish} fails with a {@link RedisPubSubException} caused by one.
     */
    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /**
     * The in-memory stand-in for one Redis server, shared by the {@link InMemoryRedisPubSub} instances connected to
     * it: a message published by one reaches the subscribers of all, as Redis would route it (by the channel on the
     * wire, namespace included).
     *
     * <pre>{@code
     * InMemoryRedisPubSub.Broker redis = InMemoryRedisPubSub.Broker.create();
     * InMemoryRedisPubSub server1 = redis.connect();
     * InMemoryRedisPubSub server2 = redis.connect();
     * server2.subscribe("chat", (channel, message) -> seen.add(message));
     * server1.publish("chat", "hi");                          // seen: ["hi"]
     * assertThat(redis.messages()).containsExactly(new InMemoryRedisPubSub.Broker.Message("ws:chat", "hi"));
     * }</pre>
     *
     * <p>Thread-safe.
     *
     * @since 0.2
     */
    public static final class Broker {

        /** How many published messages {@link #messages()} keeps, the latest ones: {@value}. */
        public static final int MAX_RECORDED = LocalBroker.MAX_RECORDED;

        /**
         * A message as it crossed the broker.
         *
         * @param channel the channel on the wire, namespace included, such as {@code ws:chat}
         * @param payload the payload exactly as published, such as {@code {"user":"ann"}}
         * @since 0.2
         */
        public record Message(String channel, String payload) {
        }

        private final LocalBroker broker = new LocalBroker();

        private Broker() {
        }

        /**
         * Create an empty broker.
         *
         * @return a new broker; never {@code null}
         */
        public static Broker create() {
            return new Broker();
        }

        /**
         * Connect a new instance with the default options.
         *
         * @return a connected instance; never {@code null}
         */
        public InMemoryRedisPubSub connect() {
            return connect(RedisPubSubOptions.builder().build());
        }

        /**
         * Connect a new instance.
         *
         * @param options the options; the namespace, serializer, deserializer, callbacks and {@code shardedPubSub}
         *     apply, connection options are ignored; must not be {@code null}
         * @return a connected instance ({@code onConnect} was called); never {@code null}
         * @throws IllegalArgumentException if {@code options} is {@code null}
         */
        public InMemoryRedisPubSub connect(RedisPubSubOptions options) {
            if (options == null) {
                throw new IllegalArgumentException("options must not be null");
            }
            return new InMemoryRedisPubSub(broker.connect(options), this);
        }

        /**
         * Forget the history of a channel, as Redis losing it would (restarted without persistence, keys evicted):
         * its next message starts a new epoch at offset 1, and the instances' history subscriptions report the loss.
         *
         * @param wireChannel the channel on the wire, namespace included; must not be {@code null}
         * @since 0.2
         */
        public void resetHistory(String wireChannel) {
            broker.resetHistory(wireChannel);
        }

        /**
         * Publish a payload as another Redis client would ({@code redis-cli PUBLISH ws:chat hello}): no namespace is
         * added and nothing is serialized. Delivered before this method returns, like
         * {@link InMemoryRedisPubSub#publish(String, Object)}.
         *
         * @param wireChannel the channel on the wire, namespace included; must not be {@code null}
         * @param payload the payload; must not be {@code null}
         * @throws IllegalArgumentException if an argument is {@code null}
         */
        public void publish(String wireChannel, String payload) {
            if (wireChannel == null || payload == null) {
                throw new IllegalArgumentException("channel and payload must not be null");
            }
            broker.publish(wireChannel, payload);
        }

        /**
         * Return the messages published through this broker, oldest first, whether or not anyone was subscribed:
         * the latest {@value #MAX_RECORDED}.
         *
         * @return an unmodifiable snapshot; never {@code null}
         */
        public List<Message> messages() {
            List<Message> result = new ArrayList<>();
            for (LocalBroker.Message m : broker.messages()) {
                result.add(new Message(m.channel(), m.payload()));
            }
            return List.copyOf(result);
        }

        /** Forget the messages recorded so far. */
        public void clearMessages() {
            broker.clearMessages();
        }

        /**
         * Count the connected instances subscribed to a channel, like {@code PUBSUB NUMSUB}: each instance holds one
         * subscription per channel, however many handlers it has.
         *
         * @param wireChannel the channel on the wire, namespace included, such as {@code ws:chat}; must not be
         *     {@code null}
         * @return the number of instances
         * @throws IllegalArgumentException if {@code wireChannel} is {@code null}
         */
        public long numsub(String wireChannel) {
            if (wireChannel == null) {
                throw new IllegalArgumentException("channel must not be null");
            }
            return broker.numsub(wireChannel);
        }

        /**
         * Count the pattern subscriptions of the connected instances, like {@code PUBSUB NUMPAT}.
         *
         * @return the number of pattern subscriptions
         */
        public long numpat() {
            return broker.numpat();
        }

        /**
         * Return the channels subscribed by at least one connected instance, like {@code PUBSUB CHANNELS}.
         *
         * @return the channels on the wire, namespace included, sorted; never {@code null}
         */
        public List<String> channels() {
            return List.copyOf(broker.channels());
        }

        @Override
        public String toString() {
            return "InMemoryRedisPubSub.Broker{channels=" + channels() + "}";
        }
    }
}
