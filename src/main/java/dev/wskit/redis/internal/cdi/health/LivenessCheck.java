package dev.wskit.redis.internal.cdi.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** The liveness check, always UP; see {@link HealthChecks} and {@link ReadinessCheck} for how it becomes a bean. */
@ApplicationScoped
@Liveness
public class LivenessCheck implements HealthCheck {

    @Inject
    HealthSource source;

    @Override
    public HealthCheckResponse call() {
        return HealthChecks.liveness(source.view());
    }
}
