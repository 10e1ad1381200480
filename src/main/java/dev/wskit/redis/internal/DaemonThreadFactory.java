package dev.wskit.redis.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named after the client, for use outside a container. */
final class DaemonThreadFactory implements ThreadFactory {

    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    DaemonThreadFactory(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
