package dev.wskit.redis.testing;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The MicroProfile Config of one test: exactly the given properties (no system properties, no environment, no
 * {@code microprofile-config.properties}), registered until {@link #close()} either for the thread's context class
 * loader ({@link #of}) or for a class loader of its own ({@link #isolated}); or not registered at all
 * ({@link #config}).
 *
 * <p>Registering for the context class loader replaces whatever config it had, so nothing leaks between tests in
 * either direction. Only the MicroProfile Config API is used; the implementation on the test class path is SmallRye
 * Config.
 */
public final class TestConfig implements AutoCloseable {

    private final Config config;
    private final ClassLoader loader;

    private TestConfig(Map<String, String> properties, ClassLoader loader, boolean replace) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        this.loader = loader;
        if (replace) {
            // getConfig() creates one if none is registered; releasing it leaves room for ours
            resolver.releaseConfig(resolver.getConfig(loader));
        }
        this.config = config(properties);
        resolver.registerConfig(config, loader);
    }

    /**
     * A config with exactly these properties, not registered anywhere.
     *
     * @param properties the properties; copied
     * @return the config
     */
    public static Config config(Map<String, String> properties) {
        return ConfigProviderResolver.instance().getBuilder().withSources(new MapSource(Map.copyOf(properties)))
                .build();
    }

    /**
     * Register a config with alternating keys and values for the thread's context class loader.
     *
     * @param keysAndValues {@code key1, value1, key2, value2, ...}
     * @return the registered config; close it after the test
     */
    public static TestConfig of(String... keysAndValues) {
        return of(properties(keysAndValues));
    }

    /**
     * Register a config with the given properties for the thread's context class loader.
     *
     * @param properties the properties
     * @return the registered config; close it after the test
     */
    public static TestConfig of(Map<String, String> properties) {
        return new TestConfig(properties, Thread.currentThread().getContextClassLoader(), true);
    }

    /**
     * Register a config with the given properties for a new class loader of its own ({@link #loader()}), so that
     * the test neither sees nor changes the configuration of any other test.
     *
     * @param properties the properties
     * @return the registered config; close it after the test
     */
    public static TestConfig isolated(Map<String, String> properties) {
        return new TestConfig(properties, new URLClassLoader(new URL[0], TestConfig.class.getClassLoader()), false);
    }

    /**
     * Turn {@code key1, value1, key2, value2, ...} into a map, in order.
     *
     * @throws IllegalArgumentException if the strings do not come in pairs
     */
    public static Map<String, String> properties(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs, was " + keysAndValues.length
                    + " strings");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    /** The class loader the config is registered for. */
    public ClassLoader loader() {
        return loader;
    }

    /** Release the config, so that the next test starts from nothing. */
    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }

    private record MapSource(Map<String, String> properties) implements ConfigSource {

        @Override
        public Map<String, String> getProperties() {
            return properties;
        }

        @Override
        public Set<String> getPropertyNames() {
            return properties.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            return properties.get(propertyName);
        }

        @Override
        public String getName() {
            return "TestConfig";
        }

        @Override
        public int getOrdinal() {
            return 1000;
        }
    }
}
