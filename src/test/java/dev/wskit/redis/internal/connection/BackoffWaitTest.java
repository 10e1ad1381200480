package dev.wskit.redis.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The wait between reconnect attempts: what ends it early and what does not. */
class BackoffWaitTest {

    private static final long LONG_MILLIS = TimeUnit.MINUTES.toMillis(10);

    @Test
    void aRetryRequestEndsAWaitInProgress() throws Exception {
        BackoffWait wait = new BackoffWait();
        long mark = wait.mark();
        CompletableFuture<Boolean> stopped = waitOnAnotherThread(wait, mark);

        wait.retryNow();

        assertThat(stopped.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aRetryRequestDuringTheFailedAttemptEndsTheWaitThatFollows() throws Exception {
        BackoffWait wait = new BackoffWait();
        long mark = wait.mark();
        wait.retryNow();

        assertThat(wait.await(LONG_MILLIS, mark)).isFalse();
    }

    @Test
    void aRetryRequestBeforeTheMarkDoesNotEndTheWait() throws Exception {
        BackoffWait wait = new BackoffWait();
        wait.retryNow();
        long mark = wait.mark();
        CompletableFuture<Boolean> stopped = waitOnAnotherThread(wait, mark);

        // the wait goes on until something that counts ends it
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !stopped.isDone());
        wait.stop();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).as("stopped").isTrue();
    }

    @Test
    void aWaitWithoutMarkIgnoresRetryRequests() throws Exception {
        BackoffWait wait = new BackoffWait();
        wait.retryNow();
        CompletableFuture<Boolean> stopped = waitOnAnotherThread(wait, -1);
        wait.retryNow();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !stopped.isDone());
        wait.kick();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).as("stopped").isFalse();
    }

    @Test
    void aKickBeforeTheWaitEndsTheNextWaitOnce() throws Exception {
        BackoffWait wait = new BackoffWait();
        wait.kick();

        assertThat(wait.await(LONG_MILLIS, wait.mark())).isFalse();
        assertThat(wait.await(1, wait.mark())).as("the kick is used up").isFalse();
    }

    @Test
    void theWaitEndsAfterTheDelay() throws Exception {
        assertThat(new BackoffWait().await(20, 0)).isFalse();
    }

    @Test
    void stopEndsEveryWaitForGood() throws Exception {
        BackoffWait wait = new BackoffWait();
        CompletableFuture<Boolean> stopped = waitOnAnotherThread(wait, wait.mark());

        wait.stop();

        assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wait.await(LONG_MILLIS, wait.mark())).isTrue();
    }

    /** Start {@code await(LONG_MILLIS, mark)} on a new thread and return once that thread waits. */
    private static CompletableFuture<Boolean> waitOnAnotherThread(BackoffWait wait, long mark) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(wait.await(LONG_MILLIS, mark));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "backoff-wait-test");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        return result;
    }
}
