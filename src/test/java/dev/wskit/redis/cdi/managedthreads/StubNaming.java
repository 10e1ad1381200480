package dev.wskit.redis.cdi.managedthreads;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

import jakarta.enterprise.concurrent.ManagedThreadFactory;

/**
 * A JNDI provider standing in for an application server's: it binds a {@link ManagedThreadFactory} at
 * {@code java:comp/DefaultManagedThreadFactory} and nothing else. Selected with the standard
 * {@code java.naming.factory.initial} system property.
 */
public final class StubNaming implements InitialContextFactory {

    /** The threads the stub factory made. */
    static final List<Thread> MADE = new CopyOnWriteArrayList<>();

    /** The names looked up. */
    static final List<String> LOOKED_UP = new CopyOnWriteArrayList<>();

    static final ManagedThreadFactory FACTORY = new ManagedThreadFactory() {
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "stub-managed");
            thread.setDaemon(true);
            MADE.add(thread);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            throw new UnsupportedOperationException("not used by the library");
        }
    };

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(StubNaming.class.getClassLoader(),
                new Class<?>[] {Context.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "lookup" -> {
                            String name = String.valueOf(args[0]);
                            LOOKED_UP.add(name);
                            if (name.equals("java:comp/DefaultManagedThreadFactory")) {
                                return FACTORY;
                            }
                            throw new NameNotFoundException(name);
                        }
                        case "close" -> {
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
