package dev.wskit.examples.payara7;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.OperabilityScenarios;
import dev.wskit.examples.testkit.PayaraMicroServer;

/**
 * Health and metrics on Payara Micro 7 (Java 25): MicroProfile Health always on, OpenTelemetry metrics (MicroProfile
 * Telemetry 2) pushed by OTLP once {@code OTEL_SDK_DISABLED=false}.
 */
class PayaraMicro7OperabilityIT extends OperabilityScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new PayaraMicroServer(name, work, war)
                .javaHome(Path.of(System.getProperty("wskit.examples.java-home", "/usr/lib/jvm/temurin-25-jdk-amd64")));
    }

    @Override
    protected String serverName() {
        return "payara7";
    }
}
