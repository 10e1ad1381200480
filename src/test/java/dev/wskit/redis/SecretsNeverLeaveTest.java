package dev.wskit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A secret given anywhere in the options (a URL's user info or query, a host or a list entry holding credentials, the
 * password options) never appears in a problem, in the exception's message or in {@code toString()}, and no public
 * accessor hands it out.
 */
class SecretsNeverLeaveTest {

    private static final String SECRET = "S3CRET";

    private static List<OptionProblem> problemsOf(RedisPubSubOptions.Builder builder) {
        try {
            builder.build();
        } catch (InvalidOptionsException e) {
            return e.problems();
        }
        throw new AssertionError("build() did not throw");
    }

    /** Everything a caller can read from the failure of {@code builder}: message, every problem and its parts. */
    private static String everythingShown(RedisPubSubOptions.Builder builder) {
        StringBuilder sb = new StringBuilder();
        try {
            builder.build();
            throw new AssertionError("build() did not throw");
        } catch (InvalidOptionsException e) {
            sb.append(e.getMessage()).append('\n').append(e).append('\n');
            for (OptionProblem p : e.problems()) {
                sb.append(p.message()).append('|').append(p.value()).append('|').append(p.rule()).append('|')
                        .append(p.hint()).append('|').append(p.message(o -> "k." + o)).append('|').append(p)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void anUnsupportedQueryParameterHoldingAPasswordIsMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder()
                .url("redis-sentinel://s1,s2?sentinels=m&password=" + SECRET));

        assertThat(shown).doesNotContain(SECRET)
                .contains("url parameter \"password\" is not supported, was"
                        + " redis-sentinel://s1,s2?sentinels=***&password=***");
    }

    @Test
    void aQueryParameterWithoutValueIsMaskedAndNotEchoedInTheRule() {
        String shown = everythingShown(RedisPubSubOptions.builder().url("redis-cluster://n1?" + SECRET));

        assertThat(shown).doesNotContain(SECRET).contains("redis-cluster://n1?***");
    }

    @Test
    void aQueryOfAStandaloneUrlAndAFragmentAreMasked() {
        assertThat(everythingShown(RedisPubSubOptions.builder().url("redis://h?password=" + SECRET)))
                .doesNotContain(SECRET).contains("redis://h?password=***");
        assertThat(everythingShown(RedisPubSubOptions.builder().url("redis://h#" + SECRET)))
                .doesNotContain(SECRET).contains("redis://h#***");
    }

    @Test
    void aPasswordContainingAtSignsIsMaskedWhole() {
        String shown = everythingShown(RedisPubSubOptions.builder().url("redis://:S3@CR@ET@h:0"));

        assertThat(shown).doesNotContain("S3").doesNotContain("CR").doesNotContain("ET@")
                .contains("redis://:***@h:0");
    }

    @Test
    void userInfoWithoutColonIsMaskedWhole() {
        String shown = everythingShown(RedisPubSubOptions.builder().url("redis://" + SECRET + "@h:0"));

        assertThat(shown).doesNotContain(SECRET).contains("redis://***@h:0");
    }

    @Test
    void aPasswordGivenWithoutTheAtSignIsMaskedAsAPort() {
        // "redis://user:S3CRET" reads as host "user", port "S3CRET": what is not a port number is not shown
        assertThat(everythingShown(RedisPubSubOptions.builder().url("redis://user:" + SECRET)))
                .doesNotContain(SECRET).contains("url port must be between 1 and 65535, was redis://user:***");
        assertThat(everythingShown(RedisPubSubOptions.builder().url("redis-cluster://n1:6379,user:" + SECRET + "/")))
                .doesNotContain(SECRET).contains("redis-cluster://n1:6379,user:***/");
        // an IPv6 address without brackets stays readable
        assertThat(everythingShown(RedisPubSubOptions.builder().url("redis://::1:6379")))
                .contains("was redis://::1:6379");
    }

    @Test
    void aClusterNodeHoldingAUrlWithCredentialsIsMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder()
                .clusterNodes(List.of("redis://:" + SECRET + "@n1:6379", "n2")));

        assertThat(shown).doesNotContain(SECRET).contains("clusterNodes entry must be host[:port]")
                .contains("redis://:***@n1:6379");
    }

    @Test
    void aSentinelEntryHoldingCredentialsIsMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder()
                .sentinels(List.of("user:" + SECRET + "@s1:26379"))
                .sentinelMaster("m"));

        assertThat(shown).doesNotContain(SECRET).contains("user:***@s1:26379");
    }

    @Test
    void aPasswordSplitOverTwoEntriesByItsCommaIsMasked() {
        // what a comma-separated configuration value holding a URL with a comma in its password becomes
        String shown = everythingShown(RedisPubSubOptions.builder()
                .clusterNodes(List.of("redis://:S3", "CRET@n1:6379")));

        assertThat(shown).doesNotContain("S3").doesNotContain("CRET");
    }

    @Test
    void listsHoldingCredentialsInAConflictAreMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder()
                .url("redis://h")
                .sentinels(List.of("redis://:" + SECRET + "@s1"))
                .clusterNodes(List.of("redis://:" + SECRET + "@n1")));

        assertThat(shown).doesNotContain(SECRET).contains("sentinels must not be set together with url");
    }

    @Test
    void aHostHoldingCredentialsIsMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder().host("user:" + SECRET + "@h"));

        assertThat(shown).doesNotContain(SECRET).contains("host must be a host name or an IP address, was"
                + " \"user:***@h\"");
    }

    @Test
    void aHostHoldingCredentialsTogetherWithAUrlIsMasked() {
        String shown = everythingShown(RedisPubSubOptions.builder().url("redis://h").host(SECRET + "@h"));

        assertThat(shown).doesNotContain(SECRET).contains("\"***@h\"");
    }

    @Test
    void aLongUrlIsMaskedBeforeItIsShortened() {
        String host = "h".repeat(100);
        String shown = everythingShown(RedisPubSubOptions.builder().host("x:" + SECRET + "@" + host));

        assertThat(shown).doesNotContain(SECRET);
    }

    @Test
    void everyProblemValueIsMasked() {
        List<OptionProblem> problems = problemsOf(RedisPubSubOptions.builder()
                .url("redis-sentinel://:" + SECRET + "@s1?sentinels=m&password=" + SECRET)
                .host("a:" + SECRET + "@h")
                .sentinelPassword(SECRET)
                .password(SECRET));

        assertThat(problems).isNotEmpty();
        for (OptionProblem problem : problems) {
            assertThat(problem.value()).doesNotContain(SECRET);
            assertThat(problem.message()).doesNotContain(SECRET);
        }
    }

    @Test
    void aSentinelMasterConflictDoesNotEchoTheUrlsQuery() {
        String shown = everythingShown(RedisPubSubOptions.builder()
                .url("redis-sentinel://s1?sentinels=" + SECRET)
                .sentinelMaster("other"));

        assertThat(shown).doesNotContain(SECRET).contains("sentinelMaster must be the master");
    }

    @Test
    void toStringMasksTheUserInfoAndTheQueryOfTheUrl() {
        RedisPubSubOptions options = RedisPubSubOptions.builder()
                .url("redis-sentinel://app:" + SECRET + "@s1,s2?sentinels=mymaster")
                .sentinelPassword(SECRET)
                .build();

        assertThat(options.toString()).doesNotContain(SECRET)
                .contains("url=redis-sentinel://app:***@s1,s2?sentinels=***")
                .contains("password=***")
                .contains("sentinelPassword=***");
    }

    @Test
    void toStringMasksAUsernameThatHoldsCredentials() {
        RedisPubSubOptions options = RedisPubSubOptions.builder().username("app:" + SECRET + "@").build();

        assertThat(options.toString()).doesNotContain(SECRET);
    }

    @Test
    void noPublicAccessorReturnsAPassword() throws Exception {
        RedisPubSubOptions options = RedisPubSubOptions.builder()
                .url("redis-sentinel://app:" + SECRET + "-master@s1?sentinels=m")
                .sentinelPassword(SECRET + "-sentinel")
                .build();
        List<String> leaking = new ArrayList<>();
        for (Method method : RedisPubSubOptions.class.getMethods()) {
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && method.getReturnType() != void.class && !method.getName().equals("url")) {
                Object value = method.invoke(options);
                if (String.valueOf(value).contains(SECRET)) {
                    leaking.add(method.getName());
                }
            }
        }

        assertThat(leaking).as("public accessors returning a secret").isEmpty();
        assertThat(options.hasPassword()).isTrue();
        assertThat(options.hasSentinelPassword()).isTrue();
        assertThat(RedisPubSubOptions.builder().build().hasPassword()).isFalse();
    }

    @Test
    void theInternalsStillReadThePasswords() {
        RedisPubSubOptions options = RedisPubSubOptions.builder()
                .url("redis-sentinel://app:master%40pw@s1?sentinels=m")
                .sentinelPassword("sentinel-pw")
                .build();

        assertThat(RedisPubSubOptions.password(options)).isEqualTo("master@pw");
        assertThat(RedisPubSubOptions.sentinelPassword(options)).isEqualTo("sentinel-pw");
    }
}
