package dev.wskit.redis.cdi.ambiguous;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.cdi.RedisPubSubClient;

/** Two qualified serializers: the library cannot know which one the application means. */
@ApplicationScoped
public class TwoSerializers {

    @Produces
    @RedisPubSubClient
    MessageSerializer first = String::valueOf;

    @Produces
    @RedisPubSubClient
    MessageSerializer second = message -> "2" + message;
}
