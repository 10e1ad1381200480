package dev.wskit.redis.internal.websocket.deploy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A MicroProfile Config with exactly the given properties, registered for a class loader of its own, so that a test
 * neither sees nor changes the configuration of any other test.
 */
final class IsolatedConfig implements AutoCloseable {

    final ClassLoader loader = new URLClassLoader(new URL[0], IsolatedConfig.class.getClassLoader());
    private final Config config;

    IsolatedConfig(Map<String, String> properties) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        config = resolver.getBuilder().withSources(new ConfigSource() {
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
                return "test";
            }
        }).build();
        resolver.registerConfig(config, loader);
    }

    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
