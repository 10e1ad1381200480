package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;

/**
 * The receiving instance, run as a separate process. Commands on stdin, answers on stdout, one line each:
 * With a third argument {@code raw} it subscribes with a plain Jedis {@code JedisPubSub} instead of this library (the
 * latency baseline). {@code COUNT} → {@code COUNT n}; {@code RESET} → {@code OK}; {@code REPORT} → {@code HIST count p50 p99 p999 max}
 * {@code p50 p99 p999 max} (microseconds; from the intended, then from the actual send time); {@code QUIT}.
 *
 * <p>Latency payloads start with the publisher's intended send time ({@code System.nanoTime()}, which is the
 * machine-wide monotonic clock on Linux, so it is comparable across processes on one host) followed by {@code :},
 * then the time the publish call was made (the actual send time) followed by {@code :}.
 */
public final class Receiver {

    private Receiver() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String channel = args[1];
        LongAdder count = new LongAdder();
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram fromActual = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Object lock = new Object();
        boolean raw = args.length > 2 && "raw".equals(args[2]);
        java.util.function.Consumer<String> record = payload -> {
            long now = System.nanoTime();
            count.increment();
            int colon = payload.indexOf(':');
            if (colon > 0 && colon < 20) {
                long sent = parseLong(payload, 0, colon);
                int second = payload.indexOf(':', colon + 1);
                long actual = second > colon && second - colon <= 20 ? parseLong(payload, colon + 1, second) : -1;
                if (sent > 0) {
                    synchronized (lock) {
                        histogram.recordValue(Math.max(0, Math.min(now - sent, histogram.getHighestTrackableValue())));
                        if (actual > 0) {
                            fromActual.recordValue(Math.max(0, Math.min(now - actual,
                                    fromActual.getHighestTrackableValue())));
                        }
                    }
                }
            }
        };
        try (RedisPubSub pubsub = raw ? null : RedisPubSub.create(RedisPubSubOptions.builder().url(url)
                .namespace("bench").clientName("bench-receiver").build())) {
            if (raw) {
                // the baseline: a plain Jedis subscriber on its own thread, without this library
                Jedis jedis = new Jedis(URI.create(url), DefaultJedisClientConfig.builder()
                        .autoNegotiateProtocol(false).clientName("bench-receiver-raw").build());
                CountDownLatch subscribed = new CountDownLatch(1);
                JedisPubSub listener = new JedisPubSub() {
                    @Override
                    public void onMessage(String ch, String message) {
                        record.accept(message);
                    }

                    @Override
                    public void onSubscribe(String ch, int subscribedChannels) {
                        subscribed.countDown();
                    }
                };
                Thread subscriber = new Thread(() -> jedis.subscribe(listener, "bench:" + channel), "raw-subscriber");
                subscriber.setDaemon(true);
                subscriber.start();
                if (!subscribed.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the raw subscriber did not subscribe within 30 s");
                }
            } else {
                pubsub.subscribe(channel, String.class, (ch, payload) -> record.accept(payload))
                        .ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
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
                            fromActual.reset();
                        }
                        System.out.println("OK");
                    }
                    case "REPORT" -> {
                        synchronized (lock) {
                            System.out.println("HIST " + histogram.getTotalCount()
                                    + " " + micros(histogram.getValueAtPercentile(50))
                                    + " " + micros(histogram.getValueAtPercentile(99))
                                    + " " + micros(histogram.getValueAtPercentile(99.9))
                                    + " " + micros(histogram.getMaxValue())
                                    + " " + micros(fromActual.getValueAtPercentile(50))
                                    + " " + micros(fromActual.getValueAtPercentile(99))
                                    + " " + micros(fromActual.getValueAtPercentile(99.9))
                                    + " " + micros(fromActual.getMaxValue()));
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

    private static long parseLong(String s, int start, int end) {
        long value = 0;
        for (int i = start; i < end; i++) {
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
