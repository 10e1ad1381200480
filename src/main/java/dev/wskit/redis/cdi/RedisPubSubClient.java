package dev.wskit.redis.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

/**
 * Marks the beans an application provides to replace parts of the {@code RedisPubSub} bean that
 * {@link RedisPubSubExtension} registers.
 *
 * <p>At most one bean of each of these types may carry the qualifier; each one found replaces a default:
 * <table>
 * <caption>Replaceable parts</caption>
 * <tr><th>Bean type</th><th>Replaces</th></tr>
 * <tr><td>{@code redis.clients.jedis.UnifiedJedis}</td><td>the connection keys ({@code wskit.redis.url},
 *     {@code host}, {@code port}, {@code username}, {@code password}, {@code db}, {@code tls},
 *     {@code sentinel.*}, {@code cluster.*}, {@code connect-timeout-ms}, {@code command-timeout-ms},
 *     {@code client-name}); they are still checked. The
 *     client must speak RESP2, and its bean must be {@code @Dependent} or {@code @Singleton}: a client proxy of a
 *     normal scope hides the client's connections. The application owns the client and closes it, for example in a
 *     disposer method; the {@code RedisPubSub} is destroyed before that.</td></tr>
 * <tr><td>{@link dev.wskit.redis.MessageSerializer}</td><td>the default serialization of published messages</td></tr>
 * <tr><td>{@link dev.wskit.redis.MessageDeserializer}</td><td>the default deserialization of received
 *     messages</td></tr>
 * <tr><td>{@link java.util.concurrent.ThreadFactory}</td><td>the container's {@code ManagedThreadFactory} (or the
 *     library's daemon threads outside a container)</td></tr>
 * </table>
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class RedisSetup {
 *
 *     @Produces
 *     @Singleton
 *     @RedisPubSubClient
 *     RedisClient client() {
 *         return RedisClient.builder()
 *                 .hostAndPort(new HostAndPort("redis.internal", 6379))
 *                 .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build())
 *                 .build();
 *     }
 *
 *     void close(@Disposes @RedisPubSubClient RedisClient client) {
 *         client.close();
 *     }
 *
 *     @Produces
 *     @RedisPubSubClient
 *     MessageSerializer serializer = message -> "v1|" + message;
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
@Documented
public @interface RedisPubSubClient {

    /**
     * The literal of {@link RedisPubSubClient}, for programmatic lookup.
     *
     * @since 0.1
     */
    final class Literal extends AnnotationLiteral<RedisPubSubClient> implements RedisPubSubClient {

        /** The one instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;

        private Literal() {
        }
    }
}
