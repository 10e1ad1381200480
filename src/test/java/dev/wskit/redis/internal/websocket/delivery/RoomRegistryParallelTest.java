package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Large rooms: one message handed to the members over several threads (see {@link RoomRegistry}). */
class RoomRegistryParallelTest {

    /** Remembers what it got and on which thread. */
    private static class Inbox implements RoomRegistry.Member {

        final List<String> received = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void deliver(String text) {
            received.add(text);
            threads.add(Thread.currentThread().getName());
        }
    }

    private final FakePubSub pubsub = new FakePubSub();
    private final ExecutorService pool = Executors.newFixedThreadPool(3, task -> new Thread(task, "helper"));

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static List<Inbox> join(RoomRegistry rooms, String channel, int n) {
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Inbox inbox = new Inbox();
            rooms.join(inbox, channel);
            inboxes.add(inbox);
        }
        return inboxes;
    }

    @Test
    void everyMemberOfALargeRoomGetsEveryMessageOnceAndInOrder() throws Exception {
        RoomRegistry rooms = new RoomRegistry(pubsub, pool, 4);
        // the first message waits on the calling thread until a helper delivered something: proves helpers share
        Thread caller = Thread.currentThread();
        CountDownLatch helped = new CountDownLatch(1);
        AtomicInteger waited = new AtomicInteger();
        RoomRegistry.Member gate = text -> {
            if (Thread.currentThread() != caller) {
                helped.countDown();
            } else if (waited.getAndIncrement() == 0) {
                try {
                    helped.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<Inbox> inboxes = join(rooms, "lobby", 4 * RoomRegistry.MIN_STRIPE + 3);
        for (Inbox inbox : inboxes.subList(0, 100)) {
            rooms.leave(inbox, "lobby");
            rooms.join(new GateThen(gate, inbox), "lobby");
        }
        List<String> sent = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            sent.add("m" + i);
            pubsub.deliver("lobby", "m" + i);
        }

        // deliver() returned: every member has every message already, no waiting needed
        for (Inbox inbox : inboxes) {
            assertThat(inbox.received).containsExactlyElementsOf(sent);
        }
        assertThat(rooms.parallelDeliveries()).isEqualTo(200);
        assertThat(helped.getCount()).as("a helper thread delivered part of a message").isZero();
        assertThat(rooms.helperStripes()).isPositive();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        inboxes.forEach(inbox -> threads.addAll(inbox.threads));
        assertThat(threads).contains("helper");
    }

    /** Passes a message through {@code gate} first. */
    private record GateThen(RoomRegistry.Member gate, RoomRegistry.Member then) implements RoomRegistry.Member {

        @Override
        public void deliver(String text) {
            gate.deliver(text);
            then.deliver(text);
        }
    }

    @Test
    void aSmallRoomIsDeliveredOnTheSubscriberThreadAlone() {
        AtomicInteger posted = new AtomicInteger();
        RoomRegistry rooms = new RoomRegistry(pubsub, task -> posted.incrementAndGet(), 4);
        List<Inbox> inboxes = join(rooms, "lobby", 2 * RoomRegistry.MIN_STRIPE - 1);

        pubsub.deliver("lobby", "hi");

        assertThat(posted).hasValue(0);
        assertThat(rooms.parallelDeliveries()).isZero();
        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).containsExactly("hi"));
    }

    @Test
    void anExecutorThatNeverRunsItsTasksCostsNoMessageAndHoldsFewTasks() {
        List<Runnable> neverRun = new ArrayList<>();
        RoomRegistry rooms = new RoomRegistry(pubsub, neverRun::add, 4);
        List<Inbox> inboxes = join(rooms, "lobby", 8 * RoomRegistry.MIN_STRIPE);

        for (int i = 0; i < 50; i++) {
            pubsub.deliver("lobby", "m" + i);
        }

        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).hasSize(50).startsWith("m0")
                .endsWith("m49"));
        assertThat(rooms.helperStripes()).isZero();
        // tasks that did not start are bounded by parallelism - 1: no queue grows with the messages
        assertThat(neverRun).hasSize(3);
        // a task that runs late finds nothing left to do and frees its place
        neverRun.forEach(Runnable::run);
        pubsub.deliver("lobby", "after");
        assertThat(neverRun).hasSize(6);
        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).hasSize(51).endsWith("after"));
    }

    @Test
    void aRejectingExecutorCostsNoMessage() {
        Executor rejecting = task -> {
            throw new RejectedExecutionException("shut down");
        };
        RoomRegistry rooms = new RoomRegistry(pubsub, rejecting, 4);
        List<Inbox> inboxes = join(rooms, "lobby", 4 * RoomRegistry.MIN_STRIPE);

        pubsub.deliver("lobby", "hi");

        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).containsExactly("hi"));
    }

    @Test
    void membersWhoJoinOrLeaveBetweenMessagesAreSeenByTheNextOne() {
        RoomRegistry rooms = new RoomRegistry(pubsub, pool, 2);
        List<Inbox> inboxes = join(rooms, "lobby", 2 * RoomRegistry.MIN_STRIPE);
        pubsub.deliver("lobby", "one");

        Inbox late = new Inbox();
        rooms.join(late, "lobby");
        Inbox leaving = inboxes.get(7);
        rooms.leave(leaving, "lobby");
        pubsub.deliver("lobby", "two");

        assertThat(late.received).containsExactly("two");
        assertThat(leaving.received).containsExactly("one");
        assertThat(inboxes.get(8).received).containsExactly("one", "two");
        assertThat(rooms.parallelDeliveries()).isEqualTo(2);
    }

    @Test
    void theSenderIsSkippedInALargeRoomToo() {
        RoomRegistry rooms = new RoomRegistry(pubsub, pool, 4);
        List<Inbox> inboxes = join(rooms, "lobby", 4 * RoomRegistry.MIN_STRIPE);
        Inbox sender = inboxes.get(inboxes.size() - 1);

        rooms.publishExcept(sender, "lobby", "from the sender");
        pubsub.deliver("lobby", "from the sender");

        assertThat(sender.received).isEmpty();
        assertThat(rooms.excluded()).isOne();
        assertThat(inboxes.subList(0, inboxes.size() - 1))
                .allSatisfy(inbox -> assertThat(inbox.received).containsExactly("from the sender"));
    }

    @Test
    void aMemberThatThrowsOnAHelperDoesNotKeepOthersFromTheirMessage() {
        RoomRegistry rooms = new RoomRegistry(pubsub, pool, 4);
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < 4 * RoomRegistry.MIN_STRIPE; i++) {
            if (i % 100 == 0) {
                rooms.join(text -> {
                    throw new IllegalStateException("boom");
                }, "lobby");
            }
            Inbox inbox = new Inbox();
            rooms.join(inbox, "lobby");
            inboxes.add(inbox);
        }

        pubsub.deliver("lobby", "still here");

        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).containsExactly("still here"));
    }

    @Test
    void aHelperThatStallsLeavesTheRestToTheSubscriberThread() {
        int n = 4 * RoomRegistry.MIN_STRIPE;
        Thread caller = Thread.currentThread();
        // the subscriber thread starts once a helper has taken its first member; that helper then stalls (as if
        // preempted) until the subscriber thread has handed the message to three quarters of the members: with one
        // share per thread, the subscriber thread would hand out its half and wait for the stalled helper's
        CountDownLatch helperStarted = new CountDownLatch(1);
        CountDownLatch callerDidThreeQuarters = new CountDownLatch(3 * n / 4);
        AtomicBoolean callerStarted = new AtomicBoolean();
        AtomicBoolean helperStalled = new AtomicBoolean();
        AtomicInteger byCaller = new AtomicInteger();
        RoomRegistry rooms = new RoomRegistry(pubsub, pool, 2);
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Inbox inbox = new Inbox() {
                @Override
                public void deliver(String text) {
                    if (Thread.currentThread() == caller) {
                        if (callerStarted.compareAndSet(false, true)) {
                            await(helperStarted);
                        }
                        byCaller.incrementAndGet();
                        callerDidThreeQuarters.countDown();
                    } else if (helperStalled.compareAndSet(false, true)) {
                        helperStarted.countDown();
                        await(callerDidThreeQuarters);
                    }
                    super.deliver(text);
                }
            };
            rooms.join(inbox, "lobby");
            inboxes.add(inbox);
        }

        pubsub.deliver("lobby", "hi");

        assertThat(inboxes).allSatisfy(inbox -> assertThat(inbox.received).containsExactly("hi"));
        assertThat(helperStalled).isTrue();
        assertThat(byCaller.get()).as("members the subscriber thread handed the message to").isGreaterThanOrEqualTo(
                3 * n / 4);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
