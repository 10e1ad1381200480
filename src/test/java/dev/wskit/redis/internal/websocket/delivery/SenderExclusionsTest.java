package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SenderExclusionsTest {

    private final AtomicLong clock = new AtomicLong();
    private final SenderExclusions<String> fifo =
            new SenderExclusions<>(3, TimeUnit.SECONDS.toNanos(10), clock::get);

    @Test
    void aPayloadComingBackNamesItsSenderOnce() {
        fifo.add("hello", "ann");

        assertThat(fifo.match("hello")).isEqualTo("ann");
        assertThat(fifo.match("hello")).isNull();
        assertThat(fifo.size()).isZero();
    }

    @Test
    void anotherPayloadIsNotOurs() {
        fifo.add("hello", "ann");

        assertThat(fifo.match("hi")).isNull();
        assertThat(fifo.size()).isOne();
    }

    @Test
    void equalPayloadsComeBackInPublishingOrder() {
        fifo.add("same", "ann");
        fifo.add("other", "bob");
        fifo.add("same", "cid");

        assertThat(fifo.match("same")).isEqualTo("ann");
        assertThat(fifo.match("other")).isEqualTo("bob");
        assertThat(fifo.match("same")).isEqualTo("cid");
    }

    @Test
    void anEntryWhosePayloadNeverCameBackDoesNotBlockLaterOnes() {
        fifo.add("lost", "ann");
        fifo.add("arrives", "bob");

        assertThat(fifo.match("arrives")).isEqualTo("bob");
        assertThat(fifo.size()).isOne();
    }

    @Test
    void removeTakesBackTheEntryOfAFailedPublish() {
        SenderExclusions.Entry entry = fifo.add("hello", "ann");
        fifo.add("hello", "bob");

        fifo.remove(entry);

        assertThat(fifo.match("hello")).isEqualTo("bob");
    }

    @Test
    void entriesExpireAfterTheTimeToLive() {
        fifo.add("old", "ann");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10) + 1);
        fifo.add("new", "bob");

        assertThat(fifo.match("old")).isNull();
        assertThat(fifo.match("new")).isEqualTo("bob");
    }

    @Test
    void aFullFifoDropsItsOldestEntry() {
        fifo.add("1", "a");
        fifo.add("2", "b");
        fifo.add("3", "c");
        fifo.add("4", "d");

        assertThat(fifo.size()).isEqualTo(3);
        assertThat(fifo.match("1")).isNull();
        assertThat(fifo.match("4")).isEqualTo("d");
    }
}
