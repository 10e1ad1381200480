package dev.wskit.redis;

import java.util.concurrent.CompletionStage;

import dev.wskit.redis.internal.RedisPubSubImpl;

/**
 * Publish/subscribe between server instances through Redis.
 *
 * <p>Every channel is namespaced on the wire: with the default namespace {@code ws}, {@code publish("chat:general",
 * m)} sends {@code PUBLISH ws:chat:general <payload>}. The payload is exactly what the {@link MessageSerializer}
 * produced, without any wrapper, so any Redis client can publish into the system and read from it.
 *
 * <p>One instance holds one dedicated subscriber connection, driven by one long-running thread, and one publisher
 * connection onto which concurrent publishes are batched (pipelined) in order. With sharded pub/sub
 * ({@link RedisPubSubOptions#shardedPubSub()}) it holds one subscriber connection per cluster master that owns a
 * subscribed channel, each with a thread of its own, and one publisher connection per master. All connect in the
 * background: {@link #create(RedisPubSubOptions)} never fails because Redis is unreachable. After a lost connection
 * the instance reconnects with exponential backoff and jitter, forever until {@link #destroy()}, and subscribes
 * again to every channel and pattern that still has a handler. As soon as one of its connections gets through to
 * Redis again, the others that are down retry at once instead of waiting out their backoff. Delivery is
 * at-most-once: messages published while the subscriber connection is down are not received.
 *
 * <p>However many handlers subscribe to one channel, the instance holds one Redis subscription for it and releases
 * it when the last handler goes.
 *
 * <pre>{@code
 * try (RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url("redis://localhost:6379").build())) {
 *     pubsub.subscribe("chat:general", (channel, message) -> System.out.println(message));
 *     pubsub.publish("chat:general", Map.of("user", "ann", "text", "hello"));
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 *
 * <p><b>Evolution.</b> Get instances from {@link #create(RedisPubSubOptions)} (or, in tests,
 * {@code dev.wskit.redis.testkit.InMemoryRedisPubSub}); implementing this interface yourself is possible (a test
 * double, a decorator) but not its purpose. Methods added in later versions are {@code default} methods, so that
 * such implementations keep compiling: where a meaningful default exists (one built on the other methods) it is
 * used, otherwise the default throws {@link UnsupportedOperationException}. Decorators should override new methods
 * to delegate.
 *
 * @since 0.1
 */
public interface RedisPubSub extends AutoCloseable {

    /**
     * Create an instance and start connecting in the background.
     *
     * @param options the options; must not be {@code null}
     * @return a new instance; never {@code null}
     */
    static RedisPubSub create(RedisPubSubOptions options) {
        return new RedisPubSubImpl(options);
    }

    /**
     * Publish a message to every subscriber of a channel, on every instance.
     *
     * <p>Never blocks on Redis. The stage completes when Redis has accepted the message, on the publisher thread
     * (dependent actions should not block). It completes exceptionally with a {@link RedisPubSubException}: at once
     * (the stage returned is already complete, so dependent actions run on the calling thread) when too many
     * publishes are pending, when the message cannot be serialized, after {@link #destroy()} (then with an
     * {@link IllegalStateException} as the cause), and while the instance is not connected and not connecting (the
     * message names the Redis endpoint). While it is connecting (right after {@link #create}, or after losing a
     * connection that was up, until the next connection attempt ends) the message is held up to
     * {@link RedisPubSubOptions#holdPublishesWhileConnecting()} and then sent, or failed with the same message;
     * see {@link RedisPubSubOptions.Builder#holdPublishesWhileConnecting(java.time.Duration)}. Publishes on one
     * instance reach Redis in the order of the calls; with sharded pub/sub, in the order of the calls for each
     * channel.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param message the message, serialized by the configured {@link MessageSerializer}; can be {@code null}
     * @return a stage completing when Redis accepted the message; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     */
    CompletionStage<Void> publish(String channel, Object message);

    /**
     * Subscribe a handler to a channel.
     *
     * <p>The handler receives messages deserialized by the configured {@link MessageDeserializer}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param handler the handler; must not be {@code null}
     * @return the subscription; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or the handler is {@code null}
     * @throws IllegalStateException after {@link #destroy()}
     */
    Subscription subscribe(String channel, MessageHandler handler);

    /**
     * Subscribe a handler to a channel, receiving messages converted to a type.
     *
     * <p>With {@code String.class} the handler receives the payload exactly as published, without any decoding
     * (the fastest path). With {@code byte[].class} it receives the base64-decoded payload. Any other type is read
     * from JSON with JSON-B; a payload that cannot be converted is counted as malformed and logged.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type to convert messages to; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @return the subscription; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or an argument is {@code null}
     * @throws IllegalStateException after {@link #destroy()}
     */
    <T> Subscription subscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler);

    /**
     * Subscribe a handler to every channel matching a Redis glob-style pattern ({@code PSUBSCRIBE}).
     *
     * <p>The pattern is namespaced like a channel: {@code psubscribe("chat:*", h)} sends
     * {@code PSUBSCRIBE ws:chat:*}. The handler receives the concrete channel, without the namespace.
     *
     * <p>Not available with sharded pub/sub: Redis has no sharded pattern subscriptions.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param handler the handler; must not be {@code null}
     * @return the subscription; never {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or the handler is {@code null}
     * @throws IllegalStateException after {@link #destroy()}, or if the instance uses sharded pub/sub
     *     ({@link RedisPubSubOptions#shardedPubSub()} without a {@linkplain RedisPubSubOptions#client() pre-configured
     *     client})
     */
    Subscription psubscribe(String pattern, MessageHandler handler);

    /**
     * Subscribe a typed handler to every channel matching a pattern, see
     * {@link #subscribe(String, Class, TypedMessageHandler)} for the conversion rules. Not available with sharded
     * pub/sub, see {@link #psubscribe(String, MessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param type the type to convert messages to; must not be {@code null}
     * @param handler the handler; must not be {@code null}
     * @param <T> the type messages are converted to
     * @return the subscription; never {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or an argument is {@code null}
     * @throws IllegalStateException after {@link #destroy()}, or if the instance uses sharded pub/sub
     *     ({@link RedisPubSubOptions#shardedPubSub()} without a {@linkplain RedisPubSubOptions#client() pre-configured
     *     client})
     */
    <T> Subscription psubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler);

    /**
     * Remove a handler from a channel; the same as closing the subscriptions it was registered with.
     * Does nothing if the handler is not subscribed to the channel.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param handler the handler given to {@code subscribe}; must not be {@code null}
     * @throws IllegalArgumentException if the channel name is invalid or the handler is {@code null}
     */
    void unsubscribe(String channel, MessageHandler handler);

    /**
     * Remove a handler from a pattern. Does nothing if the handler is not subscribed to the pattern.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param handler the handler given to {@code psubscribe}; must not be {@code null}
     * @throws IllegalArgumentException if the pattern is invalid or the handler is {@code null}
     */
    void punsubscribe(String pattern, MessageHandler handler);

    /**
     * Remove a typed handler from a channel: the registrations of this handler with this type made by
     * {@link #subscribe(String, Class, TypedMessageHandler)}, the same as closing their subscriptions. Does nothing if
     * the handler is not subscribed to the channel with that type.
     *
     * <p>The library's implementations implement it; the default, for other implementations written against an
     * earlier version (see the class doc), throws {@link UnsupportedOperationException}.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type given to {@code subscribe}; must not be {@code null}
     * @param handler the handler given to {@code subscribe}; must not be {@code null}
     * @param <T> the type messages are converted to
     * @throws IllegalArgumentException if the channel name is invalid or an argument is {@code null}
     * @since 0.2
     */
    default <T> void unsubscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement typed unsubscribe");
    }

    /**
     * Remove a typed handler from a pattern: the registrations of this handler with this type made by
     * {@link #psubscribe(String, Class, TypedMessageHandler)}. Does nothing if the handler is not subscribed to the
     * pattern with that type. Default: as for {@link #unsubscribe(String, Class, TypedMessageHandler)}.
     *
     * @param pattern the pattern without the namespace; must be a valid pattern
     * @param type the type given to {@code psubscribe}; must not be {@code null}
     * @param handler the handler given to {@code psubscribe}; must not be {@code null}
     * @param <T> the type messages are converted to
     * @throws IllegalArgumentException if the pattern is invalid or an argument is {@code null}
     * @since 0.2
     */
    default <T> void punsubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement typed punsubscribe");
    }

    /**
     * Publish a message to a channel with history: Redis appends it to the channel's history and publishes it in one
     * atomic step, so it gets the channel's next offset (1, 2, 3, ... without gaps within an epoch; see
     * {@link StreamPosition}). Receivers that subscribe with {@link #subscribeWithHistory} get every such message of
     * the channel once, in order, also across reconnects of their instance, and can resume from a position on any
     * instance; see "Delivery guarantees" in the README.
     *
     * <p>The history is kept in Redis in two keys per channel (a stream keeping the last
     * {@link RedisPubSubOptions#historySize()} messages that expires {@link RedisPubSubOptions#historyTtl()} after
     * the last publish, and a small hash with the epoch and the last offset). On the channel itself such a message
     * travels in an envelope, {@code w1:<offset>:<epoch>:<payload>} (or, for consecutive messages of the channel
     * published together, one batch envelope {@code w2:<first>:<epoch>:<count>} followed by
     * {@code :<length>:<payload>} per message, the length in UTF-8 bytes), so ordinary subscribers of the channel see
     * that envelope, not the bare payload: publish to a channel either always with history or never.
     *
     * <p>Like {@link #publish}: never blocks on Redis, the same failures, the same order of the calls. The stage
     * completes (on a thread of the library, not one that keeps a connection alive) with the message's position.
     * Not available with classic pub/sub on a Redis Cluster (the script must run on the master of the channel's
     * slot): use {@link RedisPubSubOptions#shardedPubSub()} there.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param message the message, serialized by the configured {@link MessageSerializer}; can be {@code null}
     * @return a stage completing with the message's position once Redis stored and published it
     * @throws IllegalArgumentException if the channel name is invalid
     * @throws UnsupportedOperationException if this implementation has no history
     * @since 0.2
     */
    default CompletionStage<StreamPosition> publishWithHistory(String channel, Object message) {
        throw new UnsupportedOperationException("publishWithHistory is not supported by " + getClass().getName());
    }

    /**
     * Subscribe to a channel with history: the handler gets every message published with
     * {@link #publishWithHistory} on the channel after {@code since}, each once, in the order of their offsets,
     * with its position: what was missed before (read from the history), then the live messages, without a gap or a
     * duplicate between them. When the instance's subscriber connection was replaced, or it notices a gap (an offset
     * skipped), it reads the missing messages from the history before delivering newer ones. Messages that can no
     * longer be read (trimmed, expired, or the history was reset) are reported to
     * {@link HistoryHandler#onLoss} before the next message: a loss is never silent.
     *
     * <p>The handler runs on the instance's history thread (see {@link HistoryHandler}). {@link Subscription#ready()}
     * completes when Redis confirmed the subscription and the starting position is known (with {@code since == null},
     * the channel's position read when subscribing): every message published afterwards is delivered. What was
     * missed before follows shortly after.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param type the type messages are converted to, as for {@link #subscribe(String, Class, TypedMessageHandler)}
     *        ({@code String.class} for the payload unchanged, {@code Object.class} for the configured
     *        {@link MessageDeserializer})
     * @param since the position to continue after (the last one the receiver handled), or {@code null} to receive
     *        the messages published from now on
     * @param handler the handler; must not be {@code null}
     * @param <T> the message type
     * @return the subscription; closing it removes the handler
     * @throws IllegalArgumentException if the channel name is invalid
     * @throws IllegalStateException after {@link #destroy()}
     * @throws UnsupportedOperationException if this implementation has no history
     * @since 0.2
     */
    default <T> Subscription subscribeWithHistory(String channel, Class<T> type, StreamPosition since,
            HistoryHandler<? super T> handler) {
        throw new UnsupportedOperationException("subscribeWithHistory is not supported by " + getClass().getName());
    }

    /**
     * Read a channel's history after a position: up to {@code limit} messages, or the news that they cannot be
     * recovered (see {@link History}). With {@code limit} 0, only the channel's current position. A channel whose
     * history does not exist yet gets one (a new epoch, offset 0), so a position is always returned.
     *
     * @param channel the channel without the namespace; must be a valid channel name
     * @param since the position to read after; {@code null} to read from the oldest message kept
     * @param limit the most messages returned, 0 to 10,000
     * @return a stage completing (on a thread of the library) with what was read
     * @throws IllegalArgumentException if the channel name or the limit is invalid
     * @throws UnsupportedOperationException if this implementation has no history
     * @since 0.2
     */
    default CompletionStage<History> history(String channel, StreamPosition since, int limit) {
        throw new UnsupportedOperationException("history is not supported by " + getClass().getName());
    }

    /**
     * Tell whether every connection the instance needs is currently up: the subscriber side with all its
     * subscriptions replayed, and the publisher side. That is one subscriber and one publisher connection, or with
     * sharded pub/sub one subscriber connection per cluster master that owns a subscribed channel (none while nothing
     * is subscribed) and one publisher connection per master of the cluster's current slot map. While this is
     * {@code false} after an outage, publishes can fail even though messages are received, or the reverse.
     *
     * @return {@code true} if connected; {@code false} while a connection is down and after {@link #destroy()}
     */
    boolean isConnected();

    /**
     * Return a stage that completes when the instance is connected: every connection it needs is up and every
     * subscription registered so far was confirmed by Redis ({@link #isConnected()} is {@code true}).
     *
     * <p>Completes at once (already completed) while connected. Otherwise it completes with the next connection,
     * however long Redis stays unreachable: bound the wait yourself, for example with
     * {@code connected().toCompletableFuture().get(5, SECONDS)} or {@code orTimeout}. It completes exceptionally with
     * a {@link RedisPubSubException} (an {@link IllegalStateException} as the cause) when the instance is destroyed
     * first. Dependent actions of a stage that was not already complete run on the library's callback thread
     * and must not block.
     *
     * @return a stage completing when the instance is connected; never {@code null}
     * @since 0.2
     */
    CompletionStage<Void> connected();

    /**
     * Return a snapshot of this instance's counters.
     *
     * @return the counters; never {@code null}
     */
    RedisPubSubStats stats();

    /**
     * Close all connections, stop the threads and fail pending publishes. Idempotent. Afterwards {@code subscribe}
     * throws an {@link IllegalStateException}, {@code publish} fails with a {@link RedisPubSubException} whose cause
     * is an {@link IllegalStateException}, and {@link #connected()} fails the same way. A client given with
     * {@link RedisPubSubOptions.Builder#client} is not closed: its owner closes it.
     */
    void destroy();

    /**
     * Same as {@link #destroy()}.
     */
    @Override
    default void close() {
        destroy();
    }
}
