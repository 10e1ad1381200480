package dev.wskit.redis.cdi.threadfactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.wskit.redis.cdi.RedisPubSubClient;

/** The application's thread factory, recording the threads it made. */
@ApplicationScoped
public class Threads {

    private final List<Thread> made = new CopyOnWriteArrayList<>();

    @Produces
    @RedisPubSubClient
    ThreadFactory threadFactory() {
        return task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };
    }

    public List<Thread> made() {
        return made;
    }
}
