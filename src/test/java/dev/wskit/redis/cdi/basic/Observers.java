package dev.wskit.redis.cdi.basic;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.cdi.RedisDisconnected;
import dev.wskit.redis.cdi.RedisError;

/** Records the lifecycle events, with the thread that delivered each synchronous one. */
@ApplicationScoped
public class Observers {

    private final BlockingQueue<RedisConnected> connected = new LinkedBlockingQueue<>();
    private final BlockingQueue<RedisConnected> connectedAsync = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> connectedThreads = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> others = new LinkedBlockingQueue<>();

    void onConnected(@Observes RedisConnected event) {
        connectedThreads.add(Thread.currentThread().getName());
        connected.add(event);
    }

    void onConnectedAsync(@ObservesAsync RedisConnected event) {
        connectedAsync.add(event);
    }

    void onDisconnected(@Observes RedisDisconnected event) {
        others.add(event);
    }

    void onError(@Observes RedisError event) {
        others.add(event);
    }

    public BlockingQueue<RedisConnected> connected() {
        return connected;
    }

    public BlockingQueue<RedisConnected> connectedAsync() {
        return connectedAsync;
    }

    public BlockingQueue<String> connectedThreads() {
        return connectedThreads;
    }

    public BlockingQueue<Object> others() {
        return others;
    }
}
