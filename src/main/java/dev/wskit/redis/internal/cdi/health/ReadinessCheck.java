package dev.wskit.redis.internal.cdi.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check, see {@link HealthChecks}. A bean discovered in the library's bean archive (the library's
 * {@code beans.xml} leaves this package out where the Health API is absent), rather than a type the extension adds or
 * a synthetic bean: Payara collects health checks from the annotations of their classes, and WildFly looks them up
 * from a bean archive of its own that sees the application's archives but not the types an extension adds (measured
 * on WildFly 39 with {@code standalone-microprofile.xml}: an added type was not found).
 */
@ApplicationScoped
@Readiness
public class ReadinessCheck implements HealthCheck {

    @Inject
    HealthSource source;

    @Override
    public HealthCheckResponse call() {
        return HealthChecks.readiness(source.view());
    }
}
