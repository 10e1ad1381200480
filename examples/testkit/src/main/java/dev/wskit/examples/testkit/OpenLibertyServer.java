package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An Open Liberty instance: the distribution unpacked once and shared; each instance has its own user directory
 * ({@code WLP_USER_DIR}) with one server whose {@code server.xml} is the example's, its ports in
 * {@code bootstrap.properties}, the WAR in {@code apps/} (further WARs in {@code dropins/}). Run with
 * {@code bin/server run}, which execs the JVM.
 */
public final class OpenLibertyServer extends AppServer {

    private final Path home;
    private final Path serverXml;

    /**
     * Describe an instance.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the WAR
     * @param serverXml the example's {@code server.xml}
     */
    public OpenLibertyServer(String name, Path work, Path war, Path serverXml) {
        super(name, work, war);
        this.home = Distributions.openLiberty();
        this.serverXml = serverXml;
        if (!Files.isRegularFile(serverXml)) {
            throw new IllegalStateException(serverXml + " does not exist");
        }
    }

    @Override
    public String kind() {
        return "Open Liberty";
    }

    @Override
    protected List<String> prepare() throws IOException {
        Path server = dir.resolve("usr/servers/chat");
        Files.createDirectories(server.resolve("apps"));
        Files.copy(serverXml, server.resolve("server.xml"));
        Files.copy(war, server.resolve("apps/" + CONTEXT_ROOT + ".war"));
        // dropins/: deployed without a server.xml entry, at the context root of the file name
        Files.createDirectories(server.resolve("dropins"));
        for (Path other : moreWars) {
            Files.copy(other, server.resolve("dropins/" + other.getFileName()));
        }
        Files.writeString(server.resolve("bootstrap.properties"), String.join(System.lineSeparator(),
                "http.host=127.0.0.1",
                "http.port=" + httpPort,
                "https.port=" + Ports.free(),
                ""));
        environment.put("WLP_USER_DIR", dir.resolve("usr").toString());
        environment.put("WLP_OUTPUT_DIR", dir.resolve("output").toString());
        environment.put("JVM_ARGS", "-Xmx512m -Dwskit.instance=" + dir);
        return List.of("/bin/bash", home.resolve("bin/server").toString(), "run", "chat");
    }

    @Override
    public boolean supportsRedeploy() {
        return true;
    }

    /** Take the {@code webApplication} out of {@code server.xml}: Liberty applies the change (it polls every 0.5 s). */
    @Override
    public void undeploy() {
        rewriteServerXml(false);
        awaitPage(-1, Duration.ofSeconds(60));
    }

    /** Put the {@code webApplication} back into {@code server.xml}. */
    @Override
    public void redeploy() {
        rewriteServerXml(true);
        awaitPage(200, Duration.ofSeconds(60));
    }

    private void rewriteServerXml(boolean withApplication) {
        try {
            String xml = Files.readString(serverXml);
            if (!withApplication) {
                xml = xml.replaceAll("<webApplication[^>]*/>", "");
            }
            Files.writeString(dir.resolve("usr/servers/chat/server.xml"), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Path> logs() {
        // INFO messages (the library's among them) go to messages.log only, not to the console
        return List.of(log(), dir.resolve("output/chat/logs/messages.log"));
    }

    @Override
    protected List<String> failureMarkers() {
        // CWWKZ0002E: an application failed to start; CWWKZ0004E: an exception occurred starting it;
        // CWWKH0002E: an annotated endpoint that Liberty rejects; CWWKF0001E/CWWKF0042E: a missing feature
        return List.of("CWWKZ0002E", "CWWKZ0004E", "CWWKZ0012E", "CWWKF0001E", "CWWKF0042E");
    }
}
