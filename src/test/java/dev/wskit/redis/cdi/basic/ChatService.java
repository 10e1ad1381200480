package dev.wskit.redis.cdi.basic;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.wskit.redis.RedisPubSub;

/** An application bean that injects the library's bean, as applications do. */
@ApplicationScoped
public class ChatService {

    @Inject
    RedisPubSub pubsub;

    public RedisPubSub pubsub() {
        return pubsub;
    }
}
