package dev.wskit.redis.cdi.unreachable;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.cdi.RedisError;

/** Records the error and connected events. */
@ApplicationScoped
public class Observers {

    private final BlockingQueue<RedisError> errors = new LinkedBlockingQueue<>();
    private final BlockingQueue<RedisConnected> connected = new LinkedBlockingQueue<>();

    void onError(@Observes RedisError event) {
        errors.add(event);
    }

    void onConnected(@Observes RedisConnected event) {
        connected.add(event);
    }

    public BlockingQueue<RedisError> errors() {
        return errors;
    }

    public BlockingQueue<RedisConnected> connected() {
        return connected;
    }
}
