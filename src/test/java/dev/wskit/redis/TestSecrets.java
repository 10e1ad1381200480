package dev.wskit.redis;

/** Reads the passwords of options for tests in other packages; the options have no public accessor for them. */
public final class TestSecrets {

    private TestSecrets() {
    }

    /**
     * Return the password of the data nodes.
     *
     * @param options the options
     * @return the password; {@code null} if none
     */
    public static String password(RedisPubSubOptions options) {
        return RedisPubSubOptions.password(options);
    }

    /**
     * Return the password of the sentinels.
     *
     * @param options the options
     * @return the password; {@code null} if none
     */
    public static String sentinelPassword(RedisPubSubOptions options) {
        return RedisPubSubOptions.sentinelPassword(options);
    }
}
