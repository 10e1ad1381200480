package dev.wskit.redis.internal.health;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.wskit.redis.internal.support.Clock;

/**
 * The loopback canary of one instance: every interval it publishes a small message on a channel of the instance's
 * own, which its own subscriber must receive back before the next one is due. It catches what the PING watchdog
 * cannot: a subscriber connection that answers PING but receives nothing (its subscription gone behind its back).
 *
 * <p>Threads: {@link #tick()} runs on the housekeeper (it only queues a publish, no socket I/O), {@link #received}
 * on the subscriber thread; the reads ({@link #isLate()}, the counters) on any thread. The monitor of this object
 * guards the outstanding canary and is held only for a few assignments, never while logging or calling out.
 *
 * <p>A canary is <em>late</em> when it is not back one interval after it was sent. Then the canary counts a
 * failure, the instance counts as not ready ({@link #isLate()}) until a canary comes back, and the subscriber
 * connection is replaced, once per streak of failures and then at most every {@value #REPLACE_EVERY_INTERVALS}
 * intervals, with one WARNING line. A canary sent before the instance lost its connection (or while it was not
 * connected) is forgotten, not counted: pub/sub does not keep messages while a subscriber reconnects.
 */
public final class Canary {

    /** The channel of an instance's canary, without the namespace: {@value} followed by the instance's id. */
    public static final String CHANNEL_PREFIX = "__wskit:canary:";

    /** After replacing the subscriber connection, how many more late canaries before replacing it again. */
    static final int REPLACE_EVERY_INTERVALS = 10;

    /** Publishes one canary; queues only, never blocks on Redis. */
    @FunctionalInterface
    public interface Sender {
        /**
         * Queue {@code PUBLISH wire payload}.
         *
         * @param wire the channel on the wire
         * @param payload the payload
         * @return completes when Redis accepted it, or exceptionally
         */
        CompletionStage<Void> send(byte[] wire, byte[] payload);
    }

    private final byte[] wire;
    private final String channelForLog;
    private final long intervalNanos;
    private final Clock clock;
    private final Sender sender;
    private final BooleanSupplier connected;
    private final LongSupplier connectionEpoch;
    private final Runnable replaceSubscriber;
    private final Logger logger;
    private final String prefix;

    // guarded by this
    private long sequence;
    private long outstanding = -1;
    private long outstandingSentAt;
    private long outstandingEpoch;
    /** When the outstanding canary went out, on the wall clock; for {@link #knownGoodSince()}. */
    private Instant outstandingSentWall;
    private boolean failing;
    private int failuresInStreak;
    private int lateSinceReplace;

    private volatile long lastRoundTripNanos = -1;
    /** When the last canary that came back went out (wall clock); {@code null} while none came back. */
    private volatile Instant knownGoodSince;
    /** Whether a canary was late and none has come back since; read without the lock. */
    private volatile boolean failingNow;
    /** When the outstanding canary went out, or {@link Long#MIN_VALUE} when none is; read without the lock. */
    private volatile long outstandingSince = Long.MIN_VALUE;
    private final LongAdder failures = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder receivedCount = new LongAdder();

    /**
     * Create the canary of an instance.
     *
     * @param wireChannel the channel on the wire, namespace included; the instance subscribes it itself
     * @param interval the interval between canaries, which is also the deadline of each, in nanoseconds; positive
     * @param clock the clock measuring it
     * @param sender queues a publish
     * @param connected whether the instance is connected now (no canary is sent otherwise)
     * @param connectionEpoch changes with every connection and every loss of it
     * @param replaceSubscriber drops the subscriber connection, which then reconnects and subscribes again
     * @param logger the logger
     * @param prefix the instance's log prefix
     */
    public Canary(String wireChannel, long interval, Clock clock, Sender sender, BooleanSupplier connected,
            LongSupplier connectionEpoch, Runnable replaceSubscriber, Logger logger, String prefix) {
        this.wire = wireChannel.getBytes(StandardCharsets.UTF_8);
        this.channelForLog = wireChannel;
        this.intervalNanos = interval;
        this.clock = clock;
        this.sender = sender;
        this.connected = connected;
        this.connectionEpoch = connectionEpoch;
        this.replaceSubscriber = replaceSubscriber;
        this.logger = logger;
        this.prefix = prefix;
    }

    /** Return the interval between canaries (and the deadline of each), in nanoseconds. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /**
     * One round, every interval (housekeeper): judge the outstanding canary, then send the next one if the
     * instance is connected.
     */
    public void tick() {
        long now = clock.nanoTime();
        boolean up = connected.getAsBoolean();
        long epoch = connectionEpoch.getAsLong();
        boolean late = false;
        boolean replace = false;
        int streak;
        long seq;
        synchronized (this) {
            if (outstanding >= 0) {
                if (!up || epoch != outstandingEpoch) {
                    // lost with the connection it was sent on: not the subscriber's fault
                    clearOutstanding();
                } else if (now - outstandingSentAt >= intervalNanos) {
                    late = true;
                    clearOutstanding();
                    failures.increment();
                    failing = true;
                    failingNow = true;
                    failuresInStreak++;
                    if (failuresInStreak == 1 || ++lateSinceReplace >= REPLACE_EVERY_INTERVALS) {
                        replace = true;
                        lateSinceReplace = 0;
                    }
                } else {
                    return;
                }
            }
            streak = failuresInStreak;
            if (!up) {
                return;
            }
            seq = ++sequence;
            outstanding = seq;
            outstandingSentAt = now;
            outstandingSentWall = Instant.now();
            outstandingEpoch = epoch;
            outstandingSince = now;
        }
        if (late) {
            if (replace) {
                logger.log(Level.WARNING, prefix + "the loopback canary published on " + channelForLog
                        + " did not come back within " + millis(intervalNanos) + " ms (" + streak
                        + (streak == 1 ? " time" : " times in a row") + "): the subscriber connection answers but "
                        + "receives nothing; replacing it and subscribing again; not ready until a canary comes back");
                replaceSubscriber.run();
            } else {
                logger.log(Level.DEBUG, () -> prefix + "the loopback canary is still not coming back (" + streak
                        + " times in a row)");
            }
        }
        sender.send(wire, Long.toString(seq).getBytes(StandardCharsets.US_ASCII)).whenComplete((ok, error) -> {
            if (error == null) {
                published.increment();
                return;
            }
            publishFailures.increment();
            synchronized (this) {
                if (outstanding == seq) {
                    // never reached Redis: nothing to wait for
                    clearOutstanding();
                }
            }
        });
    }

    /**
     * A canary came back (subscriber thread).
     *
     * @param payload its payload, as published
     */
    public void received(String payload) {
        long now = clock.nanoTime();
        receivedCount.increment();
        long seq;
        try {
            seq = Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return;
        }
        int streak;
        long roundTrip;
        synchronized (this) {
            if (seq != outstanding) {
                // an older one, or the same twice: measured already or forgotten
                return;
            }
            roundTrip = now - outstandingSentAt;
            knownGoodSince = outstandingSentWall;
            clearOutstanding();
            lastRoundTripNanos = roundTrip;
            streak = failing ? failuresInStreak : 0;
            failing = false;
            failingNow = false;
            failuresInStreak = 0;
            lateSinceReplace = 0;
        }
        if (streak > 0) {
            logger.log(Level.INFO, prefix + "the loopback canary came back after " + streak + " late "
                    + (streak == 1 ? "one" : "ones") + " (round trip " + micros(roundTrip) + " µs): ready again");
        }
    }

    private void clearOutstanding() {
        outstanding = -1;
        outstandingSince = Long.MIN_VALUE;
    }

    /**
     * Tell whether the instance counts as not ready because of the canary: a canary was late and none came back
     * since, or the outstanding one is past its deadline.
     *
     * @return {@code true} if late
     */
    public boolean isLate() {
        return isLateNow();
    }

    /**
     * Return when the last canary that came back was published (wall clock): the subscriber connection received what
     * was published then, so its subscriptions were in force at that moment. For the start of the subscription gaps
     * after the connection is replaced because it seemed deaf.
     *
     * @return the instant; {@code null} while no canary came back
     */
    public Instant knownGoodSince() {
        return knownGoodSince;
    }

    private boolean isLateNow() {
        if (failingNow) {
            return true;
        }
        long since = outstandingSince;
        return since != Long.MIN_VALUE && clock.nanoTime() - since >= intervalNanos;
    }

    /** Return the round trip of the last canary that came back, in nanoseconds; -1 if none has. */
    public long lastRoundTripNanos() {
        return lastRoundTripNanos;
    }

    /** Return the number of canaries that were late. */
    public long failures() {
        return failures.sum();
    }

    /** Return the number of canaries Redis accepted (to leave them out of the instance's published count). */
    public long published() {
        return published.sum();
    }

    /** Return the number of canaries whose publish failed (left out of the instance's failure count). */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** Return the number of canaries received (left out of the instance's received count). */
    public long received() {
        return receivedCount.sum();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static long micros(long nanos) {
        return nanos / 1_000;
    }

    @Override
    public String toString() {
        return "Canary{channel=" + channelForLog + ", interval=" + millis(intervalNanos) + " ms}";
    }
}
