package dev.wskit.redis.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import dev.wskit.redis.testing.ManualClock;

/** The wait between reconnect attempts: what ends it early and what does not; in virtual time. */
class BackoffWaitTest {

    private static final long LONG_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final ManualClock clock = new ManualClock();
    private final BackoffWait wait = new BackoffWait(clock);

    @Test
    void theWaitEndsAfterTheDelayAndNotBefore() throws Exception {
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, wait.mark());

        clock.advanceMillis(LONG_MILLIS - 1);
        clock.awaitWaiting(waiter.thread);
        assertThat(waiter.result).as("ended a millisecond early").isNotDone();

        clock.advanceMillis(1);
        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aRetryRequestEndsAWaitInProgress() throws Exception {
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, wait.mark());

        wait.retryNow();

        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aRetryRequestDuringTheFailedAttemptEndsTheWaitThatFollows() throws Exception {
        long mark = wait.mark();
        wait.retryNow();

        assertThat(wait.await(LONG_MILLIS, mark)).isFalse();
    }

    @Test
    void aRetryRequestBeforeTheMarkDoesNotEndTheWait() throws Exception {
        wait.retryNow();
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, wait.mark());

        // only the delay ends it
        clock.advanceMillis(LONG_MILLIS - 1);
        clock.awaitWaiting(waiter.thread);
        assertThat(waiter.result).isNotDone();
        clock.advanceMillis(1);
        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aWaitWithoutMarkIgnoresRetryRequests() throws Exception {
        wait.retryNow();
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, -1);
        wait.retryNow();

        // the waiter wakes up, looks at the retry request and the new time, and waits on
        clock.advanceMillis(1);
        clock.awaitWaiting(waiter.thread);
        assertThat(waiter.result).isNotDone();

        wait.kick();
        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aKickEndsAWaitInProgress() throws Exception {
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, wait.mark());

        wait.kick();

        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aKickBeforeTheWaitEndsTheNextWaitOnce() throws Exception {
        wait.kick();

        assertThat(wait.await(LONG_MILLIS, wait.mark())).isFalse();

        // the kick is used up: the next wait lasts its delay
        Waiter waiter = waitOnAnotherThread(1, wait.mark());
        assertThat(waiter.result).isNotDone();
        clock.advanceMillis(1);
        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void stopEndsEveryWaitForGood() throws Exception {
        Waiter waiter = waitOnAnotherThread(LONG_MILLIS, wait.mark());

        wait.stop();

        assertThat(waiter.result.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wait.await(LONG_MILLIS, wait.mark())).isTrue();
    }

    private record Waiter(Thread thread, CompletableFuture<Boolean> result) {
    }

    /** Start {@code await(millis, mark)} on a new thread and return once that thread waits. */
    private Waiter waitOnAnotherThread(long millis, long mark) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(wait.await(millis, mark));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "backoff-wait-test");
        thread.setDaemon(true);
        thread.start();
        clock.awaitWaiting(thread);
        return new Waiter(thread, result);
    }
}
