package dev.wskit.examples.wildfly;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.OperabilityScenarios;
import dev.wskit.examples.testkit.WildFlyServer;

/**
 * Health and metrics on WildFly: the distribution's {@code standalone-microprofile.xml} (subsystems
 * {@code microprofile-health-smallrye}, {@code microprofile-telemetry}, {@code opentelemetry}), readiness on the
 * management interface ({@code :9990/health/ready}), OpenTelemetry metrics pushed by OTLP.
 */
class WildFlyOperabilityIT extends OperabilityScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new WildFlyServer(name, work, war).config("standalone-microprofile.xml");
    }

    @Override
    protected String serverName() {
        return "wildfly";
    }
}
