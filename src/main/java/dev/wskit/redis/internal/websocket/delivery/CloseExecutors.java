package dev.wskit.redis.internal.websocket.delivery;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where sessions are closed when the closing thread must not block: the Redis subscriber thread (queue overflow) and
 * send-completion threads. {@code Session.close} may write a close frame synchronously, and a client that stopped
 * reading is exactly the one whose socket is full.
 *
 * <p>In a container this is {@code java:comp/DefaultManagedExecutorService} (available on WildFly, Payara and Open
 * Liberty; Liberty needs the {@code jndi-1.0} feature for the look-up). Elsewhere it is a small pool of daemon threads
 * of the library that end after 10 s without work, so it needs no shutdown.
 */
public final class CloseExecutors {

    /** The JNDI name of the container's default managed executor. */
    public static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";

    private static final int FALLBACK_THREADS = 2;

    private CloseExecutors() {
    }

    /**
     * Look the container's default managed executor up. Must run on a thread with the application's naming context,
     * such as during deployment.
     *
     * @return the executor, or {@code null} when there is none (not in a container)
     */
    public static Executor lookupManaged() {
        try {
            Object found = new InitialContext().lookup(MANAGED_EXECUTOR);
            return found instanceof Executor executor ? executor : null;
        } catch (NamingException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Return the library's own executor, for use outside a container.
     *
     * @return the shared fallback executor; never {@code null}
     */
    public static Executor fallback() {
        return Fallback.EXECUTOR;
    }

    private static final class Fallback {

        static final Executor EXECUTOR = create();

        private static Executor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(FALLBACK_THREADS, FALLBACK_THREADS, 10,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "wskit-redis-websocket-closer-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
