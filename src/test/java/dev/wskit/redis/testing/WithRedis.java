package dev.wskit.redis.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers {@link RedisExtension}, so test methods, lifecycle methods and constructors can take a
 * {@link RedisTarget} parameter.
 *
 * <pre>{@code
 * @WithRedis
 * class ChatIT {
 *     @Test
 *     void delivers(RedisTarget redis) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface WithRedis {
}
