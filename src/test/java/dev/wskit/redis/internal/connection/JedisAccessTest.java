package dev.wskit.redis.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the library reads from Jedis beyond its public API is still there: fails at once, with the name of what is
 * missing, when a Jedis upgrade renames or removes it.
 */
class JedisAccessTest {

    @Test
    void theProtectedMembersTheLibraryUsesExist() {
        // loading the class looks both handles up; a missing member fails here with ExceptionInInitializerError
        try (UnifiedJedis client = RedisClient.create("127.0.0.1", 1)) {
            assertThat(JedisAccess.providerOf(client)).as("the client's connection provider").isNotNull();
        }
    }
}
