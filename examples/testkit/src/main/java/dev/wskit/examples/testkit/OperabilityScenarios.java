package dev.wskit.examples.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What operators get on a server that offers MicroProfile Health and OpenTelemetry metrics (MicroProfile Telemetry):
 * one instance of the example WAR, configured the way its README shows, on a Redis of its own that the test stops and
 * starts again, and an {@link OtlpReceiver} the server's OpenTelemetry SDK pushes its metrics to.
 *
 * <p>The server is told through the environment, the same on every server (MicroProfile Config, and the SDK's own
 * variables on Open Liberty): {@code OTEL_SDK_DISABLED=false} (MicroProfile Telemetry keeps the SDK off by default),
 * {@code OTEL_METRICS_EXPORTER=otlp}, {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the receiver), {@code OTEL_METRIC_EXPORT_INTERVAL=1000} ms, traces and logs
 * off. OTLP rather than a scraped Prometheus page, because it is what all four servers export without anything else:
 * none of them turns OpenTelemetry metrics into a Prometheus page out of the box.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class OperabilityScenarios {

    /** How long a metric may take to reach the receiver: export interval 1 s, plus the server's work. */
    protected static final Duration EXPORTED = Duration.ofSeconds(30);
    /** How long readiness may take to follow Redis (PING watchdog, reconnect backoff). */
    protected static final Duration FOLLOWS = Duration.ofSeconds(60);
    /** The endpoint attribute of the chat's endpoint metrics. */
    protected static final Map<String, String> CHAT_ENDPOINT = Map.of("wskit.websocket.endpoint",
            "/" + AppServer.CONTEXT_ROOT + "/chat/{room}");
    /** The namespace attribute of the chat's bean metrics. */
    protected static final Map<String, String> CHAT_NAMESPACE = Map.of("wskit.redis.namespace", "chat");

    private static final Pattern CHECK_UP = Pattern.compile(
            "\"name\"\\s*:\\s*\"wskit-redis-pubsub\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\"");
    private static final Pattern CHECK_DOWN = Pattern.compile(
            "\"name\"\\s*:\\s*\"wskit-redis-pubsub\"\\s*,\\s*\"status\"\\s*:\\s*\"DOWN\"");

    /** The Redis of this instance alone. */
    protected RedisProcess redis;
    /** The instance. */
    protected AppServer server;
    /** Where the instance pushes its metrics. */
    protected OtlpReceiver otlp;

    /**
     * Describe the instance of the server under test, configured with health and metrics; not started yet.
     *
     * @param name the instance name
     * @param work the directory of the instances
     * @param war the example WAR
     * @return the instance
     */
    protected abstract AppServer newServer(String name, Path work, Path war);

    /** Return the prefix of the instance name, such as {@code wildfly}. */
    protected abstract String serverName();

    @BeforeAll
    void startInstance() {
        Path work = Path.of(System.getProperty("wskit.examples.work", "target/servers")).toAbsolutePath();
        Path war = Path.of(System.getProperty("wskit.examples.war", "target/wskit-chat.war"));
        redis = RedisProcess.start(work.resolve("redis-operability"));
        otlp = OtlpReceiver.start();
        server = newServer(serverName() + "-ops", work, war).redis(redis.url())
                .env("OTEL_SDK_DISABLED", "false")
                .env("OTEL_SERVICE_NAME", "wskit-chat-" + serverName())
                .env("OTEL_METRICS_EXPORTER", "otlp")
                .env("OTEL_TRACES_EXPORTER", "none")
                .env("OTEL_LOGS_EXPORTER", "none")
                .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
                .env("OTEL_METRIC_EXPORT_INTERVAL", "1000");
        AppServer.startAll(server);
    }

    @AfterAll
    void stopInstance() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (otlp != null) {
                otlp.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    private long awaitValue(String metric, Map<String, String> attributes) {
        Wait.until(metric + attributes + " exported by " + server, EXPORTED,
                () -> otlp.value(metric, attributes).isPresent());
        return otlp.value(metric, attributes).getAsLong();
    }

    private void awaitValueAbove(String metric, Map<String, String> attributes, long floor) {
        try {
            Wait.until(metric + attributes + " above " + floor + " at " + otlp, EXPORTED, () -> {
                OptionalLong value = otlp.value(metric, attributes);
                return value.isPresent() && value.getAsLong() > floor;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last value " + otlp.value(metric, attributes)
                    + "; metrics received: " + otlp.names(), e);
        }
    }

    @Test
    @Order(1)
    void theLibraryRegistersItsMetricsWithTheServersOpenTelemetry() {
        Wait.until(server + " logging the metrics registration", EXPORTED,
                () -> server.logContains("OpenTelemetry metrics registered"));
        assertThat(server.logContains("no OpenTelemetry metrics"))
                .as("%s: no failed registration (%s)", server, server.log()).isFalse();
        awaitValue("wskit.redis.messages.published", CHAT_NAMESPACE);
        // the round trip is exported once a canary came back (every 10 s by default)
        awaitValue("wskit.redis.canary.round_trip", CHAT_NAMESPACE);
        assertThat(otlp.unit("wskit.redis.messages.published")).isEqualTo("{message}");
        assertThat(otlp.unit("wskit.redis.canary.round_trip")).isEqualTo("s");
        assertThat(otlp.unit("wskit.websocket.sessions.active")).isEqualTo("{session}");
    }

    /**
     * A message published by a client moves the counters the server exports: the bean's published and received
     * messages (canaries are not counted), and the endpoint's open sessions and memberships.
     */
    @Test
    @Order(2)
    void aPublishedMessageMovesTheExportedCounters() {
        long published = awaitValue("wskit.redis.messages.published", CHAT_NAMESPACE);
        long received = awaitValue("wskit.redis.messages.received", CHAT_NAMESPACE);
        try (ChatClient client = ChatClient.connect(server.name() + "/lobby", server.chat("lobby"))) {
            redis.awaitNumsub("chat:lobby", 1, FOLLOWS);
            awaitValueAbove("wskit.websocket.sessions.active", CHAT_ENDPOINT, 0);
            awaitValueAbove("wskit.websocket.memberships", CHAT_ENDPOINT, 0);
            awaitValueAbove("wskit.websocket.rooms", CHAT_ENDPOINT, 0);

            String text = "metrics-" + UUID.randomUUID();
            client.send(text);
            client.awaitText(text, Duration.ofSeconds(15));

            awaitValueAbove("wskit.redis.messages.published", CHAT_NAMESPACE, published);
            awaitValueAbove("wskit.redis.messages.received", CHAT_NAMESPACE, received);
        }
    }

    /**
     * Readiness follows Redis: UP while connected, DOWN (503, with the reasons) within the detection time of a Redis
     * killed with SIGKILL, UP again once it is back; liveness stays UP all along, so that an orchestrator does not
     * restart the server for a Redis outage.
     */
    @Test
    @Order(3)
    void readinessGoesDownWhileRedisIsStoppedAndUpWhenItIsBack() {
        awaitReadiness(200, CHECK_UP);
        assertThat(AppServer.get(server.liveness()).status()).as("liveness of %s", server).isEqualTo(200);

        redis.kill9();
        AppServer.Response down = awaitReadiness(503, CHECK_DOWN);
        assertThat(down.body()).contains("disconnected");
        AppServer.Response live = AppServer.get(server.liveness());
        assertThat(live.status()).as("liveness of %s while Redis is down: %s", server, live.body()).isEqualTo(200);

        redis.restart();
        awaitReadiness(200, CHECK_UP);
        awaitValue("wskit.redis.ready", CHAT_NAMESPACE);
        awaitValueAbove("wskit.redis.reconnects", CHAT_NAMESPACE, 0);
    }

    private AppServer.Response awaitReadiness(int status, Pattern check) {
        AppServer.Response[] last = new AppServer.Response[1];
        try {
            Wait.until(server + " readiness " + status + " at " + server.readiness(), FOLLOWS, () -> {
                last[0] = AppServer.get(server.readiness());
                return last[0].status() == status && check.matcher(last[0].body()).find();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
        return last[0];
    }
}
