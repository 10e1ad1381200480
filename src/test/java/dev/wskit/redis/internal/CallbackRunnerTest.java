package dev.wskit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Callbacks run one at a time, in order; while the queue is full they are dropped and counted. */
class CallbackRunnerTest {

    private static final long WAIT_SECONDS = 10;

    private final CallbackRunner runner = new CallbackRunner(2, System.getLogger("test"), "[test] ");
    private final Thread thread = new Thread(runner, "callbacks");
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        runner.stop();
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void runsInOrderAndCountsWhatAFullQueueDrops() throws InterruptedException {
        thread.start();
        assertThat(runner.submit(this::blockAsFirst)).isTrue();
        assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.submit(() -> ran.add("second"))).isTrue();
        CountDownLatch thirdRan = new CountDownLatch(1);
        assertThat(runner.submit(() -> {
            ran.add("third");
            thirdRan.countDown();
        })).isTrue();

        assertThat(runner.submit(() -> ran.add("dropped"))).isFalse();
        assertThat(runner.dropped()).isEqualTo(1);

        release.countDown();
        assertThat(thirdRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(runner.dropped()).isEqualTo(1);
    }

    @Test
    void aCallbackThatThrowsDoesNotStopTheOthers() throws InterruptedException {
        thread.start();
        CountDownLatch after = new CountDownLatch(1);
        runner.submit(() -> {
            throw new IllegalStateException("a failing callback");
        });
        runner.submit(after::countDown);
        assertThat(after.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void nothingRunsAfterStop() {
        runner.stop();
        assertThat(runner.submit(() -> ran.add("late"))).isFalse();
        assertThat(runner.dropped()).isZero();
    }

    private void blockAsFirst() {
        ran.add("first");
        running.countDown();
        try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
