package dev.wskit.redis.internal.websocket.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubException;

class RoomRegistryTest {

    private static final class Inbox implements RoomRegistry.Member {

        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(String text) {
            received.add(text);
        }
    }

    private final FakePubSub pubsub = new FakePubSub();
    private final RoomRegistry rooms = new RoomRegistry(pubsub);

    @Test
    void theFirstMemberSubscribesAndTheLastOneUnsubscribes() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();

        rooms.join(ann, "lobby");
        rooms.join(bob, "lobby");
        assertThat(pubsub.subscribeCalls).hasValue(1);
        assertThat(pubsub.subscriptions()).isOne();

        rooms.leave(ann, "lobby");
        assertThat(pubsub.subscriptions()).isOne();
        rooms.leave(bob, "lobby");

        assertThat(pubsub.subscriptions()).isZero();
        assertThat(rooms.channelCount()).isZero();
    }

    @Test
    void aMessageReachesEveryMemberOfItsChannelOnly() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        Inbox cid = new Inbox();
        rooms.join(ann, "lobby");
        rooms.join(bob, "lobby");
        rooms.join(cid, "kitchen");

        pubsub.deliver("lobby", "{\"text\":\"hi\"}");

        assertThat(ann.received).containsExactly("{\"text\":\"hi\"}");
        assertThat(bob.received).containsExactly("{\"text\":\"hi\"}");
        assertThat(cid.received).isEmpty();
    }

    @Test
    void aMemberOfSeveralChannelsGetsTheMessagesOfEachAndLeavingOneKeepsTheOthers() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        rooms.join(ann, "lobby");
        rooms.join(ann, "kitchen");
        rooms.join(bob, "kitchen");

        pubsub.deliver("lobby", "in the lobby");
        pubsub.deliver("kitchen", "in the kitchen");
        rooms.leave(ann, "kitchen");
        pubsub.deliver("kitchen", "after ann left");
        pubsub.deliver("lobby", "still in the lobby");

        assertThat(ann.received).containsExactly("in the lobby", "in the kitchen", "still in the lobby");
        assertThat(bob.received).containsExactly("in the kitchen", "after ann left");
        assertThat(rooms.channels()).containsExactlyInAnyOrder("lobby", "kitchen");
        assertThat(rooms.members("kitchen")).containsExactly(bob);
        assertThat(pubsub.subscriptions()).isEqualTo(2);
    }

    @Test
    void theSnapshotsOfChannelsAndMembersDoNotFollowLaterChanges() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        rooms.join(ann, "lobby");
        Set<String> channels = rooms.channels();
        Set<RoomRegistry.Member> members = rooms.members("lobby");

        rooms.join(bob, "lobby");
        rooms.join(bob, "kitchen");

        assertThat(channels).containsExactly("lobby");
        assertThat(members).containsExactly(ann);
        assertThat(rooms.members("nowhere")).isEmpty();
    }

    @Test
    void aChannelJoinedAgainAfterItsLastMemberLeftTakesANewSubscription() {
        Inbox ann = new Inbox();
        rooms.join(ann, "lobby");
        rooms.leave(ann, "lobby");

        rooms.join(ann, "lobby");
        pubsub.deliver("lobby", "back");

        assertThat(pubsub.subscribeCalls).hasValue(2);
        assertThat(pubsub.subscriptions()).isOne();
        assertThat(ann.received).containsExactly("back");
    }

    @Test
    void joinReturnsTheRoomsOwnInstanceOfTheChannelName() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        String first = new String("lobby");
        String second = new String("lobby");

        String annKeeps = rooms.join(ann, first);
        String bobKeeps = rooms.join(bob, second);

        assertThat(annKeeps).isEqualTo("lobby").isSameAs(first);
        assertThat(bobKeeps).isSameAs(first).isNotSameAs(second);
    }

    @Test
    void joiningTwiceAndLeavingAChannelNotJoinedChangeNothing() {
        Inbox ann = new Inbox();
        rooms.join(ann, "lobby");
        rooms.join(ann, "lobby");
        rooms.leave(ann, "kitchen");

        pubsub.deliver("lobby", "once");

        assertThat(ann.received).containsExactly("once");
        assertThat(rooms.members("lobby")).containsExactly(ann);
    }

    @Test
    void publishExceptSkipsTheSenderWhenThePayloadComesBack() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        rooms.join(ann, "lobby");
        rooms.join(bob, "lobby");

        rooms.publishExcept(ann, "lobby", "from ann");
        pubsub.deliver("lobby", "from ann");
        pubsub.deliver("lobby", "from ann"); // the same text from another instance

        assertThat(pubsub.published).containsExactly(new FakePubSub.Published("lobby", "from ann"));
        assertThat(ann.received).containsExactly("from ann");
        assertThat(bob.received).containsExactly("from ann", "from ann");
        assertThat(rooms.excluded()).isOne();
    }

    @Test
    void aFailedPublishForgetsItsExclusion() {
        Inbox ann = new Inbox();
        rooms.join(ann, "lobby");
        pubsub.publishFailure = new RedisPubSubException("not connected");

        rooms.publishExcept(ann, "lobby", "lost");
        pubsub.publishFailure = null;
        pubsub.deliver("lobby", "lost"); // someone else's equal message

        assertThat(ann.received).containsExactly("lost");
    }

    @Test
    void publishExceptFromOutsideTheChannelIsAPlainPublish() {
        Inbox ann = new Inbox();
        Inbox bob = new Inbox();
        rooms.join(bob, "lobby");

        rooms.publishExcept(ann, "lobby", "hello");
        pubsub.deliver("lobby", "hello");

        assertThat(bob.received).containsExactly("hello");
        assertThat(rooms.excluded()).isZero();
    }

    @Test
    void anInvalidChannelLeavesNoTrace() {
        Inbox ann = new Inbox();

        assertThatThrownBy(() -> rooms.join(ann, "not valid")).isInstanceOf(IllegalArgumentException.class);

        assertThat(rooms.channelCount()).isZero();
    }

    @Test
    void aMemberThatThrowsDoesNotKeepOthersFromTheirMessage() {
        Inbox ann = new Inbox();
        rooms.join(text -> {
            throw new IllegalStateException("boom");
        }, "lobby");
        rooms.join(ann, "lobby");

        pubsub.deliver("lobby", "still here");

        assertThat(ann.received).containsExactly("still here");
    }

    @Test
    void concurrentJoinsAndLeavesLeaveNoSubscriptionBehind() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            int members = 2000;
            CountDownLatch done = new CountDownLatch(members);
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                inboxes.add(new Inbox());
            }
            for (int i = 0; i < members; i++) {
                Inbox inbox = inboxes.get(i);
                String channel = "room-" + (i % 7);
                threads.execute(() -> {
                    for (int round = 0; round < 20; round++) {
                        rooms.join(inbox, channel);
                        rooms.leave(inbox, channel);
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(rooms.channelCount()).isZero();
            assertThat(pubsub.subscriptions()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }
}
