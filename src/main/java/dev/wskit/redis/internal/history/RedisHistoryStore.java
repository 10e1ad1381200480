package dev.wskit.redis.internal.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.wskit.redis.History;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.publish.BatchWriter;

/**
 * The histories in Redis: the scripts of {@link HistoryScripts}, sent through the instance's publisher (pipelined
 * with the publishes, in order, on the master of the channel's slot). The futures complete on the publisher's reply
 * thread: the dispatcher moves what follows to its own thread.
 */
public final class RedisHistoryStore implements HistoryStore {

    /** Consecutive publishes with history in one batch go to Redis as one script call (same slot). */
    private static final Function<List<BatchWriter.Pending>, byte[][]> GROUPED = members -> {
        List<byte[][]> args = new ArrayList<>(members.size());
        for (BatchWriter.Pending m : members) {
            args.add(m.args());
        }
        return HistoryScripts.publishManyArgs(args);
    };

    private final Function<BatchWriter.Pending, CompletableFuture<Void>> submit;
    private final HistorySettings settings;
    private final boolean sharded;

    /**
     * @param submit queues a script call on the publisher
     * @param sharded whether the script publishes with {@code SPUBLISH}
     */
    public RedisHistoryStore(Function<BatchWriter.Pending, CompletableFuture<Void>> submit, HistorySettings settings,
            boolean sharded) {
        this.submit = submit;
        this.settings = settings;
        this.sharded = sharded;
    }

    @Override
    public CompletableFuture<StreamPosition> append(String wire, String payload) {
        HistoryKeys keys = HistoryKeys.of(wire);
        BatchWriter.Pending call = BatchWriter.Pending.groupable(HistoryScripts.publishArgs(keys,
                wire.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8), settings, sharded),
                keys.slot(), GROUPED);
        return submit.apply(call).thenApply(v -> HistoryScripts.publishReply(call.reply()));
    }

    @Override
    public CompletableFuture<History> read(String wire, StreamPosition since, int count) {
        HistoryKeys keys = HistoryKeys.of(wire);
        BatchWriter.Pending call = BatchWriter.Pending.script(HistoryScripts.readArgs(keys, since, count, settings),
                keys.slot(), false);
        return submit.apply(call).thenApply(v -> HistoryScripts.readReply(call.reply(), since));
    }
}
