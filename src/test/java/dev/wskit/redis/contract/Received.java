package dev.wskit.redis.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.TypedMessageHandler;

/** Records what handlers receive, read with bounded polls (the Redis implementation delivers on its own thread). */
final class Received implements MessageHandler {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Message(String channel, Object message) {
    }

    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, Object message) {
        queue.add(new Message(channel, message));
    }

    /** A typed handler that records into this queue. */
    <T> TypedMessageHandler<T> typed() {
        return (channel, message) -> queue.add(new Message(channel, message));
    }

    Message next() {
        try {
            Message m = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("a message within " + TIMEOUT).isNotNull();
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Object nextMessage() {
        return next().message();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
