package dev.wskit.redis.internal.websocket.deploy;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Looks keys up in MicroProfile Config. The only class of the WebSocket layer that touches the MicroProfile Config
 * API, so that the rest runs where it is absent (a plain servlet container, a standalone Tyrus).
 */
final class MicroProfileConfigLookup {

    private MicroProfileConfigLookup() {
    }

    /**
     * Return a lookup into the application's configuration, or {@code null} if MicroProfile Config is absent.
     *
     * @param loader the application's class loader; can be {@code null} (the thread context class loader)
     * @return the lookup, or {@code null}
     */
    static Function<String, Optional<String>> create(ClassLoader loader) {
        if (!isApiPresent()) {
            return null;
        }
        return Holder.lookup(loader);
    }

    private static boolean isApiPresent() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    MicroProfileConfigLookup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when the API is present. */
    private static final class Holder {

        static Function<String, Optional<String>> lookup(ClassLoader loader) {
            Config config;
            try {
                config = loader == null ? ConfigProvider.getConfig() : ConfigProvider.getConfig(loader);
            } catch (IllegalStateException | ServiceConfigurationError e) {
                // the API without an implementation
                return null;
            }
            return key -> config.getOptionalValue(key, String.class);
        }
    }
}
