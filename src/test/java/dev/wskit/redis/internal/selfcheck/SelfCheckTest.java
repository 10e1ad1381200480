package dev.wskit.redis.internal.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.exceptions.JedisDataException;

/** The self-check's checks over scripted answers. */
class SelfCheckTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Answers by the command's first two words; missing ones answer OK. */
    private static SelfCheck.Redis scripted(Map<String, Object> answers) {
        return args -> {
            String key = args[0] + (args.length > 1 ? " " + args[1] : "");
            Object answer = answers.getOrDefault(key, answers.getOrDefault(args[0], b("OK")));
            if (answer instanceof JedisDataException e) {
                throw e;
            }
            return answer;
        };
    }

    private static Object config(String value) {
        return List.of(b("x"), b(value));
    }

    @Test
    void redisSixCannotBeCheckedForAclRightsAndCannotDoShardedPubSub() {
        RedisPubSubOptions options = RedisPubSubOptions.builder().url("redis-cluster://n1:7000?sharded=true").build();
        SelfCheckReport report = SelfCheck.run(options, scripted(Map.of(
                "INFO", b("# Server\r\nredis_version:6.2.14\r\nredis_mode:cluster\r\n"),
                "CLUSTER SLOTS", List.of(List.of(0L, 16383L, List.of(b("h"), 7000L))),
                "CONFIG GET", config("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"))));

        assertThat(report.redis()).isEqualTo("Redis 6.2.14 (cluster)");
        assertThat(report.problems()).singleElement().asString().startsWith("sharded pub/sub (option shardedPubSub,"
                + " key wskit.redis.cluster.sharded-pubsub) needs Redis 7 or later, was 6.2.14");
        assertThat(report.notes()).singleElement().asString().startsWith("ACL rights not checkable: Redis 6.2.14 has"
                + " no ACL DRYRUN").contains("+ssubscribe +spublish");
    }

    @Test
    void anUnlimitedPubsubClassIsANoteAndALowSoftLimitAProblem() {
        RedisPubSubOptions options = RedisPubSubOptions.builder().build();
        SelfCheckReport unlimited = SelfCheck.run(options, scripted(Map.of(
                "INFO", b("redis_version:7.2.4\r\nredis_mode:standalone\r\n"), "ACL WHOAMI", b("default"),
                "CONFIG GET", config("normal 0 0 0 pubsub 0 0 0"))));
        assertThat(unlimited.problems()).isEmpty();
        assertThat(unlimited.notes()).anyMatch(n -> n.contains("no limit"));

        SelfCheckReport lowSoft = SelfCheck.run(options, scripted(Map.of(
                "INFO", b("redis_version:7.2.4\r\nredis_mode:standalone\r\n"), "ACL WHOAMI", b("default"),
                "CONFIG GET", config("pubsub 64mb 1mb 60"))));
        assertThat(lowSoft.problems()).singleElement().asString().contains("pubsub 64mb 1mb 60, low");
    }

    @Test
    void configNotAllowedIsANote() {
        SelfCheckReport report = SelfCheck.run(RedisPubSubOptions.builder().build(), scripted(Map.of(
                "INFO", b("redis_version:7.0.15\r\nredis_mode:standalone\r\n"), "ACL WHOAMI", b("app"),
                "CONFIG GET", new JedisDataException("NOPERM this user has no permissions to run the 'config|get'"
                        + " command"))));
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).singleElement().asString().startsWith("client-output-buffer-limit not checkable");
    }

    @Test
    void limitsAreReadWithUnits() {
        assertThat(SelfCheck.bytes("33554432")).isEqualTo(33_554_432L);
        assertThat(SelfCheck.bytes("32mb")).isEqualTo(33_554_432L);
        assertThat(SelfCheck.bytes("8m")).isEqualTo(8_000_000L);
        assertThat(SelfCheck.bytes("x")).isEqualTo(-1);
    }

    @Test
    void aSentinelThatDoesNotKnowTheMasterOrDisagreesIsAProblem() {
        RedisPubSubOptions options = RedisPubSubOptions.builder()
                .url("redis-sentinel://s1:26379,s2:26379,s3:26379?sentinels=mymaster").build();
        SelfCheckReport data = new SelfCheckReport("Redis 7.2.4 (standalone)", List.of(), List.of());
        Map<String, Object> answers = Map.of("s1:26379", List.of(b("10.0.0.1"), b("6379")),
                "s2:26379", List.of(b("10.0.0.2"), b("6379")));

        SelfCheckReport report = SelfCheck.withSentinels(options, address -> args -> answers.get(address), data);

        assertThat(report.problems()).hasSize(2);
        assertThat(report.problems().get(0)).startsWith("sentinel s3:26379 does not monitor a master named mymaster");
        assertThat(report.problems().get(1)).startsWith("the sentinels disagree on the master of mymaster");
        assertThat(report.redis()).isEqualTo("Redis 7.2.4 (standalone), master mymaster at 10.0.0.1:6379");
    }
}
