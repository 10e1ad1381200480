package dev.wskit.redis.cdi;

import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Helpers of the CDI tests: deployments that are expected to fail, threads, free ports.
 */
public final class CdiTesting {

    private CdiTesting() {
    }

    /** A bean that does nothing, so that a deployment never has zero bean classes. */
    public static final class Placeholder {
    }

    /**
     * Create a Weld SE container with our extension and the given bean classes only (no discovery).
     *
     * @param beanClasses the application's beans
     * @return the configured, not yet started container
     */
    public static Weld weld(Class<?>... beanClasses) {
        return new Weld("cdi-test-" + UUID.randomUUID())
                .disableDiscovery()
                .addExtension(new RedisPubSubExtension())
                .addBeanClasses(beanClasses)
                // Weld SE refuses to start without any bean class
                .addBeanClass(Placeholder.class);
    }

    /**
     * Deploy our extension with the given beans, expecting the deployment to fail.
     *
     * @param beanClasses the application's beans
     * @return what the deployment threw, or {@code null} if it succeeded (then it was shut down)
     */
    public static Throwable deploymentFailure(Class<?>... beanClasses) {
        return catchThrowable(() -> {
            try (WeldContainer container = weld(beanClasses).initialize()) {
                container.isRunning();
            }
        });
    }

    /**
     * Return the messages of a throwable, its causes and its suppressed exceptions, recursively, one per line.
     *
     * @param t the throwable; can be {@code null}
     * @return the messages; never {@code null}
     */
    public static String allMessages(Throwable t) {
        List<String> messages = new ArrayList<>();
        collect(t, messages, new IdentityHashMap<>());
        return String.join(System.lineSeparator(), messages);
    }

    private static void collect(Throwable t, List<String> messages, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        messages.add(t.getClass().getName() + ": " + t.getMessage());
        collect(t.getCause(), messages, seen);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, messages, seen);
        }
    }

    /**
     * Return the live threads whose names start with a prefix.
     *
     * @param prefix the prefix, such as the client name followed by {@code #}
     * @return the threads; never {@code null}
     */
    public static List<Thread> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(prefix))
                .toList();
    }

    /**
     * Return a loopback TCP port where nothing listens (it was free a moment ago).
     *
     * @return the port
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /**
     * Return a name unique to this run, usable as a client name or namespace.
     *
     * @param base the start of the name
     * @return the name
     */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
