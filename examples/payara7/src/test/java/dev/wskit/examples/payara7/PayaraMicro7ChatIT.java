package dev.wskit.examples.payara7;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatScenarios;
import dev.wskit.examples.testkit.PayaraMicroServer;

/**
 * The chat scenarios with the Payara example's WAR on two Payara Micro 7 instances running on Java 25 (Payara 7 needs
 * Java 21 or later; the library and the WAR are Java 17 bytecode).
 */
class PayaraMicro7ChatIT extends ChatScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new PayaraMicroServer(name, work, war)
                .javaHome(Path.of(System.getProperty("wskit.examples.java-home", "/usr/lib/jvm/temurin-25-jdk-amd64")));
    }

    @Override
    protected String serverName() {
        return "payara7";
    }

    /** As on Payara 6: Grizzly drops the connection instead of writing the close frame behind the queued data. */
    @Override
    protected boolean overflowSendsCloseFrame() {
        return false;
    }

    /** Payara Micro always offers MicroProfile Health and the OpenTelemetry API (its MicroProfile Telemetry). */
    @Override
    protected boolean offersHealthAndMetricsApis() {
        return true;
    }
}
