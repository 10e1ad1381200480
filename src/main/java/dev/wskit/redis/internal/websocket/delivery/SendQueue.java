package dev.wskit.redis.internal.websocket.delivery;

import java.io.IOException;
import java.util.ArrayDeque;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import dev.wskit.redis.websocket.OverflowPolicy;

/**
 * The outbound queue of one session: bounded, one asynchronous send in flight, drained iteratively.
 *
 * <p>{@link #offer(String)} never blocks: it queues the text, or starts sending it when nothing is in flight. Two
 * portability traps decide the shape. Open Liberty fails an asynchronous send started while another is in flight,
 * so there is never more than one. WildFly may run the completion callback inline, inside {@code sendText}, on the
 * calling thread; draining by calling {@code sendText} again from the callback would then recurse once per queued
 * message and overflow the stack. So the thread that started a send loops: when the callback ran inline it only
 * records the result, and the loop sends the next message. When the callback runs later on another thread, the
 * loop has handed over ({@code detached}) and the callback thread continues the same loop. The stack depth is
 * constant either way.
 *
 * <p>The capacity counts the messages waiting behind the one in flight, and the byte limit the bytes they hold,
 * measured as 2 per character: the heap a {@code String} may hold (a Latin-1 string holds 1 per character, so this
 * errs on the safe side). A message is queued when both stay within their limits, or when nothing waits (so one
 * message larger than the byte limit is still delivered to a client that reads). Otherwise the queue is full and the
 * {@link OverflowPolicy} applies. A failed send closes the queue: the session is broken and is about to close.
 *
 * <p>Thread-safe. No lock is held while calling {@link Sender} or {@link Listener}.
 */
public final class SendQueue {

    /** Sends one text message asynchronously, such as {@code session.getAsyncRemote().sendText(text, handler)}. */
    @FunctionalInterface
    public interface Sender {

        /**
         * Start sending a text message.
         *
         * @param text the message; never {@code null}
         * @param handler to call exactly once with the result; may be called before this method returns
         */
        void send(String text, SendHandler handler);
    }

    /** Hears what happened to messages that were not sent. Called without a lock held, on the offering thread. */
    public interface Listener {

        /** A message was dropped by {@link OverflowPolicy#DROP_NEWEST} or {@link OverflowPolicy#DROP_OLDEST}. */
        void dropped();

        /** The queue overflowed under {@link OverflowPolicy#CLOSE}; it is closed now. Called once. */
        void overflowed();

        /**
         * A send failed; the queue is closed now. Called once, on the thread that saw the failure.
         *
         * @param error the failure; never {@code null}
         */
        void sendFailed(Throwable error);

        /**
         * The queue became idle: its last message was sent and nothing waits. Called without a lock held, on the
         * thread that saw the send complete; may offer again.
         */
        default void idle() {
        }
    }

    /** What {@link #offer(String)} did with a message. */
    public enum Outcome {
        /** Sending started on the calling thread. */
        SENT,
        /** Queued behind the message in flight. */
        QUEUED,
        /** Queued, and the oldest waiting message was dropped to make room. */
        QUEUED_DROPPED_OLDEST,
        /** Dropped because the queue was full. */
        DROPPED,
        /** The queue overflowed; it is closed and the session must be closed. */
        OVERFLOWED,
        /** Not sent: the queue was closed before. */
        CLOSED
    }

    /*
     * Memory: one queue per open session. The deque of waiting messages is created when a message first waits behind
     * the one in flight (a session that never has two messages in flight never has one: 48 bytes), and then kept;
     * the lock is this object (nothing outside this class locks it); the byte limit is an int (at most 2 GiB), which
     * keeps the object at 56 bytes.
     */
    // guarded by this: the messages waiting behind the one in flight; null until the first one
    private ArrayDeque<String> waiting;
    private final int capacity;
    private final int maxBytes;
    private final OverflowPolicy policy;
    private final Sender sender;
    private final Listener listener;

    // guarded by this
    private boolean sending;
    private boolean closed;
    private long waitingBytes;
    private boolean overflowedOnBytes;
    private long sent;

    /**
     * Create a queue.
     *
     * @param capacity how many messages may wait behind the one in flight; at least 1
     * @param policy what to do when the queue is full; must not be {@code null}
     * @param sender starts one asynchronous send; must not be {@code null}
     * @param listener hears about drops, overflow and failures; must not be {@code null}
     * @throws IllegalArgumentException if {@code capacity} is less than 1 or an argument is {@code null}
     */
    public SendQueue(int capacity, OverflowPolicy policy, Sender sender, Listener listener) {
        this(capacity, Long.MAX_VALUE, policy, sender, listener);
    }

    /**
     * Create a queue bounded in messages and in bytes.
     *
     * @param capacity how many messages may wait behind the one in flight; at least 1
     * @param maxBytes how many bytes (2 per character) they may hold; at least 1; more than 2 GiB counts as 2 GiB
     * @param policy what to do when the queue is full; must not be {@code null}
     * @param sender starts one asynchronous send; must not be {@code null}
     * @param listener hears about drops, overflow and failures; must not be {@code null}
     * @throws IllegalArgumentException if {@code capacity} or {@code maxBytes} is less than 1 or an argument is
     *     {@code null}
     */
    public SendQueue(int capacity, long maxBytes, OverflowPolicy policy, Sender sender, Listener listener) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("send queue byte limit must be at least 1, was " + maxBytes);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("send queue capacity must be at least 1, was " + capacity);
        }
        if (policy == null || sender == null || listener == null) {
            throw new IllegalArgumentException("policy, sender and listener must not be null");
        }
        this.capacity = capacity;
        this.maxBytes = (int) Math.min(maxBytes, Integer.MAX_VALUE);
        this.policy = policy;
        this.sender = sender;
        this.listener = listener;
    }

    /**
     * Send a text message, or queue it behind the one in flight. Never blocks on the client; sends on the calling
     * thread only when nothing is in flight.
     *
     * @param text the message; must not be {@code null}
     * @return what happened to the message; never {@code null}
     */
    public Outcome offer(String text) {
        Outcome outcome;
        synchronized (this) {
            if (closed) {
                return Outcome.CLOSED;
            }
            if (!sending) {
                sending = true;
                outcome = Outcome.SENT;
            } else if (fits(size(text))) {
                add(text);
                return Outcome.QUEUED;
            } else {
                switch (policy) {
                    case DROP_NEWEST -> outcome = Outcome.DROPPED;
                    case DROP_OLDEST -> {
                        while (waitingCount() > 0 && !fits(size(text))) {
                            waitingBytes -= size(waiting.pollFirst());
                        }
                        add(text);
                        outcome = Outcome.QUEUED_DROPPED_OLDEST;
                    }
                    default -> {
                        overflowedOnBytes = waitingCount() < capacity;
                        closed = true;
                        clear();
                        outcome = Outcome.OVERFLOWED;
                    }
                }
            }
        }
        switch (outcome) {
            case SENT -> pump(text);
            case DROPPED, QUEUED_DROPPED_OLDEST -> listener.dropped();
            case OVERFLOWED -> listener.overflowed();
            default -> {
                // nothing else to do
            }
        }
        return outcome;
    }

    /**
     * Send a text message, or queue it behind the one in flight, only if it fits: never applies the overflow policy
     * (a control frame that must not be dropped nor close the session; the caller keeps it and tries again later).
     *
     * @param text the message; must not be {@code null}
     * @return {@code true} if sent or queued; {@code false} if the queue is full or closed
     */
    public boolean offerIfRoom(String text) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (sending) {
                if (!fits(size(text))) {
                    return false;
                }
                add(text);
                return true;
            }
            sending = true;
        }
        pump(text);
        return true;
    }

    /**
     * Close the queue: discard waiting messages and refuse new ones. The send in flight, if any, runs to its end.
     * Idempotent.
     */
    public void close() {
        synchronized (this) {
            closed = true;
            clear();
        }
    }

    /**
     * Return how many bytes the waiting messages hold, 2 per character.
     *
     * @return the bytes waiting behind the message in flight
     */
    public long waitingBytes() {
        synchronized (this) {
            return waitingBytes;
        }
    }

    /**
     * Tell whether the overflow under {@link OverflowPolicy#CLOSE} came from the byte limit rather than the
     * capacity.
     *
     * @return {@code true} if the byte limit was reached
     */
    public boolean overflowedOnBytes() {
        synchronized (this) {
            return overflowedOnBytes;
        }
    }

    /** The heap a queued string holds, as counted against the byte limit. */
    static long size(String text) {
        return 2L * text.length();
    }

    /** Whether a message of this size may be queued now. Called with the lock held. */
    private boolean fits(long size) {
        int n = waitingCount();
        return n < capacity && (n == 0 || waitingBytes + size <= maxBytes);
    }

    /** How many messages wait. Called with the lock held. */
    private int waitingCount() {
        return waiting == null ? 0 : waiting.size();
    }

    /** Called with the lock held. */
    private void add(String text) {
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        waiting.addLast(text);
        waitingBytes += size(text);
    }

    /** Called with the lock held. */
    private void clear() {
        if (waiting != null) {
            waiting.clear();
        }
        waitingBytes = 0;
    }

    /**
     * Return how many messages wait behind the one in flight.
     *
     * @return the number of waiting messages
     */
    public int waiting() {
        synchronized (this) {
            return waitingCount();
        }
    }

    /**
     * Return how many messages were sent: their send completed without error.
     *
     * @return the count
     */
    public long sent() {
        synchronized (this) {
            return sent;
        }
    }

    /**
     * Return how many messages are not sent yet: those waiting and the one in flight.
     *
     * @return the count
     */
    public int unsent() {
        synchronized (this) {
            return waitingCount() + (sending ? 1 : 0);
        }
    }

    /**
     * Tell whether a send is in flight.
     *
     * @return {@code true} while a send has not completed
     */
    public boolean isSending() {
        synchronized (this) {
            return sending;
        }
    }

    /**
     * Tell whether the queue was closed.
     *
     * @return {@code true} after {@link #close()}, an overflow under {@link OverflowPolicy#CLOSE} or a failed send
     */
    public boolean isClosed() {
        synchronized (this) {
            return closed;
        }
    }

    /** Send {@code first} and then every waiting message, looping instead of recursing; see the class comment. */
    private void pump(String first) {
        String text = first;
        while (text != null) {
            Completion completion = new Completion();
            try {
                sender.send(text, completion);
            } catch (RuntimeException e) {
                // a container may throw instead of reporting through the handler (session closed meanwhile)
                completion.onResult(new SendResult(e));
            }
            Throwable failure;
            synchronized (this) {
                if (!completion.done) {
                    // still in flight: the callback continues the loop on its own thread
                    completion.detached = true;
                    return;
                }
                failure = completion.failure;
                text = next(failure);
            }
            if (failure != null) {
                listener.sendFailed(failure);
            } else if (text == null) {
                listener.idle();
            }
        }
    }

    /** The message to send next, or {@code null} when the loop ends. Called with the lock held. */
    private String next(Throwable failure) {
        if (failure == null) {
            sent++;
        }
        if (failure != null) {
            closed = true;
            clear();
        }
        String next = closed || waiting == null ? null : waiting.pollFirst();
        if (next != null) {
            waitingBytes -= size(next);
        }
        if (next == null) {
            sending = false;
        }
        return next;
    }

    /** The callback of one send. Exactly one of "the loop sees done" and "the callback sees detached" happens. */
    private final class Completion implements SendHandler {

        // guarded by the queue's lock (SendQueue.this)
        private boolean done;
        private boolean detached;
        private Throwable failure;

        @Override
        public void onResult(SendResult result) {
            Throwable error = null;
            if (result == null || !result.isOK()) {
                error = result == null || result.getException() == null
                        ? new IOException("the send failed without an exception")
                        : result.getException();
            }
            String next;
            synchronized (SendQueue.this) {
                if (done) {
                    return; // a container called back twice: ignore the second
                }
                done = true;
                failure = error;
                if (!detached) {
                    // inline completion: the loop in pump() goes on
                    return;
                }
                next = next(error);
            }
            if (error != null) {
                listener.sendFailed(error);
            } else if (next == null) {
                listener.idle();
                return;
            }
            pump(next);
        }
    }
}
