package dev.wskit.redis.internal.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's glob matching, case by case; {@code GlobPatternIT} compares it with a real Redis on random input. */
class GlobPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "ws:*          | ws:news        | true",
        "ws:*          | ws:            | true",
        "ws:*          | wx:news        | false",
        "*             | ''             | true",
        "ws:n?ws       | ws:news        | true",
        "ws:n?ws       | ws:nws         | false",
        "h?llo         | hällo          | false",
        "h??llo        | hällo          | true",
        "h[ae]llo      | hallo          | true",
        "h[ae]llo      | hillo          | false",
        "h[^e]llo      | hallo          | true",
        "h[^e]llo      | hello          | false",
        "h[a-b]llo     | hbllo          | true",
        "h[b-a]llo     | hallo          | true",
        "h[a-b]llo     | hcllo          | false",
        "h[\\]]llo     | h]llo          | true",
        "h\\*llo       | h*llo          | true",
        "h\\*llo       | hallo          | false",
        "a*b*c         | axxbyyc        | true",
        "a*b*c         | axxbyy         | false",
        "a**           | a              | true",
        "[abc          | a              | true",
        "[abc          | c              | true",
        "ab[           | ab             | false",
        "News          | news           | false",
    })
    void matchesAsRedisDoes(String pattern, String channel, boolean matches) {
        assertThat(new GlobPattern(pattern).matches(channel)).isEqualTo(matches);
    }
}
