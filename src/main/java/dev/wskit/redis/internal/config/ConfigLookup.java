package dev.wskit.redis.internal.config;

import java.util.Optional;

/** Where configuration values come from: MicroProfile Config ({@link MicroProfileConfig}), or a map in tests. */
@FunctionalInterface
public interface ConfigLookup {

    /**
     * Return the value of a key.
     *
     * @param key the key; never {@code null}
     * @return the value, as configured; empty if the key is not set
     */
    Optional<String> value(String key);
}
