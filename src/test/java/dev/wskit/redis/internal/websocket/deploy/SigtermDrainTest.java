package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The drain on SIGTERM, with the JVM's signals replaced: what is installed and put back, a drain run once before the
 * signal goes on to the handler before it, also when a second signal comes during the drain.
 */
class SigtermDrainTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    /** The JVM's SIGTERM handler slot, in memory. */
    static final class FakeSignals implements SigtermDrain.Signals {
        static final Object JVM = "the JVM's handler";
        static final Object IGNORE = "SIG_IGN";

        Object current = JVM;
        Runnable onSignal;
        final List<Object> forwarded = new ArrayList<>();
        boolean fail;

        @Override
        public synchronized SigtermDrain.Installed install(Runnable run) throws Exception {
            if (fail) {
                throw new IllegalArgumentException("Signal already used by VM or OS: SIGTERM");
            }
            Object ours = new Object();
            onSignal = run;
            Object previous = current;
            current = ours;
            return new SigtermDrain.Installed(ours, previous);
        }

        @Override
        public synchronized Object restore(Object handler) {
            Object replaced = current;
            current = handler;
            return replaced;
        }

        @Override
        public boolean ignores(Object handler) {
            return handler == IGNORE;
        }

        @Override
        public synchronized void forward(Object handler) {
            forwarded.add(handler);
        }

        synchronized List<Object> forwarded() {
            return List.copyOf(forwarded);
        }

        /** Deliver SIGTERM on a thread of its own, as the JVM does. */
        CompletableFuture<Void> signal() {
            Runnable run;
            synchronized (this) {
                run = onSignal;
            }
            return CompletableFuture.runAsync(run);
        }
    }

    @Test
    void theHandlerIsInstalledWithTheFirstDrainAndPutBackWithTheLast() {
        FakeSignals signals = new FakeSignals();
        SigtermDrain drain = new SigtermDrain(signals);

        SigtermDrain.Registration a = drain.register("a", () -> { }, BOUND);
        Object ours = signals.current;
        SigtermDrain.Registration b = drain.register("b", () -> { }, BOUND);

        assertThat(ours).isNotEqualTo(FakeSignals.JVM);
        assertThat(signals.current).as("installed once").isSameAs(ours);
        a.close();
        assertThat(signals.current).as("b still drains").isSameAs(ours);
        b.close();
        assertThat(signals.current).isSameAs(FakeSignals.JVM);
        assertThat(drain.installed()).isFalse();
    }

    @Test
    void aSignalRunsEveryDrainOnceThenPassesItOnToTheHandlerBefore() throws Exception {
        FakeSignals signals = new FakeSignals();
        SigtermDrain drain = new SigtermDrain(signals);
        List<String> ran = new ArrayList<>();
        drain.register("a", () -> ran.add("a"), BOUND);
        drain.register("b", () -> ran.add("b"), BOUND);

        signals.signal().get(10, TimeUnit.SECONDS);
        signals.signal().get(10, TimeUnit.SECONDS);

        assertThat(ran).containsExactly("a", "b");
        assertThat(signals.forwarded()).containsExactly(FakeSignals.JVM, FakeSignals.JVM);
    }

    @Test
    void aSecondSignalDuringTheDrainWaitsForItBeforePassingItOn() throws Exception {
        FakeSignals signals = new FakeSignals();
        SigtermDrain drain = new SigtermDrain(signals);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        drain.register("slow", () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, BOUND);

        CompletableFuture<Void> first = signals.signal();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = signals.signal();

        // neither signal goes on while the drain runs
        assertThat(catchTimeout(second)).as("the second signal during the drain").isTrue();
        assertThat(signals.forwarded()).isEmpty();
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        assertThat(runs).hasValue(1);
        assertThat(signals.forwarded()).containsExactly(FakeSignals.JVM, FakeSignals.JVM);
    }

    /** Whether the future is still not done after a short, bounded wait (it must not be: it waits for a latch). */
    private static boolean catchTimeout(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(200, TimeUnit.MILLISECONDS);
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return true;
        }
    }

    @Test
    void aFailingDrainStillPassesTheSignalOn() throws Exception {
        FakeSignals signals = new FakeSignals();
        SigtermDrain drain = new SigtermDrain(signals);
        List<String> ran = new ArrayList<>();
        drain.register("broken", () -> {
            throw new IllegalStateException("broken");
        }, BOUND);
        drain.register("b", () -> ran.add("b"), BOUND);

        signals.signal().get(10, TimeUnit.SECONDS);

        assertThat(ran).containsExactly("b");
        assertThat(signals.forwarded()).containsExactly(FakeSignals.JVM);
    }

    @Test
    void aJvmThatIgnoresSigtermKeepsIgnoringIt() {
        FakeSignals signals = new FakeSignals();
        signals.current = FakeSignals.IGNORE;
        SigtermDrain drain = new SigtermDrain(signals);

        drain.register("a", () -> { }, BOUND);

        assertThat(signals.current).isSameAs(FakeSignals.IGNORE);
        assertThat(drain.installed()).isFalse();
    }

    @Test
    void whereSignalsCannotBeHandledTheDrainIsLeftToTheApplicationsStop() {
        FakeSignals signals = new FakeSignals();
        signals.fail = true;
        SigtermDrain failing = new SigtermDrain(signals);
        SigtermDrain none = new SigtermDrain(null);

        failing.register("a", () -> { }, BOUND).close();
        none.register("a", () -> { }, BOUND).close();

        assertThat(failing.installed()).isFalse();
        assertThat(none.installed()).isFalse();
        assertThat(signals.current).isSameAs(FakeSignals.JVM);
    }

    @Test
    void aHandlerInstalledOverThisOneStaysAndThisOnePassesTheSignalOn() throws Exception {
        FakeSignals signals = new FakeSignals();
        SigtermDrain drain = new SigtermDrain(signals);
        AtomicInteger runs = new AtomicInteger();
        SigtermDrain.Registration a = drain.register("a", runs::incrementAndGet, BOUND);
        Runnable ourHandler = signals.onSignal;
        Object other = "another application's handler";
        signals.current = other;

        a.close();

        assertThat(signals.current).as("the other handler stays").isSameAs(other);
        // the other handler passes the signal on to this one, which has nothing to drain any more
        CompletableFuture.runAsync(ourHandler).get(10, TimeUnit.SECONDS);
        assertThat(runs).hasValue(0);
        assertThat(signals.forwarded()).containsExactly(FakeSignals.JVM);
    }

    @Test
    void theJdkSignalsAreReachable() {
        assertThat(SigtermDrain.JdkSignals.create()).as("sun.misc.Signal on this JDK").isNotNull();
    }
}
