package dev.wskit.redis.internal.cdi;

import java.util.Hashtable;
import java.util.concurrent.ThreadFactory;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.concurrent.ManagedThreadFactory;

/**
 * Looks up the container's default {@link ManagedThreadFactory} by JNDI.
 *
 * <p>JNDI rather than injection: {@code @Inject ManagedThreadFactory} works only on Jakarta EE 11, while the
 * look-up works on WildFly, Payara and Open Liberty (which needs its {@code jndi-1.0} feature). The Jakarta
 * Concurrency API is {@code provided}: this class is only loaded after {@link ManagedRedisPubSub} checked that the API
 * is on the class path, so the rest of the library runs without it (Weld SE, plain Java).
 */
final class ContainerThreadFactory {

    /** The JNDI name of the default managed thread factory, which every Jakarta EE server binds. */
    static final String JNDI_NAME = "java:comp/DefaultManagedThreadFactory";

    private ContainerThreadFactory() {
    }

    /**
     * Look up the default managed thread factory; only call when the Jakarta Concurrency API is present.
     *
     * @param environment the JNDI environment; {@code null} for the default one of the container
     * @return the factory; never {@code null}
     * @throws NamingException if there is no naming context or nothing is bound at {@link #JNDI_NAME}
     * @throws ClassCastException if what is bound there is not a {@link ManagedThreadFactory}
     */
    static ThreadFactory lookup(Hashtable<?, ?> environment) throws NamingException {
        Context context = new InitialContext(environment);
        try {
            Object bound = context.lookup(JNDI_NAME);
            if (bound instanceof ManagedThreadFactory factory) {
                return factory;
            }
            throw new ClassCastException(JNDI_NAME + " must be a " + ManagedThreadFactory.class.getName() + ", was "
                    + (bound == null ? "null" : bound.getClass().getName()));
        } finally {
            context.close();
        }
    }
}
