package dev.wskit.redis.internal.websocket.deploy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the graceful drain of the applications' endpoints when the JVM receives SIGTERM, before the server's own
 * shutdown starts, then passes the signal on to the handler that was there before (the JVM's, which runs the shutdown
 * hooks, and so the server's shutdown).
 *
 * <p>Why: a server stopped by SIGTERM (Kubernetes, systemd, {@code docker stop}) closes the WebSocket sessions itself
 * before it stops the applications, so that the drain in {@code contextDestroyed} finds none left: WildFly suspends
 * first, and its WebSocket container closes every session with 1001 (Going Away); Open Liberty quiesces and drops the
 * connections (1006). Run from the signal, the drain finds the server and the {@code RedisPubSub} still up: queued
 * and newly published messages are delivered, then every session is closed with 1012, spread as configured; only then
 * does the server's shutdown begin. The drain in {@code contextDestroyed} then finds the endpoints drained.
 *
 * <p>A second SIGTERM during the drain (systemd signals every process of the unit; WildFly's {@code standalone.sh}
 * forwards the signal it gets to the JVM) waits for the same drain, bounded, then passes on too. The signal API is the
 * JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by reflection: where it is missing, the
 * signal is ignored by the JVM (it started with SIGTERM ignored), or cannot be handled ({@code -Xrs}), nothing is
 * installed and the drain runs from {@code contextDestroyed} alone, as before. Turned off with the system property or
 * environment variable {@value #PROPERTY} ({@value #ENV}) set to {@code false}.
 *
 * <p>One instance per copy of the library (each WAR that bundles it has its own): each installs its own handler over
 * the previous one while it has endpoints, and puts the previous one back when its last endpoints are undeployed; if
 * another handler was installed over it meanwhile, that one stays, and this one stays in its chain, passing the signal
 * on.
 */
public final class SigtermDrain {

    /** The system property that turns the drain on SIGTERM off with {@code false}. */
    public static final String PROPERTY = "wskit.redis.websocket.drain-on-sigterm";
    /** The environment variable that turns the drain on SIGTERM off with {@code false}. */
    public static final String ENV = "WSKIT_REDIS_WEBSOCKET_DRAIN_ON_SIGTERM";

    private static final Logger LOGGER = EndpointRegistration.LOGGER;
    /** How much longer than the drains' own bound a second signal waits for them. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private static final SigtermDrain SHARED = new SigtermDrain(enabled() ? JdkSignals.create() : null);

    /** The JVM's signal API for SIGTERM, behind an interface for the tests. */
    interface Signals {

        /**
         * Install a handler for SIGTERM.
         *
         * @param onSignal what the handler runs, on the thread the JVM gives the signal
         * @return the handler installed and the one it replaced
         * @throws Exception if the signal cannot be handled
         */
        Installed install(Runnable onSignal) throws Exception;

        /**
         * Put a handler back for SIGTERM.
         *
         * @param handler a handler returned by {@link #install}
         * @return the handler it replaced
         * @throws Exception if it cannot
         */
        Object restore(Object handler) throws Exception;

        /**
         * Tell whether a handler ignores the signal (the JVM started with SIGTERM ignored).
         *
         * @param handler a handler returned by {@link #install}
         * @return whether it ignores it
         */
        boolean ignores(Object handler);

        /**
         * Pass the signal on to a handler: call it; for the operating system's default action, put that back and
         * raise the signal again.
         *
         * @param handler the handler
         * @throws Exception if it cannot
         */
        void forward(Object handler) throws Exception;
    }

    /**
     * A handler installed.
     *
     * @param ours the handler installed
     * @param previous the handler it replaced
     */
    record Installed(Object ours, Object previous) {
    }

    /** A drain registered: what it drains, how, and for how long at most. */
    private record Entry(String what, Runnable drain, Duration bound) {
    }

    /** A registration, removed with {@link #close()}. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Signals signals;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private Installed installed;
    private CompletableFuture<Void> draining;

    SigtermDrain(Signals signals) {
        this.signals = signals;
    }

    /**
     * Return the instance of this copy of the library.
     *
     * @return the instance; never {@code null}
     */
    public static SigtermDrain shared() {
        return SHARED;
    }

    private static boolean enabled() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        return value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    /**
     * Drain something on SIGTERM, before the server's shutdown; installs the handler with the first registration.
     *
     * @param what what is drained, for the log lines
     * @param drain the drain; blocks for at most {@code bound}
     * @param bound how long the drain may block
     * @return the registration, to close when the endpoints are undeployed
     */
    public synchronized Registration register(String what, Runnable drain, Duration bound) {
        Entry entry = new Entry(what, drain, bound);
        entries.add(entry);
        if (installed == null && signals != null) {
            install();
        }
        return () -> unregister(entry);
    }

    /** Whether a handler of this instance is installed now; for the tests. */
    synchronized boolean installed() {
        return installed != null;
    }

    private void install() {
        Installed[] self = new Installed[1];
        try {
            Installed done = signals.install(() -> onSignal(self));
            if (signals.ignores(done.previous())) {
                // the JVM ignores SIGTERM: so does this library
                signals.restore(done.previous());
                return;
            }
            self[0] = done;
            installed = done;
            LOGGER.log(Level.INFO, () -> "on SIGTERM the WebSocket sessions are drained before the server stops"
                    + " (" + PROPERTY + "=false: when the server stops the application)");
        } catch (Exception | LinkageError e) {
            LOGGER.log(Level.INFO, "SIGTERM cannot be handled here (" + e + "): the WebSocket sessions are drained"
                    + " when the server stops the application, which some servers do after closing them; " + PROPERTY
                    + "=false keeps this line away");
        }
    }

    private synchronized void unregister(Entry entry) {
        entries.remove(entry);
        if (!entries.isEmpty() || installed == null) {
            return;
        }
        Installed mine = installed;
        installed = null;
        try {
            Object replaced = signals.restore(mine.previous());
            if (replaced != mine.ours()) {
                // another handler came over this one meanwhile: it stays, this one passes the signal on
                signals.restore(replaced);
            }
        } catch (Exception | LinkageError e) {
            LOGGER.log(Level.DEBUG, () -> "cannot put the SIGTERM handler back: " + e);
        }
    }

    private void onSignal(Installed[] self) {
        Installed mine;
        CompletableFuture<Void> running;
        boolean first = false;
        List<Entry> now;
        synchronized (this) {
            // set under this lock by install(): a signal that came in between waits for it here
            mine = self[0];
            now = List.copyOf(entries);
            running = draining;
            if (running == null && !now.isEmpty()) {
                running = new CompletableFuture<>();
                draining = running;
                first = true;
            }
        }
        if (first) {
            try {
                LOGGER.log(Level.INFO, "SIGTERM: draining the WebSocket sessions before the server stops");
                for (Entry e : now) {
                    try {
                        e.drain().run();
                    } catch (RuntimeException ex) {
                        LOGGER.log(Level.WARNING, "the drain of " + e.what() + " on SIGTERM failed: " + ex, ex);
                    }
                }
            } finally {
                running.complete(null);
            }
        } else if (running != null) {
            Duration bound = MARGIN;
            for (Entry e : now) {
                bound = bound.plus(e.bound());
            }
            try {
                running.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ex) {
                // passed on all the same
            }
        }
        if (mine != null) {
            try {
                signals.forward(mine.previous());
            } catch (Exception | LinkageError ex) {
                LOGGER.log(Level.WARNING, "cannot pass SIGTERM on to the JVM after the drain: " + ex, ex);
            }
        }
    }

    /** {@code sun.misc.Signal}, by reflection. */
    static final class JdkSignals implements Signals {

        private final Object term;
        private final Class<?> handlerType;
        private final Method handle;
        private final Method raise;
        private final Method call;
        private final Object defaultAction;
        private final Object ignore;

        private JdkSignals(Class<?> signalType, Class<?> handlerType) throws ReflectiveOperationException {
            this.term = signalType.getConstructor(String.class).newInstance("TERM");
            this.handlerType = handlerType;
            this.handle = signalType.getMethod("handle", signalType, handlerType);
            this.raise = signalType.getMethod("raise", signalType);
            this.call = handlerType.getMethod("handle", signalType);
            this.defaultAction = handlerType.getField("SIG_DFL").get(null);
            this.ignore = handlerType.getField("SIG_IGN").get(null);
        }

        /** Return the JDK's signals, or {@code null} where they cannot be reached. */
        static Signals create() {
            try {
                // from the JDK's own loaders: a server's application class loader may hide sun.misc (JBoss Modules)
                ClassLoader loader = ClassLoader.getPlatformClassLoader();
                return new JdkSignals(Class.forName("sun.misc.Signal", true, loader),
                        Class.forName("sun.misc.SignalHandler", true, loader));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOGGER.log(Level.INFO, "no sun.misc.Signal (" + e + "): on SIGTERM the WebSocket sessions are drained"
                        + " when the server stops the application, which some servers do after closing them");
                return null;
            }
        }

        @Override
        public Installed install(Runnable onSignal) throws Exception {
            Object ours = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onSignal.run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "wskit-redis-pubsub: drain the WebSocket sessions, then stop";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return new Installed(ours, invoke(handle, null, term, ours));
        }

        @Override
        public Object restore(Object handler) throws Exception {
            return invoke(handle, null, term, handler);
        }

        @Override
        public boolean ignores(Object handler) {
            return handler == ignore;
        }

        @Override
        public void forward(Object handler) throws Exception {
            if (handler == ignore) {
                return;
            }
            if (handler == defaultAction) {
                invoke(handle, null, term, defaultAction);
                invoke(raise, null, term);
                return;
            }
            invoke(call, handler, term);
        }

        private static Object invoke(Method method, Object target, Object... args) throws Exception {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }
}
