package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A WildFly instance: the distribution unpacked once and shared, each instance with its own copy of
 * {@code standalone/} as {@code jboss.server.base.dir}, its own ports, the WARs in its {@code deployments/} directory
 * and the distribution's {@code standalone.xml} (or another of its configurations, see {@link #config}) unchanged.
 */
public final class WildFlyServer extends AppServer {

    private final Path home;
    private final int managementPort = Ports.free();
    private String config = "standalone.xml";

    /**
     * Describe an instance.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the WAR
     */
    public WildFlyServer(String name, Path work, Path war) {
        super(name, work, war);
        this.home = Distributions.wildfly();
    }

    /**
     * Run with another of the distribution's configurations, such as {@code standalone-microprofile.xml}
     * (MicroProfile Health, Telemetry, and the rest of MicroProfile). Call before {@link #start()}.
     *
     * @param file the file name in {@code standalone/configuration}
     * @return this
     */
    public WildFlyServer config(String file) {
        this.config = file;
        return this;
    }

    @Override
    public String kind() {
        return "WildFly (" + config + ")";
    }

    /** WildFly answers health checks on its management interface, not on the HTTP port. */
    @Override
    public URI readiness() {
        return URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    }

    @Override
    protected List<String> prepare() throws IOException {
        Path base = dir.resolve("standalone");
        Distributions.copyRecursively(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Files.copy(war, base.resolve("deployments/" + CONTEXT_ROOT + ".war"));
        for (Path other : moreWars) {
            Files.copy(other, base.resolve("deployments/" + other.getFileName()));
        }
        // the script forwards SIGTERM to the JVM it started in the background
        environment.put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        return List.of("/bin/bash", home.resolve("bin/standalone.sh").toString(),
                "-c", config,
                "-Djboss.server.base.dir=" + base,
                "-Djboss.http.port=" + httpPort,
                "-Djboss.https.port=" + Ports.free(),
                "-Djboss.management.http.port=" + managementPort,
                "-Djboss.management.https.port=" + Ports.free(),
                "-Djboss.bind.address=127.0.0.1");
    }

    @Override
    public boolean supportsRedeploy() {
        return true;
    }

    /** Remove the WAR from {@code deployments/}: the deployment scanner (every 5 s) undeploys it. */
    @Override
    public void undeploy() {
        try {
            Files.delete(deployed());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPage(-1, Duration.ofSeconds(60));
    }

    /** Put the WAR back: the deployment scanner deploys it. */
    @Override
    public void redeploy() {
        try {
            Files.copy(war, deployed());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPage(200, Duration.ofSeconds(60));
    }

    private Path deployed() {
        return dir.resolve("standalone/deployments/" + CONTEXT_ROOT + ".war");
    }

    @Override
    protected List<String> failureMarkers() {
        // WFLYSRV0026: started with errors; WFLYCTL0186: services that failed; WFLYSRV0021: deployment rolled back
        return List.of("WFLYSRV0026", "WFLYCTL0186", "WFLYSRV0021");
    }
}
