package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one thread of an instance that runs user code the library calls back: {@code onConnect}, {@code onDisconnect},
 * {@code onError} (and through them the synchronous CDI observers) and the dependent actions of
 * {@code connected()}. No thread that keeps a connection alive runs user code: a callback that blocks holds up only
 * the callbacks after it, never a PING, a read or a write.
 *
 * <p>Callbacks run one at a time, in the order they were submitted, so a disconnect is never reported before the
 * connect it ends. The queue is bounded ({@value #QUEUE_CAPACITY}); while it is full (a callback blocks), further
 * callbacks are dropped and counted ({@link #dropped()}, in the stats), and the first drop is logged.
 */
final class CallbackRunner implements Runnable {

    static final int QUEUE_CAPACITY = 1024;

    private static final Runnable WAKE_UP = () -> { };

    private final ArrayBlockingQueue<Runnable> tasks;
    private final int capacity;
    private final Logger logger;
    private final String prefix;
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean dropLogged = new AtomicBoolean();
    private volatile boolean running = true;

    CallbackRunner(Logger logger, String prefix) {
        this(QUEUE_CAPACITY, logger, prefix);
    }

    CallbackRunner(int capacity, Logger logger, String prefix) {
        this.tasks = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.logger = logger;
        this.prefix = prefix;
    }

    /**
     * Queue a callback.
     *
     * @return {@code false} if it will not run: after {@link #stop()}, or dropped (and counted) because the queue is
     *         full
     */
    boolean submit(Runnable task) {
        if (!running) {
            return false;
        }
        if (!tasks.offer(task)) {
            dropped.increment();
            if (dropLogged.compareAndSet(false, true)) {
                logger.log(Level.WARNING, prefix + capacity + " callbacks are waiting behind one that blocks;"
                        + " further callbacks are dropped and counted in stats().droppedCallbacks(); callbacks and"
                        + " synchronous observers must return quickly");
            }
            return false;
        }
        return true;
    }

    /** The callbacks dropped because the queue was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Stop after the callback running now, if any; the queued ones do not run. */
    void stop() {
        running = false;
        // wakes the take below; when the queue is full, the thread is not waiting for one
        tasks.offer(WAKE_UP);
    }

    @Override
    public void run() {
        while (running) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (running) {
                runSafely(task);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            logger.log(Level.WARNING, prefix + "a callback threw; ignored", t);
        }
    }
}
