package dev.wskit.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatClient;
import dev.wskit.examples.testkit.Wait;

/**
 * One WildFly, one Payara Micro and one Open Liberty instance on one Redis: every message sent through any of them
 * reaches the clients of all three, in the order each sender sent them.
 */
@ExtendWith(MixedCluster.Resolver.class)
class MixedClusterIT {

    private static final int MESSAGES_PER_SENDER = 200;
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ChatClient::close);
    }

    @Test
    void everyMessageReachesAllThreeServersInOrderPerSender(MixedCluster cluster) throws Exception {
        // per server: one client that sends and receives, one that only listens
        Map<AppServer, ChatClient> senders = new LinkedHashMap<>();
        List<ChatClient> everyone = new ArrayList<>();
        for (AppServer s : cluster.servers()) {
            ChatClient sender = ChatClient.connect(s.name() + "-sender", s.chat("lobby"));
            ChatClient listener = ChatClient.connect(s.name() + "-listener", s.chat("lobby"));
            clients.add(sender);
            clients.add(listener);
            senders.put(s, sender);
            everyone.add(sender);
            everyone.add(listener);
        }
        cluster.redis.awaitNumsub("chat:lobby", 3, Duration.ofSeconds(60));
        // the instances started before Redis: each one's publisher connection comes up on its own schedule, and a
        // publish fails fast (the message is dropped) until it is there
        Wait.until("the publisher connections of the 3 instances", Duration.ofSeconds(60),
                () -> cluster.redis.clientsNamed("wskit-redis-pubsub-pub") == 3);

        // the three senders at once, each as fast as its client sends
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        try {
            List<Future<?>> sending = new ArrayList<>();
            senders.forEach((server, client) -> sending.add(pool.submit(() -> {
                for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                    client.send(server.name() + ":" + i);
                }
            })));
            for (Future<?> f : sending) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        int total = MESSAGES_PER_SENDER * senders.size();
        for (ChatClient client : everyone) {
            List<String> received = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                received.add(client.await("message " + (i + 1) + " of " + total + " (has " + received.size() + ")",
                        m -> true, DELIVERY));
            }
            for (AppServer from : senders.keySet()) {
                List<String> fromSender = received.stream().filter(m -> m.startsWith(from.name() + ":")).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                    expected.add(from.name() + ":" + i);
                }
                assertThat(fromSender).as("what %s received from %s, in order", client, from)
                        .containsExactlyElementsOf(expected);
            }
            assertThat(client.poll(Duration.ofMillis(200))).as("%s received more than was sent", client).isNull();
        }
    }
}
