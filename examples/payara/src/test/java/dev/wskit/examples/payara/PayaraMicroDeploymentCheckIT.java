package dev.wskit.examples.payara;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatClient;
import dev.wskit.examples.testkit.PayaraMicroServer;
import dev.wskit.examples.testkit.RedisProcess;
import dev.wskit.examples.testkit.Wait;

/**
 * A deployment that cannot work fails at deployment, on a real Payara Micro: the minimal application with the
 * library's jar repackaged without its {@code META-INF/beans.xml} and without its two classes with a bean-defining
 * annotation (the health checks, which would make it an implicit bean archive; measured: so does a {@code beans.xml}
 * of discovery mode {@code none}, Payara starts CDI whenever one is there), which leaves the WAR without any bean
 * archive, so
 * that Payara starts no CDI container for it (what every deployment of the minimal application met before the jar
 * became a bean archive: deployed "successfully", then every session closed with 1011 at its first connection).
 * The library's initializer must refuse the deployment with one SEVERE line that names the cause and the fix.
 */
class PayaraMicroDeploymentCheckIT {

    private static final String LIBRARY_JAR = "WEB-INF/lib/wskit-redis-pubsub-";
    /** The library's classes with a bean-defining annotation ({@code @ApplicationScoped}). */
    private static final List<String> BEAN_CLASSES = List.of(
            "dev/wskit/redis/internal/cdi/health/ReadinessCheck.class",
            "dev/wskit/redis/internal/cdi/health/LivenessCheck.class");

    @Test
    void anApplicationWithoutCdiFailsAtDeploymentWithTheCauseAndTheFix() throws IOException {
        Path work = Path.of(System.getProperty("wskit.examples.work", "target/servers")).toAbsolutePath();
        Path minimal = Path.of(System.getProperty("wskit.examples.minimal.war", "../minimal/target/wskit-minimal.war"));
        Files.createDirectories(work);
        Path war = work.resolve("wskit-nocdi.war");
        withoutBeansXmlInTheLibrary(minimal, war);

        try (RedisProcess redis = RedisProcess.start(work.resolve("redis-nocdi"));
                AppServer payara = new PayaraMicroServer("payara-nocdi", work, war).redis(redis.url())) {
            payara.start();
            // Payara Micro goes on running after a failed deployment, and says that it is ready
            Wait.until(payara + " loading the application", AppServer.DEFAULT_BOOT_TIMEOUT,
                    () -> payara.logContains("Exception while loading the app") || payara.logContains(" ready in "));

            List<String> severe = Files.readAllLines(payara.log(), StandardCharsets.ISO_8859_1).stream()
                    .filter(line -> line.contains("SEVERE") && line.contains("dev.wskit.redis.websocket")
                            && line.contains("cannot deploy dev.wskit.examples.minimal.ChatEndpoint"))
                    .toList();
            assertThat(severe).as("the library's SEVERE line at deployment (%s)", payara.log()).hasSize(1);
            assertThat(payara.logContains("no CDI container is reachable (Unable to access CDI)"))
                    .as("the cause (%s)", payara.log()).isTrue();
            assertThat(payara.logContains("add a WEB-INF/beans.xml with bean-discovery-mode=\"annotated\""))
                    .as("the fix (%s)", payara.log()).isTrue();
            assertThat(payara.logContains("Exception while loading the app"))
                    .as("Payara failed the deployment (%s)", payara.log()).isTrue();
            // the WAR is deployed at the example's context root: the application is not there
            assertThatThrownBy(() -> ChatClient.connect("nocdi", payara.chat("lobby")))
                    .as("the endpoint of the failed application").hasMessageContaining("cannot connect");
            assertThat(payara.logContains("server not ready"))
                    .as("no session was opened and closed with 1011 (%s)", payara.log()).isFalse();
        }
    }

    /**
     * Copy a WAR, taking META-INF/beans.xml and the classes with a bean-defining annotation out of the library's jar in
     * WEB-INF/lib.
     */
    private static void withoutBeansXmlInTheLibrary(Path from, Path to) throws IOException {
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().startsWith(LIBRARY_JAR) && e.getName().endsWith(".jar")) {
                    found |= copyJarWithoutBeansXml(in, out);
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        assertThat(found).as("%s holds the library's jar with a META-INF/beans.xml", from).isTrue();
    }

    private static boolean copyJarWithoutBeansXml(InputStream jar, OutputStream target) throws IOException {
        boolean removed = false;
        ZipInputStream in = new ZipInputStream(jar);
        ZipOutputStream out = new ZipOutputStream(target);
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            if (e.getName().equals("META-INF/beans.xml")) {
                removed = true;
                continue;
            }
            if (BEAN_CLASSES.contains(e.getName())) {
                continue;
            }
            out.putNextEntry(new ZipEntry(e.getName()));
            in.transferTo(out);
            out.closeEntry();
        }
        // finish, not close: the streams belong to the WAR being copied
        out.finish();
        return removed;
    }
}
