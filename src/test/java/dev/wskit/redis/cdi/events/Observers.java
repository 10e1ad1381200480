package dev.wskit.redis.cdi.events;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.cdi.RedisDisconnected;
import dev.wskit.redis.cdi.RedisError;

/** Records every lifecycle event in order; one observer throws to prove it cannot hurt the library. */
@ApplicationScoped
public class Observers {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    void onConnected(@Observes RedisConnected event) {
        events.add(event);
    }

    void onDisconnected(@Observes RedisDisconnected event) {
        events.add(event);
    }

    void onError(@Observes RedisError event) {
        events.add(event);
    }

    // after the recorder: an observer that throws ends the notification of a synchronous event
    void failing(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) RedisDisconnected event) {
        throw new IllegalStateException("an observer that throws");
    }

    public BlockingQueue<Object> events() {
        return events;
    }
}
