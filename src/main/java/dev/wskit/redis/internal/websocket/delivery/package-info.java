/**
 * Delivery in the WebSocket layer: from a message on a Redis channel to the sockets of the local sessions in that
 * room, and the state and limits of each open session.
 *
 * <p>What lives here: the {@link dev.wskit.redis.internal.websocket.delivery.RoomRegistry} (channel to local members,
 * one Redis subscription per channel, parallel hand-out for large rooms), sender exclusion, the bounded
 * {@link dev.wskit.redis.internal.websocket.delivery.SendQueue} of each session (one send in flight, overflow policy),
 * the {@link dev.wskit.redis.internal.websocket.delivery.SessionState} of each session (its rooms, publish rate
 * limit, message size limit, closing once), the
 * {@link dev.wskit.redis.internal.websocket.delivery.SessionRegistry} of an endpoint's open sessions and its
 * counters, the executors that deliver to large rooms and close sessions without blocking, close reasons that fit a
 * close frame, and the confinement of room names that come from clients.
 *
 * <p>What it may use: the core only through its public API ({@code dev.wskit.redis}: {@code RedisPubSub},
 * {@code Subscription}), the WebSocket API's policy and stats types ({@code dev.wskit.redis.websocket}),
 * {@code jakarta.websocket}, and {@code ValueFactories} of {@code dev.wskit.redis.internal} to create the stats.
 * It knows nothing of deployment ({@link dev.wskit.redis.internal.websocket.deploy}), of CDI or of MicroProfile
 * Config: what it needs from the endpoint (may a session join a room, which rooms have history or tell of gaps,
 * who hears of missed messages) is handed in as one
 * {@link dev.wskit.redis.internal.websocket.delivery.SessionState.Hooks} per endpoint, with the session's endpoint
 * instance as an opaque object. Much of it runs on the Redis subscriber
 * thread: it never blocks on a client and never holds a lock while calling user code.
 *
 * <p>Not API: it may change without notice. Use {@link dev.wskit.redis.websocket}.
 */
package dev.wskit.redis.internal.websocket.delivery;
