package dev.wskit.examples.cluster;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.OpenLibertyServer;
import dev.wskit.examples.testkit.PayaraMicroServer;
import dev.wskit.examples.testkit.RedisProcess;
import dev.wskit.examples.testkit.WildFlyServer;

/**
 * One WildFly, one Payara Micro and one Open Liberty instance, each running its example WAR, on one Redis: started
 * once per test JVM for every test class that asks for it (a JUnit parameter), stopped by PID when the JVM's tests
 * are done, also when they failed.
 */
public final class MixedCluster implements AutoCloseable {

    /** The Redis. */
    public final RedisProcess redis;
    /** The WildFly instance. */
    public final AppServer wildfly;
    /** The Payara Micro instance. */
    public final AppServer payara;
    /** The Open Liberty instance. */
    public final AppServer liberty;

    private MixedCluster() {
        Path work = Path.of(System.getProperty("wskit.examples.work", "target/servers")).toAbsolutePath();
        // Redis starts only after the three servers deployed the application: an unreachable Redis must not fail a
        // deployment; the instances connect in the background when it comes (the reconnect delay is capped at 1 s
        // here, through a MicroProfile Config key spelled as an environment variable, on all three servers)
        redis = RedisProcess.notStarted(work.resolve("redis"));
        wildfly = configure(new WildFlyServer("wildfly", work, war("wildfly")));
        payara = configure(new PayaraMicroServer("payara", work, war("payara")));
        liberty = configure(new OpenLibertyServer("openliberty", work, war("openliberty"),
                Path.of(System.getProperty("wskit.examples.liberty.server-xml"))));
        AppServer.startAll(wildfly, payara, liberty);
        redis.restart();
    }

    private AppServer configure(AppServer server) {
        return server.redis(redis.url()).env("WSKIT_REDIS_RECONNECT_MAX_DELAY_MS", "1000");
    }

    private static Path war(String example) {
        String property = "wskit.examples." + example + ".war";
        String value = System.getProperty(property);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("-D" + property + " is not set: run through Maven");
        }
        return Path.of(value);
    }

    /** Return the three instances. */
    public List<AppServer> servers() {
        return List.of(wildfly, payara, liberty);
    }

    @Override
    public void close() {
        try {
            for (AppServer s : servers()) {
                s.close();
            }
        } finally {
            redis.close();
        }
    }

    /** Resolves a {@link MixedCluster} parameter, starting the cluster at the first request. */
    public static final class Resolver implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(MixedCluster.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == MixedCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // the root store is closed (AutoCloseable) when every test class of the JVM ran
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(MixedCluster.class, k -> new MixedCluster(), MixedCluster.class);
        }
    }
}
