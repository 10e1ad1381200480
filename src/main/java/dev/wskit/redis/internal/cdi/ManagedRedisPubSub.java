package dev.wskit.redis.internal.cdi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.naming.NamingException;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.CreationException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.cdi.RedisPubSubClient;
import dev.wskit.redis.internal.RedisPubSubImpl;
import dev.wskit.redis.internal.health.HealthView;
import dev.wskit.redis.internal.selfcheck.SelfCheckReport;

import redis.clients.jedis.UnifiedJedis;

/**
 * Creates, owns and destroys the one {@link RedisPubSub} of the application's {@code @ApplicationScoped} bean.
 *
 * <p>The options come from the {@link RedisPubSubConfig} read at deployment, plus the application's
 * {@link RedisPubSubClient} beans. Threads come, in this order, from a {@link RedisPubSubClient} {@link ThreadFactory}
 * bean, the container's {@code ManagedThreadFactory} ({@code java:comp/DefaultManagedThreadFactory}), or the library's own
 * daemon threads. The core's lifecycle callbacks, which run on its callback thread, are fired as CDI events.
 *
 * <p>Shutdown order: {@link #stop()} runs when the application context is about to be destroyed, before the
 * container's executors and the application's beans go away. It stops the events, then destroys the
 * {@code RedisPubSub}, which closes its connections and waits (bounded) for its threads. Destroying the bean later
 * releases the beans obtained from the application, such as a {@code @Dependent} client with a disposer. Both are
 * idempotent.
 */
public final class ManagedRedisPubSub {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.cdi");
    private static final String CONCURRENCY_API = "jakarta.enterprise.concurrent.ManagedThreadFactory";
    private static final List<Class<?>> REPLACEABLE = List.of(UnifiedJedis.class, MessageSerializer.class,
            MessageDeserializer.class, ThreadFactory.class);

    private static final Duration MIN_STRICT_WAIT = Duration.ofSeconds(10);

    private final RedisPubSubConfig config;
    private final BeanManager beanManager;
    private final AtomicReference<RedisPubSub> instance = new AtomicReference<>();
    private volatile boolean stopped;

    /**
     * Create the owner of the bean's instances.
     *
     * @param config the validated configuration; must not be {@code null}
     * @param beanManager the bean manager to look up the application's beans and fire events; must not be
     *        {@code null}
     */
    public ManagedRedisPubSub(RedisPubSubConfig config, BeanManager beanManager) {
        this.config = config;
        this.beanManager = beanManager;
    }

    /**
     * Check the application's {@link RedisPubSubClient} beans: at most one per type, and a client without a proxy.
     *
     * @param beanManager the bean manager; must not be {@code null}
     * @return the problems, each naming the beans; empty if none
     */
    public static List<String> checkReplacements(BeanManager beanManager) {
        List<String> problems = new ArrayList<>();
        for (Class<?> type : REPLACEABLE) {
            Set<Bean<?>> beans = beanManager.getBeans(type, RedisPubSubClient.Literal.INSTANCE);
            if (beans.isEmpty()) {
                continue;
            }
            Bean<?> bean;
            try {
                bean = beanManager.resolve(beans);
            } catch (AmbiguousResolutionException e) {
                problems.add(Messages.ambiguousReplacement(type, beans));
                continue;
            }
            if (type == UnifiedJedis.class && bean != null && beanManager.isNormalScope(bean.getScope())) {
                problems.add(Messages.proxiedClient(bean));
            }
        }
        return problems;
    }

    /**
     * Log one WARNING when no key says where Redis is and no {@link RedisPubSubClient} client bean replaces the
     * connection: the bean then connects to the default {@code localhost:6379}, rarely where Redis runs outside a
     * developer's machine. Called at deployment.
     */
    public void warnIfNoRedisLocation() {
        if (config.url() == null && config.host() == null && config.port() == null && config.sentinels() == null
                && config.clusterNodes() == null
                && beanManager.getBeans(UnifiedJedis.class, RedisPubSubClient.Literal.INSTANCE).isEmpty()) {
            LOGGER.log(Level.WARNING, Messages.noRedisLocation());
        }
    }

    /**
     * Create the instance: the {@code create} callback of the synthetic bean.
     *
     * @param context the bean's creational context, which also owns the application beans looked up here; must not
     *        be {@code null}
     * @return a new instance, connecting in the background; never {@code null}
     * @throws CreationException if the instance cannot be created, for example with an unusable client bean
     */
    public RedisPubSub create(CreationalContext<?> context) {
        if (stopped) {
            throw new IllegalStateException(Messages.createdAfterStop());
        }
        try {
            List<String> replaced = new ArrayList<>();
            RedisPubSubOptions.Builder builder = config.toBuilder();
            UnifiedJedis client = reference(UnifiedJedis.class, context, replaced);
            if (client != null) {
                builder.client(client);
            }
            MessageSerializer serializer = reference(MessageSerializer.class, context, replaced);
            if (serializer != null) {
                builder.serializeMessage(serializer);
            }
            MessageDeserializer deserializer = reference(MessageDeserializer.class, context, replaced);
            if (deserializer != null) {
                builder.deserializeMessage(deserializer);
            }
            String threads;
            ThreadFactory threadFactory = reference(ThreadFactory.class, context, null);
            if (threadFactory != null) {
                threads = Messages.threadsFromBean();
            } else if (!isConcurrencyApiPresent()) {
                threads = Messages.threadsOwnNoApi();
            } else {
                try {
                    threadFactory = ContainerThreadFactory.lookup(null);
                    threads = Messages.threadsFromContainer();
                } catch (NamingException | RuntimeException | LinkageError e) {
                    threads = Messages.threadsOwnNoLookup(e);
                }
            }
            builder.threadFactory(threadFactory);

            RedisPubSubOptions base = builder.build();
            String endpoint = base.endpoint();
            RedisPubSubOptions options = base.toBuilder()
                    .onConnect(() -> fire(EventValues.connected(endpoint)))
                    .onDisconnect(() -> fire(EventValues.disconnected(endpoint)))
                    .onError(error -> fire(EventValues.error(endpoint, error)))
                    .build();
            LOGGER.log(Level.INFO, Messages.starting(endpoint, options.namespace(), threads, replaced));
            LOGGER.log(Level.DEBUG, () -> Messages.PREFIX + "options: " + options);
            RedisPubSub pubsub = RedisPubSub.create(options);
            instance.set(pubsub);
            return pubsub;
        } catch (RuntimeException e) {
            throw new CreationException(Messages.creationFailed(e), e);
        }
    }

    /**
     * Destroy an instance: the {@code destroy} callback of the synthetic bean.
     *
     * @param pubsub the instance; must not be {@code null}
     * @param context the bean's creational context, released afterwards; must not be {@code null}
     */
    public void destroy(RedisPubSub pubsub, CreationalContext<?> context) {
        try {
            stop();
            pubsub.destroy();
        } finally {
            // releases dependent application beans, such as a client, only after the instance stopped using them
            context.release();
        }
    }

    /**
     * Create the instance now, at application start-up, so that it connects before the first request. Does not
     * wait for Redis, unless the self-check is strict ({@code wskit.redis.self-check=strict}): then it waits for the
     * self-check, at most {@link #strictWait(RedisPubSubOptions)}, and throws when it found a problem or did not
     * finish in time, which fails the deployment.
     *
     * @throws IllegalStateException in strict mode, naming every problem the self-check found, or saying that it
     *     did not finish
     */
    public void start() {
        // calling a method through the client proxy makes the container create the instance
        beanManager.createInstance().select(RedisPubSub.class).get().isConnected();
        if (instance.get() instanceof RedisPubSubImpl impl && impl.selfCheck() != null
                && config.selfCheck() == RedisPubSubOptions.SelfCheck.STRICT) {
            RedisPubSubOptions options = config.toBuilder().build();
            Duration wait = strictWait(options);
            SelfCheckReport report;
            try {
                report = impl.selfCheck().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(Messages.selfCheckNotDone(options.endpoint(), wait), e);
            } catch (ExecutionException | TimeoutException e) {
                String message = Messages.selfCheckNotDone(options.endpoint(), wait);
                LOGGER.log(Level.ERROR, message);
                throw new IllegalStateException(message);
            }
            if (!report.passed()) {
                String message = Messages.selfCheckFailed(options.endpoint(), report.problems());
                LOGGER.log(Level.ERROR, message);
                throw new IllegalStateException(message);
            }
        }
    }

    /**
     * Return how long a strict self-check may take at deployment: twice the connect timeout and the command timeout
     * together, at least 10 s (14 s by default).
     *
     * @param options the options; must not be {@code null}
     * @return the longest wait; never {@code null}
     */
    public static Duration strictWait(RedisPubSubOptions options) {
        Duration wait = options.connectTimeout().plus(options.commandTimeout()).multipliedBy(2);
        return wait.compareTo(MIN_STRICT_WAIT) < 0 ? MIN_STRICT_WAIT : wait;
    }

    /**
     * Stop firing events and destroy the instance, if one was created. Idempotent.
     */
    public void stop() {
        stopped = true;
        RedisPubSub pubsub = instance.getAndSet(null);
        if (pubsub != null) {
            pubsub.destroy();
            LOGGER.log(Level.INFO, Messages.destroyed(pubsub.stats()));
        }
    }

    /**
     * Return the counters of the instance now.
     *
     * @return the counters; {@code null} while there is no instance (not started yet, or stopped)
     */
    public RedisPubSubStats stats() {
        RedisPubSub pubsub = instance.get();
        return pubsub == null ? null : pubsub.stats();
    }

    /**
     * Return what the readiness check shows of the instance now.
     *
     * @return the view; {@code null} while there is no instance (not started yet, or stopped)
     */
    public HealthView health() {
        return instance.get() instanceof RedisPubSubImpl impl ? impl.health() : null;
    }

    /**
     * Return the text of the deployment problem for invalid configuration or replacement beans.
     *
     * @param problems the problems; must not be {@code null} or empty
     * @return the text, listing every problem on a line of its own; never {@code null}
     */
    public static String invalidDeployment(List<String> problems) {
        return Messages.invalidDeployment(problems);
    }

    /**
     * Return the text of the deployment problem when MicroProfile Config cannot be used.
     *
     * @param cause why; must not be {@code null}
     * @return the text, with a hint; never {@code null}
     */
    public static String configUnavailable(Throwable cause) {
        return Messages.configUnavailable(cause);
    }

    /**
     * Return the text of the exception when the bean is created before the deployment was validated.
     *
     * @return the text; never {@code null}
     */
    public static String notValidated() {
        return Messages.notValidated();
    }

    private <T> T reference(Class<T> type, CreationalContext<?> context, List<String> replaced) {
        Set<Bean<?>> beans = beanManager.getBeans(type, RedisPubSubClient.Literal.INSTANCE);
        if (beans.isEmpty()) {
            return null;
        }
        Bean<?> bean = beanManager.resolve(beans);
        if (replaced != null) {
            replaced.add(Messages.replaced(type));
        }
        return type.cast(beanManager.getReference(bean, type, context));
    }

    private void fire(Object event) {
        if (stopped) {
            return;
        }
        Event<Object> events = beanManager.getEvent();
        try {
            events.fire(event);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, Messages.observerFailed(event, e), e);
        }
        try {
            events.fireAsync(event).whenComplete((ignored, e) -> {
                if (e != null) {
                    LOGGER.log(Level.WARNING, Messages.observerFailed(event, e), e);
                }
            });
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, Messages.observerFailed(event, e), e);
        }
    }

    private static boolean isConcurrencyApiPresent() {
        try {
            Class.forName(CONCURRENCY_API, false, ManagedRedisPubSub.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
