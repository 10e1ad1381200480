package dev.wskit.redis.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The slot map: slots of channels, reading {@code CLUSTER SLOTS}, generations, and which nodes are asked. */
class ClusterTopologyTest {

    private static final HostAndPort SEED1 = new HostAndPort("seed1", 7000);
    private static final HostAndPort SEED2 = new HostAndPort("seed2", 7001);
    private static final HostAndPort M1 = new HostAndPort("m1", 7000);
    private static final HostAndPort M2 = new HostAndPort("m2", 7000);
    private static final HostAndPort R1 = new HostAndPort("r1", 7000);

    /** What each node answers to {@code CLUSTER SLOTS}: a reply, or a RuntimeException to throw. */
    private final Map<HostAndPort, Object> answers = new HashMap<>();
    /** The nodes asked, in order, with their role. */
    private final List<String> asked = new ArrayList<>();
    private final List<ScriptedNode> opened = new ArrayList<>();
    private final ClusterTopology topology = new ClusterTopology(
            RedisPubSubOptions.builder().url("redis-cluster://seed1:7000,seed2:7001").build(), (node, role) -> {
                asked.add(node + " " + role);
                ScriptedNode connection = new ScriptedNode(answers.get(node));
                opened.add(connection);
                return connection;
            });

    // ---------------------------------------------------------------- slots

    @ParameterizedTest
    @CsvSource({
            // the check value of the CRC16 (XMODEM) of the Redis Cluster spec: 0x31C3
            "123456789, 12739",
            // CLUSTER KEYSLOT examples
            "foo, 12182", "bar, 5061", "hello, 866", "somekey, 11058", "foo{hash_tag}, 2515",
            // hash tags (Redis Cluster spec): only the part between the first { and the next } counts ...
            "{user1000}.following, 3443", "{user1000}.followers, 3443", "user1000, 3443",
            "foo{bar}{zap}, 5061", "chat:{room1}:a, 14439", "room1, 14439",
            // ... if it is not empty: "foo{}{bar}" hashes whole
            "foo{}{bar}, 8363",
            // "foo{{bar}}zap" hashes "{bar"
            "foo{{bar}}zap, 4015", "{bar, 4015" })
    void theSlotOfAChannelIsCrc16ModuloTheSlotCountWithHashTags(String channel, int slot) {
        assertThat(ClusterTopology.slot(channel)).isEqualTo(slot);
        assertThat(ClusterTopology.slot(channel.getBytes(StandardCharsets.UTF_8))).isEqualTo(slot);
    }

    // ---------------------------------------------------------------- the slot map

    @Test
    void theMapSaysWhichMasterOwnsEachSlotAndListsMastersAndReplicas() {
        answers.put(SEED1, List.of(range(0, 8191, M1, R1), range(8192, 16383, M2)));

        topology.refresh();

        ClusterTopology.Snapshot s = topology.snapshot();
        assertThat(s.masterFor(0)).isEqualTo(M1);
        assertThat(s.masterFor(8191)).isEqualTo(M1);
        assertThat(s.masterFor(8192)).isEqualTo(M2);
        assertThat(s.masterFor(16383)).isEqualTo(M2);
        assertThat(s.masters).containsExactly(M1, M2);
        assertThat(s.nodes).containsExactly(M1, R1, M2);
        assertThat(asked).containsExactly(SEED1 + " topology");
        assertThat(opened).allSatisfy(c -> assertThat(c.closed).as("closed").isTrue());
    }

    @Test
    void aMasterCanOwnSeveralRangesAndSlotsNobodyOwnsHaveNoMaster() {
        answers.put(SEED1, List.of(range(0, 99, M1), range(200, 299, M2), range(300, 399, M1)));

        topology.refresh();

        ClusterTopology.Snapshot s = topology.snapshot();
        assertThat(s.masterFor(99)).isEqualTo(M1);
        assertThat(s.masterFor(100)).isNull();
        assertThat(s.masterFor(199)).isNull();
        assertThat(s.masterFor(300)).isEqualTo(M1);
        assertThat(s.masterFor(400)).isNull();
        assertThat(s.masters).containsExactly(M1, M2);
    }

    @Test
    void anEmptyOrUnknownHostIsTheAddressUsedAndANodeWithoutPortIsSkipped() {
        answers.put(SEED1, List.of(range(0, 99, new HostAndPort("", 7005), new HostAndPort("r9", 0)),
                range(100, 199, new HostAndPort("?", 7006))));

        topology.refresh();

        ClusterTopology.Snapshot s = topology.snapshot();
        assertThat(s.masterFor(0)).isEqualTo(new HostAndPort("seed1", 7005));
        assertThat(s.masterFor(100)).isEqualTo(new HostAndPort("seed1", 7006));
        assertThat(s.nodes).containsExactly(new HostAndPort("seed1", 7005), new HostAndPort("seed1", 7006));
    }

    @Test
    void theGenerationGrowsOnlyWhenTheMapChangesAndListenersHearEachChange() {
        AtomicInteger changes = new AtomicInteger();
        topology.addListener(changes::incrementAndGet);
        assertThat(topology.snapshot()).isNull();
        assertThat(topology.generation()).isZero();

        answers.put(SEED1, List.of(range(0, 16383, M1)));
        topology.refresh();
        assertThat(topology.generation()).isEqualTo(1);
        assertThat(topology.snapshot().generation).isEqualTo(1);

        topology.refresh();
        assertThat(topology.generation()).as("same map").isEqualTo(1);
        assertThat(changes).hasValue(1);

        // slots moved (the seed that answered last is asked first)
        answers.put(SEED1, List.of(range(0, 100, M1), range(101, 16383, M2)));
        topology.refresh();
        assertThat(topology.generation()).isEqualTo(2);
        assertThat(topology.snapshot().masterFor(101)).isEqualTo(M2);
        assertThat(changes).hasValue(2);

        // a new replica alone is a change too
        answers.put(SEED1, List.of(range(0, 100, M1, R1), range(101, 16383, M2)));
        topology.refresh();
        assertThat(topology.generation()).isEqualTo(3);
        assertThat(changes).hasValue(3);
    }

    @Test
    void aRefreshIsSkippedIfTheMapIsNewerThanTheCallerSaw() {
        answers.put(SEED1, List.of(range(0, 16383, M1)));
        topology.refresh();
        asked.clear();

        topology.refreshIfNotNewerThan(0);
        assertThat(asked).as("generation 1 is newer than 0").isEmpty();

        topology.refreshIfNotNewerThan(1);
        assertThat(asked).hasSize(1);
    }

    // ---------------------------------------------------------------- which nodes are asked

    @Test
    void theNodesAreAskedInOrderPreferredMastersNodesSeedsUntilOneAnswers() {
        answers.put(SEED1, List.of(range(0, 8191, M1, R1), range(8192, 16383, M2)));
        topology.refresh();
        asked.clear();
        answers.put(M1, new JedisConnectionException("connection refused"));
        answers.put(M2, new JedisConnectionException("connection refused"));
        answers.put(R1, new JedisConnectionException("connection refused"));
        HostAndPort preferred = new HostAndPort("moved-target", 7009);
        answers.put(preferred, new JedisConnectionException("connection refused"));
        topology.prefer(preferred);

        topology.refresh();

        // the seed answered last, but the preferred node replaced it; the seeds come last, once each
        assertThat(asked).containsExactly(preferred + " topology", M1 + " topology", M2 + " topology",
                R1 + " topology", SEED1 + " topology");
        assertThat(opened).allSatisfy(c -> assertThat(c.closed).as("closed").isTrue());
    }

    @Test
    void whenNoNodeAnswersTheFailureNamesEachNodeAndWhy() {
        answers.put(SEED1, new JedisConnectionException("connection refused"));
        answers.put(SEED2, new JedisDataException("ERR This instance has cluster support disabled"));

        assertThatThrownBy(topology::refresh).isInstanceOf(RedisPubSubException.class)
                .hasMessage("cannot load the slot map of the cluster, no node answered (seed1:7000: connection "
                        + "refused; seed2:7001: not a cluster node (ERR This instance has cluster support "
                        + "disabled); use a redis:// url for a standalone server)");
        assertThat(topology.snapshot()).isNull();
    }

    @Test
    void anUnexpectedReplyIsAFailureOfThatNode() {
        answers.put(SEED1, 42L);
        answers.put(SEED2, List.of(range(0, 16383, M2)));

        topology.refresh();

        assertThat(topology.snapshot().masterFor(0)).isEqualTo(M2);
    }

    @Test
    void openAnyKeepsTheConnectionThatAnsweredAndLearnsTheMap() {
        answers.put(SEED1, new JedisConnectionException("connection refused"));
        answers.put(SEED2, List.of(range(0, 16383, M2)));

        Connection connection = topology.openAny("publisher");

        assertThat(asked).containsExactly(SEED1 + " publisher", SEED2 + " publisher");
        assertThat(connection).isSameAs(opened.get(1));
        assertThat(opened.get(0).closed).as("the failed connection is closed").isTrue();
        assertThat(opened.get(1).closed).as("the one returned is open").isFalse();
        assertThat(topology.snapshot().masterFor(0)).isEqualTo(M2);

        // the node that answered is asked first next time
        asked.clear();
        topology.refresh();
        assertThat(asked).first().isEqualTo(SEED2 + " topology");
    }

    @Test
    void openAnyFailsNamingEveryNode() {
        answers.put(SEED1, new JedisConnectionException("connection refused"));
        answers.put(SEED2, new JedisConnectionException("timed out"));

        assertThatThrownBy(() -> topology.openAny("subscriber")).isInstanceOf(RedisPubSubException.class)
                .hasMessage("no node of the cluster answered (seed1:7000: connection refused; seed2:7001: timed out)");
        assertThat(opened).allSatisfy(c -> assertThat(c.closed).as("closed").isTrue());
    }

    @Test
    void theSeedsAreDescribedAsConfigured() {
        assertThat(topology.describeSeeds()).isEqualTo("cluster seed1:7000,seed2:7001");
    }

    /** A range of {@code CLUSTER SLOTS}: start, end, then the master and the replicas as [host, port, id]. */
    private static List<Object> range(int start, int end, HostAndPort... nodes) {
        List<Object> range = new ArrayList<>(List.of((long) start, (long) end));
        for (HostAndPort n : nodes) {
            range.add(List.of(n.getHost().getBytes(StandardCharsets.UTF_8), (long) n.getPort(),
                    ("id-" + n).getBytes(StandardCharsets.UTF_8)));
        }
        return range;
    }

    /** A connection that answers {@code CLUSTER SLOTS} from a script, without a socket. */
    private static final class ScriptedNode extends Connection {

        private final Object answer;
        boolean closed;

        ScriptedNode(Object answer) {
            this.answer = answer;
        }

        @Override
        public void sendCommand(ProtocolCommand cmd, String... args) {
            assertThat(cmd + " " + String.join(" ", args)).isEqualTo("CLUSTER SLOTS");
            if (answer == null) {
                throw new JedisConnectionException("no answer scripted");
            }
        }

        @Override
        public Object getOne() {
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return answer;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
