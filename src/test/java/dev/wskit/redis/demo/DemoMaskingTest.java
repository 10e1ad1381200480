package dev.wskit.redis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo prints Redis URLs masked by the library's one rule. */
class DemoMaskingTest {

    @Test
    void aPasswordContainingAnAtSignIsMaskedWhole() {
        assertThat(Demo.redact("redis://:S3@CRET@redis.example.com:6379"))
                .isEqualTo("redis://:***@redis.example.com:6379");
        assertThat(Demo.redact("redis://app:S3@CR@ET@h")).isEqualTo("redis://app:***@h");
    }

    @Test
    void userInfoWithoutColonIsMaskedAsAPassword() {
        assertThat(Demo.redact("redis://S3CRET@redis.example.com:6379"))
                .isEqualTo("redis://***@redis.example.com:6379");
    }

    @Test
    void queryValuesAreMasked() {
        assertThat(Demo.redact("redis-sentinel://s1?sentinels=m&password=S3CRET"))
                .isEqualTo("redis-sentinel://s1?sentinels=***&password=***");
    }

    @Test
    void aUrlWithoutSecretsIsUnchanged() {
        assertThat(Demo.redact("redis://localhost:6379")).isEqualTo("redis://localhost:6379");
    }
}
