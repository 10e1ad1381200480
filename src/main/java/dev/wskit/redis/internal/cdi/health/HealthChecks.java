package dev.wskit.redis.internal.cdi.health;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;

import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.wskit.redis.internal.health.HealthData;
import dev.wskit.redis.internal.health.HealthView;

/**
 * The MicroProfile Health checks of the {@code RedisPubSub} bean ({@link ReadinessCheck}, {@link LivenessCheck}),
 * discovered in the library's bean archive where the Health API is on the class path: its {@code beans.xml}
 * excludes this package from discovery where the API is absent ({@code if-class-not-available}), and the extension
 * registers their {@link HealthSource} only when the API is present ({@link #apiPresent(ClassLoader)}), so the
 * library deploys where it is absent without any server trying to load them.
 *
 * <p>Readiness ({@value #NAME}): DOWN while the instance is not started, while its subscriber or publisher is
 * disconnected, while a subscription is not confirmed by Redis, and while the loopback canary is late; the data
 * says why ({@code reasons}). Liveness: always UP, so that a Redis outage never makes an orchestrator restart the
 * application server; the same data, for information.
 */
public final class HealthChecks {

    /** The name of both checks, {@value}. */
    public static final String NAME = "wskit-redis-pubsub";

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.cdi");
    private static final String API = "org.eclipse.microprofile.health.HealthCheck";

    private HealthChecks() {
    }

    /**
     * Tell whether the MicroProfile Health API can be loaded.
     *
     * @param loader the class loader of the library
     * @return {@code true} if it can
     */
    public static boolean apiPresent(ClassLoader loader) {
        try {
            Class.forName(API, false, loader);
            Class.forName("org.eclipse.microprofile.health.Readiness$Literal", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Register the source the checks read; call only when {@link #apiPresent(ClassLoader)}.
     *
     * @param event the extension's event
     * @param health what the instance looks like now; {@code null} when there is none
     */
    public static void register(AfterBeanDiscovery event, Supplier<HealthView> health) {
        event.<HealthSource>addBean()
                .id(HealthChecks.class.getName() + ".HealthSource")
                .beanClass(HealthChecks.class)
                .types(HealthSource.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .createWith(context -> new HealthSource(health));
        LOGGER.log(Level.DEBUG, "[wskit-redis-pubsub] MicroProfile Health found: readiness and liveness checks "
                + "registered as " + NAME);
    }

    /**
     * Return the readiness of an instance.
     *
     * @param view the instance's view; {@code null} when there is none
     * @return UP if it is ready; never {@code null}
     */
    public static HealthCheckResponse readiness(HealthView view) {
        boolean up = view != null && view.ready();
        return new HealthCheckResponse(NAME, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(HealthData.of(view)));
    }

    /**
     * Return the liveness of an instance: always UP.
     *
     * @param view the instance's view; {@code null} when there is none
     * @return UP; never {@code null}
     */
    public static HealthCheckResponse liveness(HealthView view) {
        return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(HealthData.of(view)));
    }
}
