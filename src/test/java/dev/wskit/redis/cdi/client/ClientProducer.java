package dev.wskit.redis.cdi.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.RedisPubSubClient;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

/**
 * The application's own client, a {@code @Dependent} bean with a disposer; it reaches the Redis named by the test
 * keys {@code test.redis.host} and {@code test.redis.port}, not by the library's keys.
 */
@ApplicationScoped
public class ClientProducer {

    /** What the disposer saw: the threads of the library still alive when the client was closed. */
    static final List<List<Thread>> THREADS_AT_DISPOSAL = new CopyOnWriteArrayList<>();

    private volatile String clientName;

    @Produces
    @RedisPubSubClient
    RedisClient client() {
        String host = ConfigProvider.getConfig().getValue("test.redis.host", String.class);
        int port = ConfigProvider.getConfig().getValue("test.redis.port", Integer.class);
        clientName = ConfigProvider.getConfig().getValue("wskit.redis.client-name", String.class);
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(host, port))
                .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build())
                .build();
    }

    void close(@Disposes @RedisPubSubClient RedisClient client) {
        THREADS_AT_DISPOSAL.add(CdiTesting.liveThreads(clientName + "#"));
        client.close();
    }
}
