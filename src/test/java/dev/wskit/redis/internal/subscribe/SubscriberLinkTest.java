package dev.wskit.redis.internal.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.topology.ClusterTopology;

class SubscriberLinkTest {

    private static ChannelEntry entry(String wire) {
        return new ChannelEntry(wire, wire, false, ClusterTopology.slot(wire));
    }

    private static List<List<String>> wires(List<List<ChannelEntry>> commands) {
        return commands.stream()
                .map(command -> command.stream().map(e -> e.wire).collect(Collectors.toList()))
                .collect(Collectors.toList());
    }

    @Test
    void shardedCommandsHoldTheChannelsOfOneSlotEach() {
        // {room} is a hash tag: both channels share its slot; "other" has another slot
        List<ChannelEntry> entries = List.of(entry("ws:{room}:a"), entry("ws:other"), entry("ws:{room}:b"));
        assertThat(ClusterTopology.slot("ws:{room}:a")).isEqualTo(ClusterTopology.slot("ws:{room}:b"))
                .isNotEqualTo(ClusterTopology.slot("ws:other"));

        assertThat(wires(SubscribeCommands.commands(entries, true, 1000)))
                .containsExactly(List.of("ws:{room}:a", "ws:{room}:b"), List.of("ws:other"));
    }

    @Test
    void classicCommandsMixSlots() {
        List<ChannelEntry> entries = List.of(entry("ws:a"), entry("ws:b"), entry("ws:c"));

        assertThat(wires(SubscribeCommands.commands(entries, false, 1000)))
                .containsExactly(List.of("ws:a", "ws:b", "ws:c"));
    }

    @Test
    void commandsAreChunked() {
        List<ChannelEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry("ws:{same}:" + i));
        }

        assertThat(wires(SubscribeCommands.commands(entries, true, 2)))
                .containsExactly(List.of("ws:{same}:0", "ws:{same}:1"), List.of("ws:{same}:2", "ws:{same}:3"),
                        List.of("ws:{same}:4"));
        assertThat(SubscribeCommands.commands(List.of(), true, 2)).isEmpty();
    }

    @Test
    void hostAndPortEntriesAreReadAndWritten() {
        assertThat(ClientConfigs.parse("h:7000").getHost()).isEqualTo("h");
        assertThat(ClientConfigs.parse("h:7000").getPort()).isEqualTo(7000);
        assertThat(ClientConfigs.parse("[::1]:26379").getHost()).isEqualTo("::1");
        assertThat(ClientConfigs.format(ClientConfigs.parse("[::1]:26379"))).isEqualTo("[::1]:26379");
        assertThat(ClientConfigs.format(ClientConfigs.parse("10.0.0.1:6379"))).isEqualTo("10.0.0.1:6379");
    }
}
