package dev.wskit.redis.cdi.proxiedclient;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.wskit.redis.cdi.RedisPubSubClient;

import redis.clients.jedis.RedisClient;

/** A client bean of a normal scope: what the library gets is a client proxy, without the client's connections. */
@ApplicationScoped
public class ApplicationScopedClient {

    @Produces
    @ApplicationScoped
    @RedisPubSubClient
    RedisClient client() {
        return RedisClient.create("localhost", 6379);
    }
}
