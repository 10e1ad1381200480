package dev.wskit.redis.testing;

import java.net.URI;
import java.net.URISyntaxException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * JUnit 5 extension that resolves {@link RedisTarget} parameters to one Redis shared by the whole test run.
 *
 * <p>Where the Redis comes from, first match wins:
 * <ol>
 *   <li>{@value #REDIS_URL} (system property, then environment variable), form {@code redis://host:port};</li>
 *   <li>a {@link RedisServer} started from {@link RedisServerBinary#locate()} ({@code redis-server} on the PATH, else
 *       the binary in the embedded-redis jar);</li>
 *   <li>a Testcontainers {@code redis:7} container, if a Docker engine answers.</li>
 * </ol>
 * Otherwise every test that asks for a {@link RedisTarget} fails, saying what to install. One line on stdout says
 * which source is used. The server or container lives in the root {@link ExtensionContext.Store} and stops when the
 * test run ends. Tests must not kill, pause or reconfigure this shared Redis; use their own {@link RedisServer}.
 */
public final class RedisExtension implements ParameterResolver {

    /** Name of the system property and environment variable with the URL of an existing Redis. */
    public static final String REDIS_URL = "REDIS_URL";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return target(extensionContext);
    }

    /**
     * Returns the shared Redis, starting it on first use.
     *
     * @param context any extension context of the run, must not be {@code null}
     * @return the target, never {@code null}
     * @throws ParameterResolutionException if no Redis is available, saying what to install
     */
    public static RedisTarget target(ExtensionContext context) {
        SharedRedis shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedRedis.class, key -> SharedRedis.create(), SharedRedis.class);
        if (shared.failure != null) {
            throw new ParameterResolutionException(shared.failure);
        }
        return shared.target;
    }

    private static String configuredUrl() {
        String url = System.getProperty(REDIS_URL);
        if (url == null || url.isBlank()) {
            url = System.getenv(REDIS_URL);
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    static RedisTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(REDIS_URL + " is not a URL, was " + url, e);
        }
        if (!"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException(REDIS_URL + " must look like redis://host:port (no credentials, no"
                    + " TLS), was " + url);
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        return new RedisTarget("redis://" + uri.getHost() + ":" + port, uri.getHost(), port);
    }

    /** The shared Redis (or why there is none); closed by JUnit at the end of the run. */
    @SuppressWarnings("deprecation") // CloseableResource for JUnit before 5.13, AutoCloseable for later ones
    private static final class SharedRedis implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        final RedisTarget target;
        final String failure;
        private Runnable resource;

        private SharedRedis(RedisTarget target, Runnable resource, String failure) {
            this.target = target;
            this.resource = resource;
            this.failure = failure;
        }

        static SharedRedis create() {
            String url = configuredUrl();
            if (url != null) {
                RedisTarget target;
                try {
                    target = parse(url);
                } catch (IllegalArgumentException e) {
                    return new SharedRedis(null, null, e.getMessage());
                }
                System.out.println("[RedisExtension] using the Redis at " + REDIS_URL + "=" + target.url());
                return new SharedRedis(target, null, null);
            }
            String serverProblem;
            try {
                RedisServer server = RedisServer.start();
                System.out.println("[RedisExtension] using a " + server.binary() + " on " + server.url());
                return new SharedRedis(new RedisTarget(server.url(), server.host(), server.port()), server::close,
                        null);
            } catch (RuntimeException e) {
                serverProblem = e.getMessage();
            }
            String dockerProblem;
            try {
                if (Docker.isAvailable()) {
                    return Docker.start();
                }
                dockerProblem = "no Docker engine";
            } catch (RuntimeException | LinkageError e) {
                dockerProblem = e.toString();
            }
            return new SharedRedis(null, null, "No Redis available for the tests: set REDIS_URL, install"
                    + " redis-server (apt-get install redis-server) or start a Docker engine. (redis-server: "
                    + serverProblem + "; Docker: " + dockerProblem + ")");
        }

        @Override
        public synchronized void close() {
            Runnable current = resource;
            resource = null;
            if (current != null) {
                current.run();
            }
        }
    }

    /** Testcontainers access, in its own class so the rest works without Testcontainers on the class path. */
    private static final class Docker {

        static boolean isAvailable() {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                return false;
            }
        }

        static SharedRedis start() {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
                    .withExposedPorts(6379);
            container.start();
            String host = container.getHost();
            int port = container.getMappedPort(6379);
            RedisTarget target = new RedisTarget("redis://" + host + ":" + port, host, port);
            System.out.println("[RedisExtension] using a Testcontainers redis:7 container on " + target.url());
            return new SharedRedis(target, container::stop, null);
        }
    }
}
