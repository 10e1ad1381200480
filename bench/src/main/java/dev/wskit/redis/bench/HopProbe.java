package dev.wskit.redis.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a message of the {@code ws} scenario was seen inside a server process, for the per-hop attribution: each
 * probe point ({@link WsServer}: the sending endpoint on server A, the arrival from Redis on server B) calls
 * {@link #record(String)} with the payload, which keeps the payload's intended send time (its first stamp, unique per
 * message of a fixed-rate run) and {@link System#nanoTime()} (one {@code CLOCK_MONOTONIC} for every process on the
 * machine). The harness joins them with its own receive times by the intended send time.
 *
 * <p>Cost per message at the probe point: one {@code nanoTime}, parsing up to 20 digits, one atomic increment and two
 * array stores; nothing is allocated. Bounded: at most {@value #CAPACITY} messages between two resets, the rest only
 * counted.
 */
final class HopProbe {

    /** The most messages kept between two resets: four paths' 10 s runs at 50k msg/s, with room to spare. */
    static final int CAPACITY = 2_500_000;

    private static volatile long[] intended;
    private static volatile long[] seen;
    private static final AtomicInteger COUNT = new AtomicInteger();

    private HopProbe() {
    }

    /** Start recording anew (the arrays are allocated at the first reset, so a server that never probes has none). */
    static synchronized void reset() {
        if (intended == null) {
            intended = new long[CAPACITY];
            seen = new long[CAPACITY];
        }
        COUNT.set(0);
    }

    /** Note that a message was seen here now; does nothing before the first {@link #reset()} or for a probe text. */
    static void record(String payload) {
        long now = System.nanoTime();
        long[] in = intended;
        if (in == null) {
            return;
        }
        long stamp = stamp(payload);
        if (stamp <= 0) {
            return;
        }
        int i = COUNT.getAndIncrement();
        if (i < in.length) {
            in[i] = stamp;
            seen[i] = now;
        }
    }

    /**
     * Write the messages recorded since the last reset to a file: pairs of little-endian longs (intended send time,
     * time seen).
     *
     * @return how many were seen (more than written if over {@link #CAPACITY})
     */
    static synchronized int dump(Path file) throws IOException {
        int count = COUNT.get();
        long[] in = intended;
        int n = in == null ? 0 : Math.min(count, in.length);
        ByteBuffer buffer = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buffer.putLong(in[i]).putLong(seen[i]);
        }
        buffer.flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return count;
    }

    /** The first stamp of a payload ({@code <intended>:...}), or -1. */
    static long stamp(String payload) {
        long value = 0;
        int n = Math.min(payload.length(), 20);
        for (int i = 0; i < n; i++) {
            char c = payload.charAt(i);
            if (c == ':') {
                return i == 0 ? -1 : value;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return -1;
    }
}
