package dev.wskit.redis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/** The examples of the README's "Testing" section, as written there. */
class ReadmeExamplesTest {

    public record Order(String id, int quantity) {
    }

    static final class OrderService {

        private final RedisPubSub pubsub;

        OrderService(RedisPubSub pubsub) {
            this.pubsub = pubsub;
        }

        void place(Order order) {
            pubsub.publish("orders", order);
        }
    }

    @ServerEndpoint("/chat/{room}")
    public static class ChatEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean mayJoin(Session session, String channel) {
            return !channel.equals("staff") || session.getUserPrincipal().getName().equals("boss");
        }
    }

    @Test
    void placingAnOrderAnnouncesIt() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();          // or .create(yourProductionOptions)
        List<Object> announced = new ArrayList<>();
        pubsub.subscribe("orders", (channel, message) -> announced.add(message));

        new OrderService(pubsub).place(new Order("42", 3));                  // your code calls pubsub.publish

        assertThat(announced).containsExactly(Map.of("id", "42", "quantity", new BigDecimal("3")));   // no waiting
        assertThat(pubsub.broker().messages())                               // the wire: channel, payload
                .containsExactly(new InMemoryRedisPubSub.Broker.Message("ws:orders",
                        "{\"id\":\"42\",\"quantity\":3}"));
    }

    @Test
    void onlyStaffMayEnterTheStaffRoom() {
        InMemoryRedisPubSub pubsub = InMemoryRedisPubSub.create();
        EndpointTester chat = EndpointTester.of(ChatEndpoint::new, pubsub);   // one instance per session

        EndpointTester.Client ann = chat.connection().pathParameter("room", "staff").user("ann").open();
        EndpointTester.Client boss = chat.connection().pathParameter("room", "staff").user("boss").open();
        boss.send("meeting at 10");

        assertThat(ann.closeReason().getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
        assertThat(boss.received()).containsExactly("meeting at 10");
        assertThat(chat.stats().refused()).isEqualTo(1);
    }
}
