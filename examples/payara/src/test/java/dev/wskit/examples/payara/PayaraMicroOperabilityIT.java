package dev.wskit.examples.payara;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.OperabilityScenarios;
import dev.wskit.examples.testkit.PayaraMicroServer;

/**
 * Health and metrics on Payara Micro 6: MicroProfile Health is always on ({@code :8080/health/ready}); OpenTelemetry
 * metrics (its MicroProfile Telemetry, SDK switched on with {@code OTEL_SDK_DISABLED=false}) pushed by OTLP.
 */
class PayaraMicroOperabilityIT extends OperabilityScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new PayaraMicroServer(name, work, war);
    }

    @Override
    protected String serverName() {
        return "payara";
    }
}
