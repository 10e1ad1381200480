package dev.wskit.redis.internal.websocket.delivery;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the further stripes of a large room's delivery run (see {@link RoomRegistry}). In a container this is the
 * container's default managed executor, the one that also closes sessions ({@link CloseExecutors#lookupManaged()}).
 * Elsewhere it is a pool of daemon threads of the library, one fewer than the processors, that end after 10 s
 * without work, so it needs no shutdown. The registry posts at most {@code parallelism - 1} tasks that have not
 * started, so the queue stays short.
 */
public final class DeliveryExecutors {

    private DeliveryExecutors() {
    }

    /**
     * Return the library's own executor, for use outside a container.
     *
     * @return the shared fallback executor; never {@code null}
     */
    public static Executor fallback() {
        return Fallback.EXECUTOR;
    }

    /**
     * Return how many threads, the subscriber thread included, hand one message to a large room by default: the
     * number of processors available to the JVM.
     *
     * @return at least 1
     */
    public static int defaultParallelism() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private static final class Fallback {

        static final Executor EXECUTOR = create();

        private static Executor create() {
            int threads = Math.max(1, defaultParallelism() - 1);
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "wskit-redis-websocket-delivery-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
