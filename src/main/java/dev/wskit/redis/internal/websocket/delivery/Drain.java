package dev.wskit.redis.internal.websocket.delivery;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

/**
 * The graceful drain of the endpoints of an application that stops (undeploy, server shutdown): new sessions are
 * closed at once with 1012, the send queues get up to a deadline to empty, then every session is closed with 1012
 * (Service Restart), so that its client reconnects, through the load balancer, to another instance; the closes can be
 * spread over a window so that the other instances do not get every reconnect at once.
 *
 * <p>Idempotent per registry: a registry drained before is left out. Runs on the calling thread (the JVM's SIGTERM
 * handler thread when the server is stopped by SIGTERM, see {@code SigtermDrain}; else the servlet container's, in
 * {@code contextDestroyed}) and blocks it for at most the timeout plus the spread. The Redis subscription stays up
 * meanwhile: messages that arrive during the drain are delivered too. What is still unsent when a session is closed (the deadline passed) is counted as dropped; a client
 * of a history room gets it anyway when it resumes on another instance with its position.
 */
public final class Drain {

    /** The close reason of a drained session. */
    public static final CloseReason REASON = CloseReasons.of(CloseCodes.SERVICE_RESTART,
            "server stopping: reconnect");

    private static final long POLL_MILLIS = 10;

    /**
     * What one drain did.
     *
     * @param sessions the sessions closed with 1012
     * @param delivered the messages sent to them during the drain
     * @param dropped the messages still unsent when they were closed
     * @param flushed whether every queue was empty before the deadline
     */
    public record Result(int sessions, long delivered, long dropped, boolean flushed) {
    }

    private record Entry(SessionRegistry registry, SessionState state, long sentBefore) {
    }

    private Drain() {
    }

    /**
     * Drain the sessions of the registries; blocks the calling thread for at most {@code timeout} plus
     * {@code spread}.
     *
     * @param registries the registries of the application's endpoints; must not be {@code null}
     * @param timeout how long the send queues get to empty; must not be {@code null} or negative
     * @param spread the window over which the closes are spread; {@link Duration#ZERO} to close all at once
     * @param logger where to log the drain, one INFO line before and one after
     * @param what the endpoints, for the log lines
     * @return what the drain did; never {@code null}
     */
    public static Result run(List<SessionRegistry> registries, Duration timeout, Duration spread, Logger logger,
            String what) {
        List<Entry> entries = new ArrayList<>();
        List<SessionRegistry> fresh = new ArrayList<>();
        for (SessionRegistry registry : registries) {
            if (registry.beginDrain()) {
                fresh.add(registry);
            }
        }
        if (fresh.isEmpty()) {
            // drained before: a second hook of the same stop
            return new Result(0, 0, 0, true);
        }
        for (SessionRegistry registry : fresh) {
            for (SessionState state : registry.openStates()) {
                entries.add(new Entry(registry, state, state.sent()));
            }
        }
        long started = System.nanoTime();
        logger.log(Level.INFO, "draining " + entries.size() + " sessions of " + what + ": new connections are closed"
                + " with 1012, queued messages get up to " + timeout.toMillis() + " ms, then every session is closed"
                + " with 1012" + (spread.isZero() ? "" : ", spread over " + spread.toMillis() + " ms"));
        boolean interrupted = false;
        boolean flushed = false;
        long deadline = started + timeout.toNanos();
        while (true) {
            flushed = entries.stream().allMatch(e -> e.state.unsent() == 0 || !e.state.session().isOpen());
            long left = deadline - System.nanoTime();
            if (flushed || left <= 0 || interrupted) {
                break;
            }
            interrupted = !sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        }
        long delivered = 0;
        long dropped = 0;
        long closing = System.nanoTime();
        int n = entries.size();
        for (int i = 0; i < n; i++) {
            if (!interrupted && !spread.isZero()) {
                long due = closing + spread.toNanos() * i / n;
                long wait;
                while (!interrupted && (wait = due - System.nanoTime()) > 0) {
                    interrupted = !sleep(Math.max(1, Math.min(POLL_MILLIS * 10, wait / 1_000_000)));
                }
            }
            Entry e = entries.get(i);
            long unsent = e.state.session().isOpen() ? e.state.unsent() : 0;
            long sent = e.state.sent() - e.sentBefore;
            e.state.closeNow(REASON);
            e.registry.drained(sent, unsent);
            delivered += sent;
            dropped += unsent;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Level level = dropped > 0 ? Level.WARNING : Level.INFO;
        logger.log(level, "drained " + what + ": " + n + " sessions closed with 1012 after "
                + (System.nanoTime() - started) / 1_000_000 + " ms; " + delivered + " messages delivered during the"
                + " drain, " + dropped + " still unsent " + (flushed ? "" : "at the deadline ") + "(dropped)");
        return new Result(n, delivered, dropped, flushed);
    }

    /** Sleep; {@code false} if interrupted. */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
