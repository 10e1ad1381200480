package dev.wskit.redis.internal.websocket.deploy;

import dev.wskit.redis.RedisPubSub;

/**
 * Where the endpoints of a registration get their {@link RedisPubSub}: an instance given at registration, or the CDI
 * bean, looked up at the first connection (the bean is created by the CDI extension at application start).
 */
public abstract sealed class PubSubSource {

    private PubSubSource() {
    }

    /**
     * The instance given at registration.
     *
     * @param pubsub the instance; must not be {@code null}
     * @return the source; never {@code null}
     * @throws IllegalArgumentException if {@code pubsub} is {@code null}
     */
    public static PubSubSource given(RedisPubSub pubsub) {
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null");
        }
        return new Given(pubsub);
    }

    /**
     * The CDI bean, looked up at the first connection.
     *
     * @return the source; never {@code null}
     */
    public static PubSubSource cdiBean() {
        return CdiBean.INSTANCE;
    }

    /**
     * Return the instance.
     *
     * @param type the endpoint class, for the message; must not be {@code null}
     * @return the instance; never {@code null}
     * @throws IllegalStateException if no {@code RedisPubSub} is available; the message says how to provide one
     */
    abstract RedisPubSub resolve(Class<?> type);

    private static final class Given extends PubSubSource {

        private final RedisPubSub pubsub;

        Given(RedisPubSub pubsub) {
            this.pubsub = pubsub;
        }

        @Override
        RedisPubSub resolve(Class<?> type) {
            return pubsub;
        }
    }

    private static final class CdiBean extends PubSubSource {

        static final CdiBean INSTANCE = new CdiBean();

        @Override
        RedisPubSub resolve(Class<?> type) {
            String hint = "; deploy the library with CDI and MicroProfile Config (wskit.redis.url) so that it provides"
                    + " the RedisPubSub bean, or register the endpoint with RedisPubSubEndpoints.config(type, pubsub)";
            if (!CdiSupport.isApiPresent()) {
                throw new IllegalStateException("no RedisPubSub for " + type.getName() + ": the CDI API is absent"
                        + hint);
            }
            try {
                return CdiSupport.redisPubSub();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("no RedisPubSub for " + type.getName() + ": " + e.getMessage() + hint,
                        e);
            }
        }
    }
}
