package dev.wskit.redis.internal.support;

import dev.wskit.redis.RedisPubSubOptions;

/**
 * The internals' only way to the passwords of {@link RedisPubSubOptions}, which have no public accessor for them.
 *
 * <p>{@link RedisPubSubOptions} installs its {@link Reader} when its class is initialised, so it is in place before
 * any options exist; {@link #install(Reader)} accepts nothing from any other class. The reading methods are
 * package-private: only the code that opens connections ({@link ClientConfigs}) reads a password.
 *
 * <p>Not API; public only because {@link RedisPubSubOptions} lives in another package.
 */
public final class OptionsSecrets {

    /** Reads the passwords of options; implemented by {@link RedisPubSubOptions} alone. */
    public interface Reader {

        /**
         * Return the password of the data nodes.
         *
         * @param options the options; must not be {@code null}
         * @return the password; {@code null} if none
         */
        public String password(RedisPubSubOptions options);

        /**
         * Return the password of the sentinels.
         *
         * @param options the options; must not be {@code null}
         * @return the password; {@code null} if none
         */
        public String sentinelPassword(RedisPubSubOptions options);
    }

    private static volatile Reader reader;

    private OptionsSecrets() {
    }

    /**
     * Install the reader; called once, by {@link RedisPubSubOptions}'s class initialiser.
     *
     * @param r the reader; must not be {@code null}
     * @throws IllegalStateException if the caller is not {@link RedisPubSubOptions}, or a reader is installed
     */
    public static synchronized void install(Reader r) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != RedisPubSubOptions.class || reader != null || r == null) {
            throw new IllegalStateException("the secrets reader is installed by RedisPubSubOptions, once");
        }
        reader = r;
    }

    /** The password of the data nodes; {@code null} if none. */
    public static String password(RedisPubSubOptions options) {
        return reader.password(options);
    }

    /** The password of the sentinels; {@code null} if none. */
    public static String sentinelPassword(RedisPubSubOptions options) {
        return reader.sentinelPassword(options);
    }
}
