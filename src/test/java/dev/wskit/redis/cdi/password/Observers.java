package dev.wskit.redis.cdi.password;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.wskit.redis.cdi.RedisError;

/** Records the error events. */
@ApplicationScoped
public class Observers {

    private final BlockingQueue<RedisError> errors = new LinkedBlockingQueue<>();

    void onError(@Observes RedisError event) {
        errors.add(event);
    }

    public BlockingQueue<RedisError> errors() {
        return errors;
    }
}
