package dev.wskit.examples.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Payara Micro instance: {@code java -jar payara-micro.jar --deploy app.war --port P --nocluster --rootdir DIR}.
 * Without {@code --nocluster} two instances on one machine would find each other by multicast and form a Hazelcast
 * cluster, which the example does not need: Redis connects them.
 */
public final class PayaraMicroServer extends AppServer {

    private final Path jar;

    /**
     * Describe an instance.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the WAR
     */
    public PayaraMicroServer(String name, Path work, Path war) {
        this(name, work, war, Distributions.payaraMicro());
    }

    /**
     * Describe an instance of a given Payara Micro jar.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the WAR
     * @param jar the Payara Micro jar
     */
    public PayaraMicroServer(String name, Path work, Path war, Path jar) {
        super(name, work, war);
        this.jar = jar;
    }

    @Override
    public String kind() {
        return "Payara Micro " + jar.getFileName().toString().replaceAll("^payara-micro-|\\.jar$", "");
    }

    @Override
    protected List<String> prepare() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx512m", "-jar",
                jar.toString(), "--deploy", war.toString(), "--contextroot", CONTEXT_ROOT));
        for (Path other : moreWars) {
            // --contextroot applies to the first --deploy only; the others get their file name
            command.addAll(List.of("--deploy", other.toString()));
        }
        command.addAll(List.of("--port", Integer.toString(httpPort), "--nocluster",
                "--rootdir", dir.resolve("root").toString()));
        return command;
    }

    /**
     * Start from an empty {@code --rootdir}, as the first time. Payara Micro keeps the applications of a root directory:
     * restarted on the one of its last run, it first loads the WAR it deployed then (the page answers 200), and only
     * afterwards deploys the {@code --deploy} WAR, undeploying the first copy, which closes the sessions opened in
     * between with 1001 and the Redis connections of its {@code RedisPubSub} bean (measured on 6.2025.10).
     */
    @Override
    protected void beforeRestart() throws IOException {
        Distributions.deleteRecursively(dir.resolve("root"));
    }

    @Override
    protected List<String> failureMarkers() {
        return List.of("Exception while loading the app", "Deployment failed", "Failed to deploy");
    }

    /**
     * Payara Micro's own boot sometimes fails under load before deploying anything: an HK2
     * {@code ConcurrentModificationException} among its run-level services, then "Server failed to start" (seen
     * on a restart on 2 busy cores; the process then stays up answering 500).
     */
    @Override
    protected List<String> bootFailureMarkers() {
        return List.of("GlassFishException: Server failed to start");
    }
}
