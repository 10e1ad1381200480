package dev.wskit.redis.internal.cdi.health;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check, see {@link HealthChecks}. Not a bean by itself (no bean-defining annotation, so the library's
 * {@code annotated} bean archive does not discover it where the Health API is absent): the extension adds it, with
 * its scope, only when the API is present. A managed bean rather than a synthetic one, because Payara collects
 * health checks from the annotations of their classes.
 */
@Readiness
public class ReadinessCheck implements HealthCheck {

    @Inject
    HealthSource source;

    @Override
    public HealthCheckResponse call() {
        return HealthChecks.readiness(source.view());
    }
}
