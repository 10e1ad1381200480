package dev.wskit.redis.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wskit.redis.RedisPubSub;

/** Publishes probe messages until one arrives, to measure how long an outage lasted. */
final class Probes {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Probes() {
    }

    /**
     * Wait for a stage at most 30 s, like {@code join()}: its result, or a {@code CompletionException} with its
     * failure (a {@code TimeoutException} when it did not complete in time).
     */
    static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /**
     * Publish probes through {@code from} every 25 ms until one reaches {@code to} on {@code channel}; publishes that
     * fail while Redis is unreachable are ignored.
     *
     * @return how long it took from the call
     */
    static Duration flowsAgain(RedisPubSub from, Collector to, String channel, Duration atMost) {
        long start = System.nanoTime();
        String prefix = "probe-" + SEQUENCE.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        await("a probe on " + channel + " to arrive").atMost(atMost).pollInterval(Duration.ofMillis(25)).until(() -> {
            from.publish(channel, prefix + n.incrementAndGet());
            Collector.Received r;
            while ((r = to.poll(Duration.ofMillis(20))) != null) {
                if (String.valueOf(r.message()).startsWith(prefix) && r.channel().equals(channel)) {
                    return true;
                }
            }
            return false;
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
