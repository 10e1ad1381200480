package dev.wskit.redis.internal.websocket.deploy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * Everything of the WebSocket layer that touches the CDI API. {@link #isApiPresent()} is safe to call without it;
 * the other methods only after it returned {@code true}.
 */
final class CdiSupport {

    private static final String CDI_CLASS = "jakarta.enterprise.inject.spi.CDI";

    private CdiSupport() {
    }

    /**
     * Tell whether the CDI API is on the class path. Does not load any CDI class into this class.
     *
     * @return {@code true} if the CDI API is present
     */
    static boolean isApiPresent() {
        try {
            Class.forName(CDI_CLASS, false, CdiSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Return a factory creating endpoint instances through the reachable CDI container, or {@code null} if none is.
     *
     * @return the factory, or {@code null}
     */
    static EndpointFactory endpointFactory() {
        BeanManager beanManager = beanManager();
        return beanManager == null ? null : new CdiEndpointFactory(beanManager);
    }

    /**
     * Fire an event through the reachable CDI container; does nothing if none is reachable.
     *
     * @param event the event; must not be {@code null}
     */
    static void fire(Object event) {
        BeanManager beanManager = beanManager();
        if (beanManager != null) {
            try {
                beanManager.getEvent().fire(event);
            } catch (RuntimeException e) {
                // an observer threw: the CDI container reports it; the session goes on
                EndpointRegistration.LOGGER.log(System.Logger.Level.WARNING, "an observer of " + event.getClass()
                        .getSimpleName() + " threw " + e, e);
            }
        }
    }

    /**
     * Look the application's {@link RedisPubSub} bean up.
     *
     * @return the bean (a client proxy for a normal scope); never {@code null}
     * @throws IllegalStateException if no CDI container is reachable or the bean is missing or ambiguous
     */
    static RedisPubSub redisPubSub() {
        CDI<Object> cdi;
        try {
            cdi = CDI.current();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no CDI container is reachable to look up the RedisPubSub bean ("
                    + e.getMessage() + ")", e);
        }
        Instance<RedisPubSub> instance = cdi.select(RedisPubSub.class);
        if (instance.isUnsatisfied()) {
            throw new IllegalStateException("there is no RedisPubSub bean; the library's CDI extension"
                    + " (dev.wskit.redis.cdi) registers one when MicroProfile Config is present");
        }
        if (instance.isAmbiguous()) {
            throw new IllegalStateException("there are several RedisPubSub beans without qualifier: "
                    + instance.stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        return instance.get();
    }

    /**
     * Tell why the application's {@link RedisPubSub} bean cannot be looked up, without creating it: for the check at
     * deployment.
     *
     * @return the problem, naming the cause and the fix, or {@code null} if the bean is there
     */
    static String redisPubSubProblem() {
        if (!isApiPresent()) {
            return "the CDI API is absent; run the application on a server with CDI (WildFly, Payara, Open Liberty"
                    + " with the feature cdi-4.0), or register the endpoints yourself with"
                    + " RedisPubSubEndpoints.config(type, pubsub)";
        }
        return Lookup.problem();
    }

    private static BeanManager beanManager() {
        try {
            return CDI.current().getBeanManager();
        } catch (IllegalStateException e) {
            // the API without a running container, such as Weld SE on the class path but not started
            return null;
        }
    }

    /** Loaded only once the CDI API is known to be present. */
    private static final class Lookup {

        static String problem() {
            CDI<Object> cdi;
            try {
                cdi = CDI.current();
            } catch (IllegalStateException e) {
                return "no CDI container is reachable (" + e.getMessage() + "): the server did not start CDI for"
                        + " this application. The library's jar is a bean archive (META-INF/beans.xml) so that every"
                        + " server starts CDI; if it was repackaged without that file (a merged or shaded jar), add a"
                        + " WEB-INF/beans.xml with bean-discovery-mode=\"annotated\" to the application, and make"
                        + " sure the server has CDI enabled (Open Liberty: feature cdi-4.0)";
            }
            Instance<RedisPubSub> instance = cdi.select(RedisPubSub.class);
            if (instance.isUnsatisfied()) {
                return "there is no RedisPubSub bean: the library's CDI extension (dev.wskit.redis.cdi."
                        + "RedisPubSubExtension, registered in META-INF/services/jakarta.enterprise.inject.spi."
                        + "Extension of the library's jar) was not loaded; keep that file when repackaging the jar";
            }
            if (instance.isAmbiguous()) {
                // the beans, not instance.stream(): that would create them at deployment
                return "there are several RedisPubSub beans without qualifier: " + cdi.getBeanManager()
                        .getBeans(RedisPubSub.class).stream().map(Object::toString).sorted()
                        .collect(Collectors.joining(", ")) + "; give the application's own RedisPubSub beans a"
                        + " qualifier";
            }
            return null;
        }
    }

    /**
     * A bean class is created as a bean (its scope must be {@code @Dependent}: one instance per connection); any other
     * class is created with {@link Unmanaged}, which injects its {@code @Inject} members and calls its
     * {@code @PostConstruct} method. This matters on Open Liberty, which injects nothing into a non-bean endpoint.
     */
    private static final class CdiEndpointFactory extends EndpointFactory {

        private final BeanManager beanManager;
        // per class, once: its Bean, or the Unmanaged holding its injection target (costly to build per connection)
        private final Map<Class<?>, Object> strategies = new ConcurrentHashMap<>();

        CdiEndpointFactory(BeanManager beanManager) {
            this.beanManager = beanManager;
        }

        @Override
        @SuppressWarnings("unchecked")
        Created create(Class<? extends RedisPubSubEndpoint> type) throws InstantiationException {
            try {
                Object strategy = strategies.computeIfAbsent(type, t -> {
                    Bean<?> bean = beanOf(t);
                    return bean != null ? bean : new Unmanaged<>(beanManager, t);
                });
                if (strategy instanceof Bean<?> bean) {
                    if (bean.getScope() != Dependent.class) {
                        throw instantiationException(type.getName() + " is a bean of scope @"
                                + bean.getScope().getSimpleName() + "; an endpoint bean must be @Dependent, because"
                                + " every connection needs its own instance", null);
                    }
                    CreationalContext<?> context = beanManager.createCreationalContext(bean);
                    RedisPubSubEndpoint endpoint = type.cast(beanManager.getReference(bean, type, context));
                    return new Created(endpoint, context::release);
                }
                Unmanaged.UnmanagedInstance<? extends RedisPubSubEndpoint> unmanaged =
                        ((Unmanaged<? extends RedisPubSubEndpoint>) strategy).newInstance();
                RedisPubSubEndpoint endpoint = unmanaged.produce().inject().postConstruct().get();
                return new Created(endpoint, () -> unmanaged.preDestroy().dispose());
            } catch (InstantiationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw instantiationException("CDI cannot create an instance of " + type.getName() + ": " + e, e);
            }
        }

        private Bean<?> beanOf(Class<?> type) {
            Set<Bean<?>> beans = beanManager.getBeans(type).stream()
                    .filter(b -> b.getBeanClass() == type)
                    .collect(Collectors.toSet());
            return beans.isEmpty() ? null : beanManager.resolve(beans);
        }

        @Override
        String describe() {
            return "CDI";
        }
    }
}
