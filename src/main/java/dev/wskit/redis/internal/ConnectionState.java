package dev.wskit.redis.internal;

import java.util.function.BooleanSupplier;

/**
 * The connection state of one instance, as its users see it: connected when every connection it needs (subscriber
 * and publisher side) is up. The states and their transitions live here and nowhere else:
 *
 * <pre>
 *   CONNECTING ──all up──▶ CONNECTED ──one down──▶ DISCONNECTED ──all up──▶ CONNECTED …
 *        └──────────────────────┴────────destroy()────────┴──────────▶ DESTROYED (final)
 * </pre>
 *
 * <p>Every thread that changes a connection's state calls {@link #update()} after the change. The check of the
 * connections and the transition happen under one lock, so each transition fires its event exactly once and the
 * events come in the order of the transitions: a connection lost while another thread is reporting the instance
 * connected is reported as a disconnection right after, never lost. The events run under that lock: they
 * must only queue work (callbacks, completing stages on another thread), never run user code or touch a socket.
 */
final class ConnectionState {

    /** What the instance looks like to its users. */
    enum State {
        /** Not connected yet since the start. */
        CONNECTING,
        /** Every connection is up. */
        CONNECTED,
        /** Was connected; at least one connection is down and being re-established. */
        DISCONNECTED,
        /** Destroyed: no more transitions. */
        DESTROYED
    }

    private final BooleanSupplier allUp;
    private final Runnable connected;
    private final Runnable disconnected;
    private State state = State.CONNECTING;

    /**
     * @param allUp tells whether every connection is up now
     * @param connected the event of {@code CONNECTING} or {@code DISCONNECTED} → {@code CONNECTED}; runs under the
     *        state's lock
     * @param disconnected the event of {@code CONNECTED} → {@code DISCONNECTED}; runs under the state's lock
     */
    ConnectionState(BooleanSupplier allUp, Runnable connected, Runnable disconnected) {
        this.allUp = allUp;
        this.connected = connected;
        this.disconnected = disconnected;
    }

    /** A connection went up or down: move to the state the connections are in now, with its event. */
    synchronized void update() {
        if (state == State.DESTROYED) {
            return;
        }
        boolean up = allUp.getAsBoolean();
        if (up && state != State.CONNECTED) {
            state = State.CONNECTED;
            connected.run();
        } else if (!up && state == State.CONNECTED) {
            state = State.DISCONNECTED;
            disconnected.run();
        }
    }

    /** Enter the final state; no event. */
    synchronized void destroy() {
        state = State.DESTROYED;
    }

    synchronized State state() {
        return state;
    }
}
