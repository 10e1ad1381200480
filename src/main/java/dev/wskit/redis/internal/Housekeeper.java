package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One thread for everything off the critical paths: lifecycle callbacks, error callbacks and the periodic PING of
 * the subscriber connection.
 *
 * <p>The task queue is bounded; when it is full (a callback blocks), further callbacks are dropped and counted
 * rather than queued without bound.
 */
final class Housekeeper implements Runnable {

    static final int QUEUE_CAPACITY = 1024;

    private final ArrayBlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final long pingIntervalNanos;
    private final Runnable ping;
    private final Logger logger;
    private final String prefix;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean running = true;

    Housekeeper(long pingIntervalNanos, Runnable ping, Logger logger, String prefix) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.ping = ping;
        this.logger = logger;
        this.prefix = prefix;
    }

    /** Queue a task; returns {@code false} (and counts it as dropped) when stopped or full. */
    boolean submit(Runnable task) {
        if (!running || !tasks.offer(task)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    long dropped() {
        return dropped.sum();
    }

    void stop() {
        running = false;
        // wakes the poll below
        tasks.offer(() -> { });
    }

    @Override
    public void run() {
        long nextPing = System.nanoTime() + pingIntervalNanos;
        while (running) {
            try {
                long wait = nextPing - System.nanoTime();
                Runnable task = wait > 0 ? tasks.poll(wait, TimeUnit.NANOSECONDS) : tasks.poll();
                if (task != null) {
                    runSafely(task);
                }
                if (running && System.nanoTime() - nextPing >= 0) {
                    runSafely(ping);
                    nextPing = System.nanoTime() + pingIntervalNanos;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            logger.log(Level.WARNING, prefix + "a lifecycle callback threw; ignored", t);
        }
    }
}
