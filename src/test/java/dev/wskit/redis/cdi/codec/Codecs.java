package dev.wskit.redis.cdi.codec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.cdi.RedisPubSubClient;

/**
 * The application's codec: qualified beans replace the default serialization; an unqualified serializer, which the
 * application may well have for other purposes, is not used.
 */
@ApplicationScoped
public class Codecs {

    /** What the custom deserializer produces. */
    public record Envelope(String body) {
    }

    @Produces
    @RedisPubSubClient
    MessageSerializer serializer = message -> "v1|" + message;

    @Produces
    @RedisPubSubClient
    MessageDeserializer deserializer = payload -> new Envelope(payload.substring(payload.indexOf('|') + 1));

    @Produces
    MessageSerializer unrelated = message -> {
        throw new IllegalStateException("the unqualified serializer must not be used");
    };
}
