package dev.wskit.examples.openliberty;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.OpenLibertyServer;
import dev.wskit.examples.testkit.OperabilityScenarios;

/**
 * Health and metrics on Open Liberty: {@code server-observability.xml}, the example's {@code server.xml} plus the
 * features {@code mpHealth-4.0} and {@code mpTelemetry-2.0} and third-party API visibility for the application (the
 * OpenTelemetry API); readiness on the HTTP port, OpenTelemetry metrics pushed by OTLP.
 */
class OpenLibertyOperabilityIT extends OperabilityScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new OpenLibertyServer(name, work, war, Path.of(System.getProperty(
                "wskit.examples.liberty.observability-server-xml",
                "src/main/liberty/config/server-observability.xml")));
    }

    @Override
    protected String serverName() {
        return "openliberty";
    }
}
