package dev.wskit.redis.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testkit.InMemoryRedisPubSub;

/** The contract against {@link InMemoryRedisPubSub}: all instances of a test on one broker. */
class InMemoryRedisPubSubContractTest extends RedisPubSubContract {

    private final InMemoryRedisPubSub.Broker broker = InMemoryRedisPubSub.Broker.create();

    @Override
    protected RedisPubSub connect(Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder();
        customizer.accept(builder);
        return broker.connect(builder.build());
    }

    @Override
    protected long numsub(String wireChannel) {
        return broker.numsub(wireChannel);
    }

    @Override
    protected long numpat() {
        return broker.numpat();
    }

    @Override
    protected void publishRaw(String wireChannel, String payload) {
        broker.publish(wireChannel, payload);
    }

    @Override
    protected void interruptSubscriber(RedisPubSub pubsub, String clientName) {
        InMemoryRedisPubSub instance = (InMemoryRedisPubSub) pubsub;
        instance.simulateDisconnect();
        instance.simulateReconnect();
    }

    @Override
    protected RawSubscriber rawSubscribe(String wireChannel) {
        int start = broker.messages().size();
        return new RawSubscriber() {
            private int next = start;

            @Override
            public String next() {
                // delivery is synchronous: what was published is recorded already
                List<InMemoryRedisPubSub.Broker.Message> messages = broker.messages();
                while (next < messages.size()) {
                    InMemoryRedisPubSub.Broker.Message m = messages.get(next++);
                    if (m.channel().equals(wireChannel)) {
                        return m.payload();
                    }
                }
                assertThat(messages).as("a payload on " + wireChannel).isEmpty();
                throw new AssertionError("no payload on " + wireChannel);
            }

            @Override
            public void close() {
            }
        };
    }
}
