package dev.wskit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The instance's connection state: each transition fires once, in order, and none is lost to a race. */
class ConnectionStateTest {

    private final AtomicBoolean subscriberUp = new AtomicBoolean();
    private final AtomicBoolean publisherUp = new AtomicBoolean();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** The state under test, for a thread started from inside its check. */
    private final ConnectionState[] stateRef = new ConnectionState[1];
    private final ConnectionState state = new ConnectionState(() -> subscriberUp.get() && publisherUp.get(),
            () -> events.add("connected"), () -> events.add("disconnected"));

    @Test
    void connectedOnlyOnceEveryConnectionIsUp() {
        subscriberUp.set(true);
        state.update();
        assertThat(state.state()).isEqualTo(ConnectionState.State.CONNECTING);

        publisherUp.set(true);
        state.update();
        state.update();

        assertThat(state.state()).isEqualTo(ConnectionState.State.CONNECTED);
        assertThat(events).containsExactly("connected");
    }

    @Test
    void aLostConnectionIsOneDisconnectionAndTheReturnOneConnection() {
        subscriberUp.set(true);
        publisherUp.set(true);
        state.update();

        publisherUp.set(false);
        state.update();
        subscriberUp.set(false);
        state.update();
        subscriberUp.set(true);
        state.update();
        publisherUp.set(true);
        state.update();

        assertThat(events).containsExactly("connected", "disconnected", "connected");
    }

    @Test
    void aConnectionLostWhileTheConnectionIsBeingReportedIsReportedRightAfter() throws Exception {
        // the publisher drops between the check "both up" and the transition: its thread reports the loss while
        // the subscriber's thread is reporting the connection
        CompletableFuture<Void> lossReported = new CompletableFuture<>();
        AtomicBoolean first = new AtomicBoolean(true);
        ConnectionState racing = new ConnectionState(() -> {
            boolean up = subscriberUp.get() && publisherUp.get();
            if (up && first.getAndSet(false)) {
                publisherUp.set(false);
                Thread publisherThread = new Thread(() -> {
                    stateRef[0].update();
                    lossReported.complete(null);
                });
                publisherThread.start();
                // the loss is reported now: that thread either ends its report or waits for this one to end
                await().atMost(Duration.ofSeconds(10)).until(() -> publisherThread.getState() == Thread.State.BLOCKED
                        || publisherThread.getState() == Thread.State.TERMINATED);
            }
            return up;
        }, () -> events.add("connected"), () -> events.add("disconnected"));
        stateRef[0] = racing;
        subscriberUp.set(true);
        publisherUp.set(true);

        racing.update();
        lossReported.get(10, TimeUnit.SECONDS);

        assertThat(events).containsExactly("connected", "disconnected");
        assertThat(racing.state()).isEqualTo(ConnectionState.State.DISCONNECTED);
    }

    @Test
    void nothingHappensAfterDestroy() {
        state.destroy();
        subscriberUp.set(true);
        publisherUp.set(true);
        state.update();

        assertThat(events).isEmpty();
        assertThat(state.state()).isEqualTo(ConnectionState.State.DESTROYED);
    }
}
