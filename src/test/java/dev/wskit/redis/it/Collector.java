package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.MessageHandler;

/** A handler that records what it receives, read with bounded polls. */
final class Collector implements MessageHandler {

    record Received(String channel, Object message) {
    }

    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, Object message) {
        queue.add(new Received(channel, message));
    }

    Received next() {
        return next(Duration.ofSeconds(10));
    }

    Received next(Duration timeout) {
        try {
            Received received = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(received).as("a message within " + timeout).isNotNull();
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Received poll(Duration timeout) {
        try {
            return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Received pollNow() {
        return queue.poll();
    }

    int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
    }
}
