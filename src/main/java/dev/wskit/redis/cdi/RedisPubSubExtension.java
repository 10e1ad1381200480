package dev.wskit.redis.cdi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.internal.cdi.ConfigReader;
import dev.wskit.redis.internal.cdi.InvalidConfigException;
import dev.wskit.redis.internal.cdi.ManagedRedisPubSub;
import dev.wskit.redis.internal.cdi.RedisPubSubConfig;
import dev.wskit.redis.internal.cdi.health.HealthChecks;
import dev.wskit.redis.internal.cdi.metrics.OpenTelemetryApi;
import dev.wskit.redis.internal.cdi.metrics.OpenTelemetryMetrics;

/**
 * The CDI portable extension that makes an {@code @ApplicationScoped} {@link RedisPubSub} injectable, configured with
 * MicroProfile Config.
 *
 * <p>The library's jar registers it through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}; the bean
 * is synthetic, so it exists whatever the application's bean-discovery mode. The jar is also a bean archive
 * ({@code META-INF/beans.xml}, discovery {@code annotated}, its only beans the health checks), so that every server
 * starts CDI for an application without a bean archive of its own: Payara Micro starts none otherwise. An application
 * only injects it:
 * <pre>{@code
 * @Inject
 * RedisPubSub pubsub;
 * }</pre>
 * with, for example, {@code wskit.redis.url=redis://redis.internal:6379} in {@code microprofile-config.properties}.
 *
 * <p><b>Configuration.</b> The keys start with {@code wskit.redis.}, one per option of
 * {@link dev.wskit.redis.RedisPubSubOptions}: {@code url}, {@code host}, {@code port}, {@code username},
 * {@code password}, {@code db}, {@code tls}, {@code sentinel.nodes}, {@code sentinel.master},
 * {@code sentinel.username}, {@code sentinel.password}, {@code cluster.nodes}, {@code cluster.sharded-pubsub},
 * {@code namespace}, {@code client-name},
 * {@code reconnect.initial-delay-ms}, {@code reconnect.max-delay-ms}, {@code ping.interval-ms},
 * {@code ping.timeout-ms}, {@code connect-timeout-ms}, {@code command-timeout-ms} and {@code publish.max-pending}.
 * A key that is not set keeps the option's default. They are read once, when the deployment is validated, through
 * the MicroProfile Config API only. Invalid values fail the deployment with one problem listing every invalid key,
 * its value (never a password) and the rule it breaks.
 *
 * <p><b>Replacements.</b> Beans qualified with {@link RedisPubSubClient} replace the connection settings (a
 * {@code UnifiedJedis}), the serialization ({@link dev.wskit.redis.MessageSerializer},
 * {@link dev.wskit.redis.MessageDeserializer}) or the threads ({@link java.util.concurrent.ThreadFactory}).
 *
 * <p><b>Threads.</b> The bean's threads come from the container's {@code ManagedThreadFactory}, looked up at
 * {@code java:comp/DefaultManagedThreadFactory}; outside a container, from the library's own daemon threads. One
 * INFO line at start-up says which.
 *
 * <p><b>Lifecycle.</b> The instance is created eagerly when the application context is initialized
 * ({@code @Initialized(ApplicationScoped.class)}) and connects in the background: an unreachable Redis is logged and
 * reported as {@link RedisError} events, never a deployment failure, and the instance keeps reconnecting. It is
 * destroyed when the application context is about to be destroyed ({@code @BeforeDestroyed(ApplicationScoped.class)},
 * after the application's own observers of that event), so before the container's executors and the application's
 * beans go away. The connection state is fired as {@link RedisConnected}, {@link RedisDisconnected} and
 * {@link RedisError} events.
 *
 * <p><b>Health.</b> When the MicroProfile Health API is on the class path, the library's bean archive has a
 * {@code @Readiness} check named {@code wskit-redis-pubsub}, DOWN while the bean is disconnected, while a
 * subscription is not confirmed and while its loopback canary is late, and a {@code @Liveness} check of the same
 * name that is always UP, and the extension registers what they read. Without the API nothing of it is loaded
 * (the library's {@code beans.xml} excludes them from discovery).
 *
 * <p><b>Metrics.</b> When the OpenTelemetry API is on the class path and the server offers an {@code OpenTelemetry}
 * (a CDI bean, as MicroProfile Telemetry provides, or a {@code GlobalOpenTelemetry} that was set), the extension
 * registers asynchronous instruments ({@code wskit.redis.*}, {@code wskit.websocket.*}) that read the counters when
 * they are collected, and closes them when the bean stops. Without the API nothing of it is loaded.
 *
 * @since 0.1
 */
public class RedisPubSubExtension implements Extension {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.cdi");

    private volatile ManagedRedisPubSub managed;
    // an OpenTelemetryMetrics when registered; Object, so that this class loads without the OpenTelemetry API
    private volatile AutoCloseable metrics;

    /**
     * Create the extension; the container does this through the service loader.
     */
    public RedisPubSubExtension() {
    }

    void registerBean(@Observes AfterBeanDiscovery event) {
        event.<RedisPubSub>addBean()
                .id(RedisPubSubExtension.class.getName() + ".RedisPubSub")
                .beanClass(RedisPubSubExtension.class)
                .types(RedisPubSub.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class)
                .createWith(context -> managed().create(context))
                .destroyWith((pubsub, context) -> managed().destroy(pubsub, context));
        if (HealthChecks.apiPresent(RedisPubSubExtension.class.getClassLoader())) {
            HealthChecks.register(event, () -> {
                ManagedRedisPubSub current = managed;
                return current == null ? null : current.health();
            });
        }
    }

    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        List<String> problems = new ArrayList<>(ManagedRedisPubSub.checkReplacements(beanManager));
        RedisPubSubConfig config = null;
        try {
            config = ConfigReader.read();
        } catch (InvalidConfigException e) {
            problems.addAll(0, e.messages());
        } catch (RuntimeException | LinkageError e) {
            // no MicroProfile Config implementation, or not even its API, on the class path
            event.addDeploymentProblem(new DeploymentException(ManagedRedisPubSub.configUnavailable(e), e));
        }
        if (!problems.isEmpty()) {
            event.addDeploymentProblem(new DeploymentException(ManagedRedisPubSub.invalidDeployment(problems)));
        } else if (config != null) {
            managed = new ManagedRedisPubSub(config, beanManager);
            managed.warnIfNoRedisLocation();
        }
    }

    void start(@Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.LIBRARY_BEFORE)
            Object event, BeanManager beanManager) {
        ManagedRedisPubSub current = managed;
        if (current != null) {
            current.start();
            startMetrics(beanManager, current);
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) @Priority(Interceptor.Priority.LIBRARY_AFTER)
            Object event) {
        closeMetrics();
        ManagedRedisPubSub current = managed;
        if (current != null) {
            current.stop();
        }
    }

    void shutdown(@Observes BeforeShutdown event) {
        // a safety net for containers that do not fire @BeforeDestroyed(ApplicationScoped.class)
        closeMetrics();
        ManagedRedisPubSub current = managed;
        if (current != null) {
            current.stop();
        }
    }

    private void startMetrics(BeanManager beanManager, ManagedRedisPubSub current) {
        if (metrics != null) {
            return;
        }
        try {
            if (OpenTelemetryApi.present(RedisPubSubExtension.class.getClassLoader())) {
                metrics = OpenTelemetryMetrics.start(beanManager, current::stats, current::health);
            }
        } catch (RuntimeException | LinkageError e) {
            // metrics are optional: a partly visible or incompatible OpenTelemetry API never fails the application
            LOGGER.log(Level.WARNING, "[wskit-redis-pubsub] no "
                    + "OpenTelemetry metrics (" + e + "); the instance works without them, JMX has the counters");
        }
    }

    private void closeMetrics() {
        AutoCloseable registered = metrics;
        metrics = null;
        if (registered != null) {
            try {
                registered.close();
            } catch (Exception e) {
                // OpenTelemetryMetrics.close() throws nothing
            }
        }
    }

    private ManagedRedisPubSub managed() {
        ManagedRedisPubSub current = managed;
        if (current == null) {
            throw new IllegalStateException(ManagedRedisPubSub.notValidated());
        }
        return current;
    }
}
