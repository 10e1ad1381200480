package dev.wskit.redis.internal.config;

import java.util.Optional;
import java.util.ServiceConfigurationError;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The only class of the library that touches the MicroProfile Config API. It uses nothing but that API, so any
 * implementation works, and the API is optional: {@link #find(ClassLoader)} checks that it is present before it
 * loads any of its classes (they are named only in the nested {@link Api}, loaded on first use, and in no signature
 * of this class, so that even reflection on it works without them), so that the WebSocket layer runs where it is
 * absent (a plain servlet container, a standalone Tyrus).
 */
public final class MicroProfileConfig {

    private MicroProfileConfig() {
    }

    /**
     * Return the configuration of the thread's context class loader; the CDI layer, which needs it.
     *
     * @return the lookup; never {@code null}
     * @throws IllegalStateException if no MicroProfile Config implementation is available
     * @throws LinkageError if not even the MicroProfile Config API is on the class path
     */
    public static ConfigLookup current() {
        return Api.current();
    }

    /**
     * Return the configuration of an application, if MicroProfile Config is there.
     *
     * @param loader the application's class loader; can be {@code null} (the thread context class loader)
     * @return the lookup; empty if the MicroProfile Config API or an implementation of it is absent
     */
    public static Optional<ConfigLookup> find(ClassLoader loader) {
        if (!isApiPresent()) {
            return Optional.empty();
        }
        return Api.find(loader);
    }

    private static boolean isApiPresent() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    MicroProfileConfig.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** What names the API's classes: loaded only when the API is present. */
    public static final class Api {

        private Api() {
        }

        static ConfigLookup current() {
            return of(ConfigProvider.getConfig());
        }

        static Optional<ConfigLookup> find(ClassLoader loader) {
            Config config;
            try {
                config = loader == null ? ConfigProvider.getConfig() : ConfigProvider.getConfig(loader);
            } catch (IllegalStateException | ServiceConfigurationError e) {
                // the API without an implementation
                return Optional.empty();
            }
            return Optional.of(of(config));
        }

        /**
         * Return a lookup into a given MicroProfile Config.
         *
         * @param config the config; must not be {@code null}
         * @return the lookup; never {@code null}
         */
        public static ConfigLookup of(Config config) {
            // every value as a String, converted by ConfigValues: a value of the wrong type is reported with its
            // key like any other problem rather than as the implementation's conversion error
            return key -> config.getOptionalValue(key, String.class);
        }
    }
}
