package dev.wskit.redis.internal.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import dev.wskit.redis.History;
import dev.wskit.redis.StreamPosition;

/**
 * The histories of the in-memory implementation, shared by the instances of one broker as Redis shares them: per
 * channel an epoch, the last offset and the last {@code size} messages (times to live are not applied). An append
 * publishes the envelope through the broker while it holds the channel's lock, so offsets and the order on the channel
 * agree. {@link #reset(String)} drops a channel's history, as Redis losing it would.
 *
 * <p>Thread-safe; the futures are complete when returned.
 */
public final class MemoryHistoryStore {

    private final BiConsumer<String, byte[]> publish;
    private final Map<String, Log> logs = new HashMap<>();

    /** @param publish publishes a payload on a channel (on the wire) through the broker */
    public MemoryHistoryStore(BiConsumer<String, byte[]> publish) {
        this.publish = publish;
    }

    /** The store as one instance sees it, with that instance's history size. */
    public HistoryStore forInstance(int size) {
        return new HistoryStore() {
            @Override
            public CompletableFuture<StreamPosition> append(String wire, String payload) {
                return CompletableFuture.completedFuture(MemoryHistoryStore.this.append(wire, payload, size));
            }

            @Override
            public CompletableFuture<History> read(String wire, StreamPosition since, int count) {
                return CompletableFuture.completedFuture(MemoryHistoryStore.this.read(wire, since, count));
            }
        };
    }

    /** Forget a channel's history: its next message starts a new epoch at offset 1. */
    public void reset(String wire) {
        synchronized (logs) {
            logs.remove(wire);
        }
    }

    private Log log(String wire) {
        synchronized (logs) {
            return logs.computeIfAbsent(wire, w -> new Log(HistoryScripts.newEpoch()));
        }
    }

    private StreamPosition append(String wire, String payload, int size) {
        Log log = log(wire);
        synchronized (log) {
            StreamPosition position = StreamPosition.of(++log.offset, log.epoch);
            log.entries.addLast(History.Entry.of(position, payload));
            while (log.entries.size() > size) {
                log.entries.removeFirst();
            }
            publish.accept(wire, Envelope.encode(position, payload).getBytes(StandardCharsets.UTF_8));
            return position;
        }
    }

    private History read(String wire, StreamPosition since, int count) {
        Log log = log(wire);
        synchronized (log) {
            // a position of another epoch reads from the oldest kept
            long after = since == null || !since.epoch().equals(log.epoch) ? 0 : since.offset();
            List<History.Entry> entries = new ArrayList<>();
            for (History.Entry e : log.entries) {
                if (entries.size() >= count) {
                    break;
                }
                if (e.position().offset() > after) {
                    entries.add(e);
                }
            }
            return HistoryScripts.result(StreamPosition.of(log.offset, log.epoch), entries, since);
        }
    }

    private static final class Log {
        final String epoch;
        long offset;
        final ArrayDeque<History.Entry> entries = new ArrayDeque<>();

        Log(String epoch) {
            this.epoch = epoch;
        }
    }
}
