package dev.wskit.redis.cdi.client;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.wskit.redis.cdi.RedisConnected;

/** Records the connected events. */
@ApplicationScoped
public class Observers {

    private final BlockingQueue<RedisConnected> connected = new LinkedBlockingQueue<>();

    void onConnected(@Observes RedisConnected event) {
        connected.add(event);
    }

    public BlockingQueue<RedisConnected> connected() {
        return connected;
    }
}
