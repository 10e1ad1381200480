package dev.wskit.redis.internal.websocket.deploy;

import java.lang.reflect.InvocationTargetException;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * Creates the application's endpoint instances, one per connection: through CDI when a CDI container is reachable
 * ({@code CDI.current()}), else by reflection with the public no-argument constructor.
 */
abstract class EndpointFactory {

    /** An endpoint instance and how to release it when its session closed. */
    record Created(RedisPubSubEndpoint endpoint, Runnable release) {
    }

    private static final Runnable NOTHING = () -> {
    };

    /** Creates instances with the public no-argument constructor; no injection. */
    static final EndpointFactory REFLECTION = new EndpointFactory() {
        @Override
        Created create(Class<? extends RedisPubSubEndpoint> type) throws InstantiationException {
            try {
                return new Created(type.getConstructor().newInstance(), NOTHING);
            } catch (NoSuchMethodException e) {
                throw instantiationException(type.getName() + " must have a public no-argument constructor", e);
            } catch (InvocationTargetException e) {
                throw instantiationException("the constructor of " + type.getName() + " threw " + e.getCause(),
                        e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw instantiationException("cannot create an instance of " + type.getName() + ": " + e, e);
            }
        }

        @Override
        String describe() {
            return "reflection (no CDI container)";
        }
    };

    /**
     * Create an instance.
     *
     * @param type the application's endpoint class
     * @return the instance and its release action
     * @throws InstantiationException if the instance cannot be created; the message says why
     */
    abstract Created create(Class<? extends RedisPubSubEndpoint> type) throws InstantiationException;

    /** Say how instances are created, for the log. */
    abstract String describe();

    /**
     * Return the CDI factory if a CDI container is reachable from this thread, else {@link #REFLECTION}.
     *
     * @return the factory; never {@code null}
     */
    static EndpointFactory detect() {
        if (CdiSupport.isApiPresent()) {
            EndpointFactory cdi = CdiSupport.endpointFactory();
            if (cdi != null) {
                return cdi;
            }
        }
        return REFLECTION;
    }

    static InstantiationException instantiationException(String message, Throwable cause) {
        InstantiationException e = new InstantiationException(message);
        e.initCause(cause);
        return e;
    }
}
