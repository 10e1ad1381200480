package dev.wskit.redis.internal.websocket.deploy;

import java.lang.System.Logger.Level;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;

import dev.wskit.redis.internal.websocket.delivery.CloseExecutors;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * Deploys the application's {@link RedisPubSubEndpoint} subclasses in a servlet container, at the paths of their
 * {@code @ServerEndpoint} annotations, as programmatic endpoints.
 *
 * <p>Registered through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}; a servlet container runs
 * the initializers of library jars and hands this one every application class extending {@code RedisPubSubEndpoint}
 * ({@code @HandlesTypes}). It keeps the concrete ones annotated with {@code @ServerEndpoint} and adds a
 * {@link ServletContextListener} that registers them in {@code contextInitialized}: the WebSocket specification
 * guarantees the {@code ServerContainer} attribute and {@code addEndpoint} there, whereas during {@code onStartup}
 * the WebSocket implementation's own initializer may not have run yet. The listener also reads the settings from
 * MicroProfile Config once (an invalid value fails the deployment, all problems in one message) and looks up the
 * container's managed executor while the application's naming context is active.
 *
 * <p>A deployment that cannot work fails there, at deployment, rather than at the first connection: when the
 * endpoints' {@code RedisPubSub} cannot be looked up (no CDI API, no CDI container started for the application, no
 * bean or several), the listener logs one SEVERE line naming the cause and the fix, and throws, which fails the
 * deployment (measured on Payara Micro 6: the application is not started, its URLs answer 404). It only resolves the
 * bean, through {@code CDI.current()}, which answers in {@code contextInitialized} on WildFly, Payara and Open Liberty;
 * the bean is created by the CDI extension at application start, and the endpoints take it at their first
 * connection.
 *
 * <p>{@link RedisPubSubApplicationConfig} keeps the container from deploying the same classes as annotated endpoints.
 */
@HandlesTypes(RedisPubSubEndpoint.class)
public final class RedisPubSubEndpointInitializer implements ServletContainerInitializer {

    /** The servlet context attribute holding the {@link ServerContainer} (WebSocket specification, section 6.4). */
    public static final String SERVER_CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

    private final Supplier<String> pubSubProblem;

    /** Called by the servlet container. */
    public RedisPubSubEndpointInitializer() {
        this(CdiSupport::redisPubSubProblem);
    }

    /**
     * Create the initializer with another check of the {@code RedisPubSub} at deployment, for tests.
     *
     * @param pubSubProblem returns why the endpoints cannot get their {@code RedisPubSub}, or {@code null}
     */
    RedisPubSubEndpointInitializer(Supplier<String> pubSubProblem) {
        this.pubSubProblem = pubSubProblem;
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        List<Class<? extends RedisPubSubEndpoint>> endpoints = endpointClasses(classes);
        if (!endpoints.isEmpty()) {
            // captured here: older servlet containers refuse getClassLoader() to listeners added by an initializer
            context.addListener(new Registrar(endpoints, context.getClassLoader(), pubSubProblem));
        }
    }

    /**
     * Return the concrete subclasses of {@link RedisPubSubEndpoint} annotated with {@code @ServerEndpoint}, by name.
     *
     * @param classes the classes handed to {@link #onStartup}; can be {@code null}
     * @return the endpoint classes; never {@code null}
     */
    static List<Class<? extends RedisPubSubEndpoint>> endpointClasses(Set<Class<?>> classes) {
        List<Class<? extends RedisPubSubEndpoint>> endpoints = new ArrayList<>();
        if (classes != null) {
            for (Class<?> c : classes) {
                if (RedisPubSubEndpoint.class.isAssignableFrom(c) && c.isAnnotationPresent(ServerEndpoint.class)
                        && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    endpoints.add(c.asSubclass(RedisPubSubEndpoint.class));
                }
            }
        }
        endpoints.sort(Comparator.comparing(Class::getName));
        return endpoints;
    }

    /** Registers the endpoints when the context is initialized. */
    static final class Registrar implements ServletContextListener {

        private final List<Class<? extends RedisPubSubEndpoint>> endpoints;
        private final ClassLoader loader;
        private final Supplier<String> pubSubProblem;
        private final List<EndpointRegistration> registered = new CopyOnWriteArrayList<>();
        private final List<EndpointMonitor> monitors = new CopyOnWriteArrayList<>();
        private volatile SigtermDrain.Registration sigterm;

        Registrar(List<Class<? extends RedisPubSubEndpoint>> endpoints, ClassLoader loader,
                Supplier<String> pubSubProblem) {
            this.endpoints = List.copyOf(endpoints);
            this.loader = loader;
            this.pubSubProblem = pubSubProblem;
        }

        /**
         * Drain the sessions gracefully (see {@link EndpointRegistration#drain(List)}): the servlet container calls
         * this when the application is undeployed or the server shuts down, before it destroys the application's
         * CDI context (listeners are told in the reverse order of their registration, and the CDI implementation's
         * own listener comes first), so the {@code RedisPubSub} still delivers while the queues empty. On a server
         * stopped by SIGTERM the drain ran before, from the signal ({@link SigtermDrain}), and finds nothing left here.
         */
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            SigtermDrain.Registration signal = sigterm;
            sigterm = null;
            if (signal != null) {
                signal.close();
            }
            if (!registered.isEmpty()) {
                EndpointRegistration.drain(List.copyOf(registered));
            }
            closeMonitors();
        }

        private void closeMonitors() {
            for (EndpointMonitor m : monitors) {
                m.close();
            }
            monitors.clear();
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            Object attribute = context.getAttribute(SERVER_CONTAINER_ATTRIBUTE);
            if (!(attribute instanceof ServerContainer container)) {
                throw new IllegalStateException("cannot deploy " + endpoints + ": the servlet context has no "
                        + SERVER_CONTAINER_ATTRIBUTE + " attribute; enable the server's WebSocket support (Open"
                        + " Liberty: feature websocket-2.1)");
            }
            WebSocketSettings settings = WebSocketSettings.fromMicroProfileConfig(loader);
            String problem = pubSubProblem.get();
            if (problem != null) {
                String message = "cannot deploy " + names() + ": the endpoints get their RedisPubSub from CDI, and "
                        + problem;
                // logged as well as thrown: not every server shows a listener's exception prominently
                EndpointRegistration.LOGGER.log(Level.ERROR, message);
                throw new IllegalStateException(message);
            }
            Executor managed = CloseExecutors.lookupManaged();
            try {
                register(container, settings, managed, context.getContextPath());
            } catch (RuntimeException e) {
                // the deployment fails: leave no MBean behind, the container may not call contextDestroyed
                closeMonitors();
                throw e;
            }
            // a server stopped by SIGTERM may close the sessions before contextDestroyed: drain them first
            List<EndpointRegistration> drained = List.copyOf(registered);
            sigterm = SigtermDrain.shared().register(names() + " at " + context.getContextPath(),
                    () -> EndpointRegistration.drain(drained), Duration.ofMillis(
                            (long) settings.drainTimeoutMillis() + settings.drainSpreadMillis()));
        }

        private void register(ServerContainer container, WebSocketSettings settings, Executor managed,
                String contextPath) {
            for (Class<? extends RedisPubSubEndpoint> type : endpoints) {
                EndpointRegistration registration = EndpointRegistration.create(type, settings,
                        PubSubSource.cdiBean(), managed);
                registered.add(registration);
                try {
                    container.addEndpoint(registration.config());
                } catch (DeploymentException e) {
                    throw new IllegalStateException("cannot deploy " + type.getName() + " at "
                            + registration.path() + ": " + e.getMessage(), e);
                }
                monitors.add(EndpointMonitor.register(contextPath, registration));
                EndpointRegistration.LOGGER.log(Level.INFO, () -> "deployed " + type.getName() + " at "
                        + registration.path() + " (send queue " + settings.sendQueueCapacity() + ", overflow "
                        + settings.overflowPolicy().configValue() + ", exclude sender " + settings.excludeSender()
                        + ", delivery parallelism " + settings.deliveryParallelism()
                        + (managed != null ? ")" : ", closing sessions on the library's own threads)"));
            }
        }

        private String names() {
            return String.join(", ", endpoints.stream().map(Class::getName).toList());
        }
    }
}
