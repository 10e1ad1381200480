package dev.wskit.redis.cdi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The MicroProfile Config of one test: exactly the given properties (no system properties, no environment, no
 * {@code microprofile-config.properties}), registered for the thread's context class loader until {@link #close()}.
 *
 * <p>Registering replaces whatever config the class loader had, so nothing leaks between tests in either direction.
 * Only the MicroProfile Config API is used; the implementation on the test class path is SmallRye Config.
 */
public final class TestConfig implements AutoCloseable {

    private final Config config;
    private final ClassLoader classLoader;

    private TestConfig(Map<String, String> properties) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        this.classLoader = Thread.currentThread().getContextClassLoader();
        // getConfig() creates one if none is registered; releasing it leaves room for ours
        resolver.releaseConfig(resolver.getConfig(classLoader));
        this.config = resolver.getBuilder().withSources(new MapSource(Map.copyOf(properties))).build();
        resolver.registerConfig(config, classLoader);
    }

    /**
     * Register a config with alternating keys and values.
     *
     * @param keysAndValues {@code key1, value1, key2, value2, ...}
     * @return the registered config; close it after the test
     */
    public static TestConfig of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs, was " + keysAndValues.length
                    + " strings");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new TestConfig(properties);
    }

    /**
     * Register a config with the given properties.
     *
     * @param properties the properties
     * @return the registered config; close it after the test
     */
    public static TestConfig of(Map<String, String> properties) {
        return new TestConfig(properties);
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
