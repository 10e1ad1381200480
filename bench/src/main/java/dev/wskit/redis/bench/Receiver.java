package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;

/**
 * The receiving instance, run as a separate process. Commands on stdin, answers on stdout, one line each:
 * {@code COUNT} → {@code COUNT n}; {@code RESET} → {@code OK}; {@code REPORT} → {@code HIST count p50 p99 p999 max}
 * (microseconds); {@code QUIT}.
 *
 * <p>Latency payloads start with the publisher's intended send time ({@code System.nanoTime()}, which is the
 * machine-wide monotonic clock on Linux, so it is comparable across processes on one host) followed by {@code :}.
 */
public final class Receiver {

    private Receiver() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String channel = args[1];
        LongAdder count = new LongAdder();
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Object lock = new Object();
        try (RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(url).namespace("bench")
                .clientName("bench-receiver").build())) {
            pubsub.subscribe(channel, String.class, (ch, payload) -> {
                long now = System.nanoTime();
                count.increment();
                int colon = payload.indexOf(':');
                if (colon > 0 && colon < 20) {
                    long sent = parseLong(payload, colon);
                    if (sent > 0) {
                        synchronized (lock) {
                            histogram.recordValue(Math.max(0, Math.min(now - sent, histogram.getHighestTrackableValue())));
                        }
                    }
                }
            }).ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line) {
                    case "COUNT" -> System.out.println("COUNT " + count.sum());
                    case "RESET" -> {
                        count.reset();
                        synchronized (lock) {
                            histogram.reset();
                        }
                        System.out.println("OK");
                    }
                    case "REPORT" -> {
                        synchronized (lock) {
                            System.out.println("HIST " + histogram.getTotalCount()
                                    + " " + micros(histogram.getValueAtPercentile(50))
                                    + " " + micros(histogram.getValueAtPercentile(99))
                                    + " " + micros(histogram.getValueAtPercentile(99.9))
                                    + " " + micros(histogram.getMaxValue()));
                        }
                    }
                    case "QUIT" -> {
                        return;
                    }
                    default -> System.out.println("ERR unknown command " + line);
                }
                System.out.flush();
            }
        }
    }

    private static long parseLong(String s, int end) {
        long value = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
