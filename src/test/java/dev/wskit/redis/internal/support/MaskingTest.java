package dev.wskit.redis.internal.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one masking rule of the library: user info before the last '@', every query value, the fragment. */
class MaskingTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("redis://localhost:6379", "redis://localhost:6379"),
                Arguments.of("redis://:pw@h:6379/0", "redis://:***@h:6379/0"),
                Arguments.of("redis://app:pw@h", "redis://app:***@h"),
                Arguments.of("redis://pw@h", "redis://***@h"),
                Arguments.of("redis://:S3@CRET@h", "redis://:***@h"),
                Arguments.of("redis://:a/b?c#d@h:1", "redis://:***@h:1"),
                Arguments.of("rediss-sentinel://u:p@s1,s2/2?sentinels=m",
                        "rediss-sentinel://u:***@s1,s2/2?sentinels=***"),
                Arguments.of("redis-sentinel://s1?sentinels=m&password=S3CRET",
                        "redis-sentinel://s1?sentinels=***&password=***"),
                Arguments.of("redis-cluster://n1?S3CRET", "redis-cluster://n1?***"),
                Arguments.of("redis-cluster://n1?a=&&b", "redis-cluster://n1?a=&&***"),
                Arguments.of("redis://h#S3CRET", "redis://h#***"),
                Arguments.of("redis://h?x=1#S3CRET", "redis://h?x=***#***"),
                Arguments.of("user:pw@host", "user:***@host"),
                Arguments.of("pw@host", "***@host"),
                Arguments.of("pw@x://y", "***@x://y"),
                Arguments.of("redis://user:pw", "redis://user:***"),
                Arguments.of("redis://h:6379", "redis://h:6379"),
                Arguments.of("redis-sentinel://s1:26379,s2:pw/0?sentinels=m",
                        "redis-sentinel://s1:26379,s2:***/0?sentinels=***"),
                Arguments.of("redis://::1:6379", "redis://::1:6379"),
                Arguments.of("redis://[::1]:6379", "redis://[::1]:6379"),
                Arguments.of("redis://[::1]:pw", "redis://[::1]:***"),
                Arguments.of("chat:prod", "chat:prod"),
                Arguments.of("host", "host"),
                Arguments.of("", ""),
                Arguments.of("@", "***@"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void masksTheSecrets(String value, String shown) {
        assertThat(Masking.mask(value)).isEqualTo(shown);
    }

    @ParameterizedTest
    @MethodSource("values")
    void maskingTwiceChangesNothing(String value, String shown) {
        assertThat(Masking.mask(shown)).isEqualTo(shown);
    }

    @Test
    void nullIsNull() {
        assertThat(Masking.mask(null)).isNull();
    }

    @Test
    void manyHostEntriesAreMaskedInOnePass() {
        String value = "redis-cluster://" + "[,".repeat(200_000) + "h:pw";

        assertThat(Masking.mask(value)).isEqualTo("redis-cluster://" + "[,".repeat(200_000) + "h:***");
    }

    @Test
    void manyParametersWithoutValuesAreMaskedInOnePass() {
        // each parameter is scanned once: 200,000 of them cost no more than their length
        String value = "redis-cluster://n1?" + "a&".repeat(200_000) + "a";

        assertThat(Masking.mask(value)).isEqualTo("redis-cluster://n1?" + "***&".repeat(200_000) + "***");
    }
}
