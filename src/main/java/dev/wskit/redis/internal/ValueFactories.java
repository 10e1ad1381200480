package dev.wskit.redis.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Creates the library's public value types (stats, events). Their constructors are not public, so that they can
 * gain components without breaking callers; each hands the library a factory when its class is initialised
 * ({@link #install}), and the library creates instances through {@link #create}, which initialises the class first.
 * The factory takes one internal carrier of the values (a record), so that adding a component changes only the
 * library's code.
 *
 * <p>Not API; public for the library's other packages.
 */
public final class ValueFactories {

    private static final ConcurrentMap<Class<?>, Function<Object, Object>> FACTORIES = new ConcurrentHashMap<>();

    private ValueFactories() {
    }

    /**
     * Install the factory of a public type; called once, by the type's class initialiser.
     *
     * @param type the public type
     * @param valuesType the carrier of the values the factory takes
     * @param factory creates an instance from the values
     * @param <T> the public type
     * @param <V> the carrier
     * @throws IllegalStateException if a factory of the type is installed
     */
    public static <T, V> void install(Class<T> type, Class<V> valuesType, Function<V, T> factory) {
        if (FACTORIES.putIfAbsent(type, values -> factory.apply(valuesType.cast(values))) != null) {
            throw new IllegalStateException("the factory of " + type.getName() + " is installed by that class, once");
        }
    }

    /**
     * Create an instance of a public type.
     *
     * @param type the public type
     * @param values the carrier of its values, of the type its factory takes
     * @param <T> the public type
     * @return the instance; never {@code null}
     */
    public static <T> T create(Class<T> type, Object values) {
        Function<Object, Object> factory = FACTORIES.get(type);
        if (factory == null) {
            try {
                // its class initialiser installs the factory
                Class.forName(type.getName(), true, type.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            factory = FACTORIES.get(type);
            if (factory == null) {
                throw new IllegalStateException(type.getName() + " installed no factory");
            }
        }
        return type.cast(factory.apply(values));
    }
}
