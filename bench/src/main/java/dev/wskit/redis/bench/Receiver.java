package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.Subscription;

/**
 * The receiving instance, run as a separate process. Commands on stdin, answers on stdout, one line each:
 * With a third argument {@code raw} it subscribes with a plain Jedis {@code JedisPubSub} instead of this library (the
 * latency baseline); with {@code history} it subscribes with {@code subscribeWithHistory} from the channel's current
 * position (the {@code recovery} scenario's rows with history). {@code COUNT} → {@code COUNT n}; {@code RESET} → {@code OK};
 * {@code REPORT} → {@code HIST count p50 p99 p999 max} {@code p50 p99 p999 max} (microseconds; from the intended,
 * then from the actual send time); {@code LOST} → {@code LOST losses messages} (what {@code HistoryHandler.onLoss}
 * reported since the last {@code RESET}; 0 without history); {@code REPLAY channel offset:epoch target} → a fresh
 * {@code subscribeWithHistory(channel, String.class, offset:epoch, …)}, timed from the call until the message at
 * offset {@code target} was handled, then closed: {@code REPLAYED delivered nanosToLast nanosToFirst losses
 * outOfOrder} (see {@link #replay}; the {@code recovery} scenario's resuming instance); {@code QUIT}.
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
        String mode = args.length > 2 ? args[2] : "";
        boolean raw = "raw".equals(mode);
        LongAdder losses = new LongAdder();
        LongAdder lostMessages = new LongAdder();
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
            } else if ("history".equals(mode)) {
                pubsub.subscribeWithHistory(channel, String.class, null, new HistoryHandler<String>() {
                    @Override
                    public void onMessage(String ch, String payload, StreamPosition position) {
                        record.accept(payload);
                    }

                    @Override
                    public void onLoss(MessageLoss loss) {
                        losses.increment();
                        lostMessages.add(lostMessages(loss));
                    }
                }).ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } else {
                pubsub.subscribe(channel, String.class, (ch, payload) -> record.accept(payload))
                        .ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("REPLAY ")) {
                    String[] a = line.split(" ");
                    System.out.println(replay(pubsub, a[1], StreamPosition.parse(a[2]), Long.parseLong(a[3])));
                    System.out.flush();
                    continue;
                }
                switch (line) {
                    case "COUNT" -> System.out.println("COUNT " + count.sum());
                    case "LOST" -> System.out.println("LOST " + losses.sum() + " " + lostMessages.sum());
                    case "RESET" -> {
                        count.reset();
                        losses.reset();
                        lostMessages.reset();
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

    /**
     * A resuming receiver: a fresh {@code subscribeWithHistory} from {@code since} on this instance, timed from the
     * call until the handler got the message at offset {@code target} (or nothing arrived for 10 s), then closed.
     * Returns {@code REPLAYED delivered nanosToLast nanosToFirst losses outOfOrder}, {@code outOfOrder} counting the
     * messages whose offset was not the one after the previous (0 expected).
     */
    static String replay(RedisPubSub pubsub, String channel, StreamPosition since, long target) throws Exception {
        LongAdder delivered = new LongAdder();
        LongAdder losses = new LongAdder();
        LongAdder outOfOrder = new LongAdder();
        long[] previous = {since.offset()};
        AtomicLong first = new AtomicLong();
        AtomicLong end = new AtomicLong();
        CountDownLatch caughtUp = new CountDownLatch(1);
        long start = System.nanoTime();
        // the handler runs on the instance's history thread, one message at a time
        Subscription subscription = pubsub.subscribeWithHistory(channel, String.class, since,
                new HistoryHandler<String>() {
                    @Override
                    public void onMessage(String ch, String payload, StreamPosition position) {
                        if (first.get() == 0) {
                            first.set(System.nanoTime());
                        }
                        if (position.offset() != previous[0] + 1) {
                            outOfOrder.increment();
                        }
                        previous[0] = position.offset();
                        delivered.increment();
                        if (position.offset() >= target && end.get() == 0) {
                            end.set(System.nanoTime());
                            caughtUp.countDown();
                        }
                    }

                    @Override
                    public void onLoss(MessageLoss loss) {
                        losses.increment();
                    }
                });
        try {
            long seen = -1;
            while (!caughtUp.await(10, TimeUnit.SECONDS)) {
                long now = delivered.sum();
                if (now == seen) {
                    break;
                }
                seen = now;
            }
        } finally {
            subscription.close();
        }
        long last = end.get();
        long firstAt = first.get();
        return "REPLAYED " + delivered.sum() + " " + (last == 0 ? -1 : last - start) + " "
                + (firstAt == 0 ? -1 : firstAt - start) + " " + losses.sum() + " " + outOfOrder.sum();
    }

    /** The messages a loss covers, when it says (the same epoch on both sides); else 0. */
    private static long lostMessages(MessageLoss loss) {
        if (loss.after() != null && loss.next() != null && loss.after().epoch().equals(loss.next().epoch())) {
            return Math.max(0, loss.next().offset() - loss.after().offset() - 1);
        }
        return 0;
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
