package dev.wskit.redis.internal.cdi.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;

import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.internal.StatsValues;
import dev.wskit.redis.internal.health.HealthView;
import dev.wskit.redis.internal.websocket.deploy.EndpointMonitor;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.PubSubSource;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

class OpenTelemetryMetricsTest {

    @ServerEndpoint("/chat/{room}")
    public static class ChatEndpoint extends RedisPubSubEndpoint {
    }

    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final AtomicReference<RedisPubSubStats> stats = new AtomicReference<>(
            new StatsValues(3, 1, 5, 2, 4, 6, 7, 8, 1_500_000, 9, 0).toStats());
    private final AtomicReference<HealthView> health = new AtomicReference<>(view(true));
    private EndpointMonitor endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        provider.close();
    }

    private static HealthView view(boolean connected) {
        return new HealthView(false, connected, connected, true, true, false, null, 1_500_000, 9, 7,
                "localhost:6379", "STANDALONE", "chat");
    }

    private Map<String, MetricData> collect() {
        Collection<MetricData> all = reader.collectAllMetrics();
        return all.stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    }

    private static long value(MetricData metric, Attributes attributes) {
        Collection<LongPointData> points = metric.getType() == MetricDataType.LONG_GAUGE
                ? metric.getLongGaugeData().getPoints() : metric.getLongSumData().getPoints();
        return points.stream().filter(p -> p.getAttributes().equals(attributes)).findFirst()
                .orElseThrow(() -> new AssertionError(metric.getName() + " has no point " + attributes + ": "
                        + points))
                .getValue();
    }

    @Test
    void theInstanceCountersAreAsynchronousCountersReadAtCollection() {
        OpenTelemetryMetrics metrics = new OpenTelemetryMetrics(stats::get, health::get, List::of);
        metrics.register(provider.get(OpenTelemetryMetrics.SCOPE));
        Attributes chat = Attributes.of(AttributeKey.stringKey(OpenTelemetryMetrics.NAMESPACE), "chat");

        Map<String, MetricData> first = collect();
        assertThat(first.get("wskit.redis.messages.published").getUnit()).isEqualTo("{message}");
        assertThat(first.get("wskit.redis.messages.published").getType()).isEqualTo(MetricDataType.LONG_SUM);
        assertThat(first.get("wskit.redis.messages.published").getLongSumData().isMonotonic()).isTrue();
        assertThat(value(first.get("wskit.redis.messages.published"), chat)).isEqualTo(3);
        assertThat(value(first.get("wskit.redis.publish.failures"), chat)).isEqualTo(1);
        assertThat(value(first.get("wskit.redis.messages.received"), chat)).isEqualTo(5);
        assertThat(value(first.get("wskit.redis.messages.malformed"), chat)).isEqualTo(2);
        assertThat(value(first.get("wskit.redis.handler.errors"), chat)).isEqualTo(4);
        assertThat(value(first.get("wskit.redis.reconnects"), chat)).isEqualTo(6);
        assertThat(value(first.get("wskit.redis.subscriptions"), chat)).isEqualTo(7);
        assertThat(first.get("wskit.redis.subscriptions").getLongSumData().isMonotonic()).isFalse();
        assertThat(value(first.get("wskit.redis.callbacks.dropped"), chat)).isEqualTo(8);
        assertThat(value(first.get("wskit.redis.canary.failures"), chat)).isEqualTo(9);
        assertThat(value(first.get("wskit.redis.ready"), chat)).isEqualTo(1);
        MetricData roundTrip = first.get("wskit.redis.canary.round_trip");
        assertThat(roundTrip.getUnit()).isEqualTo("s");
        assertThat(roundTrip.getDoubleGaugeData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getValue()).isEqualTo(0.0015));

        stats.set(new StatsValues(42, 1, 5, 2, 4, 6, 7, 8).toStats());
        health.set(view(false));
        Map<String, MetricData> second = collect();
        assertThat(value(second.get("wskit.redis.messages.published"), chat)).isEqualTo(42);
        assertThat(value(second.get("wskit.redis.ready"), chat)).isZero();
        assertThat(second).doesNotContainKey("wskit.redis.canary.round_trip");
        metrics.close();
    }

    @Test
    void nothingIsRecordedWhileThereIsNoInstanceAndNothingAfterClose() {
        OpenTelemetryMetrics metrics = new OpenTelemetryMetrics(() -> null, () -> null, List::of);
        metrics.register(provider.get(OpenTelemetryMetrics.SCOPE));
        assertThat(collect()).isEmpty();

        OpenTelemetryMetrics second = new OpenTelemetryMetrics(stats::get, health::get, List::of);
        second.register(provider.get(OpenTelemetryMetrics.SCOPE + ".second"));
        assertThat(collect()).containsKey("wskit.redis.messages.published");
        second.close();
        metrics.close();
        assertThat(collect()).isEmpty();
    }

    @Test
    void theEndpointsCountersCarryTheEndpointAndTheReason() {
        EndpointRegistration registration = EndpointRegistration.create(ChatEndpoint.class,
                WebSocketSettings.DEFAULTS, PubSubSource.cdiBean(), null);
        endpoint = EndpointMonitor.register("/metrics-app", registration);
        registration.sessions().refused();
        registration.sessions().refused();
        registration.sessions().publishFailed();
        OpenTelemetryMetrics metrics = new OpenTelemetryMetrics(stats::get, health::get, () -> List.of(endpoint));
        metrics.register(provider.get(OpenTelemetryMetrics.SCOPE));
        Attributes at = Attributes.of(AttributeKey.stringKey(OpenTelemetryMetrics.ENDPOINT),
                "/metrics-app/chat/{room}");

        Map<String, MetricData> all = collect();
        assertThat(value(all.get("wskit.websocket.sessions.active"), at)).isZero();
        assertThat(all.get("wskit.websocket.sessions.active").getUnit()).isEqualTo("{session}");
        assertThat(value(all.get("wskit.websocket.rooms"), at)).isZero();
        assertThat(value(all.get("wskit.websocket.memberships"), at)).isZero();
        assertThat(value(all.get("wskit.websocket.send_queue.depth.max"), at)).isZero();
        assertThat(value(all.get("wskit.websocket.send_queue.size"), at)).isZero();
        assertThat(value(all.get("wskit.websocket.publish.failures"), at)).isEqualTo(1);
        MetricData closed = all.get("wskit.websocket.sessions.closed");
        assertThat(value(closed, reason("policy"))).isEqualTo(2);
        assertThat(value(closed, reason("overflow"))).isZero();
        assertThat(value(closed, reason("size"))).isZero();
        MetricData dropped = all.get("wskit.websocket.messages.dropped");
        assertThat(value(dropped, reason("overflow"))).isZero();
        assertThat(value(dropped, reason("rate_limit"))).isZero();
        metrics.close();
    }

    private static Attributes reason(String reason) {
        return Attributes.of(AttributeKey.stringKey(OpenTelemetryMetrics.ENDPOINT), "/metrics-app/chat/{room}",
                AttributeKey.stringKey(OpenTelemetryMetrics.REASON), reason);
    }

    @Test
    void withoutAnOpenTelemetryBeanOrAGlobalOneNothingIsRegistered() {
        BeanManager none = (BeanManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BeanManager.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getBeans")) {
                        return Set.of();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

        assertThat(OpenTelemetryApi.present(getClass().getClassLoader())).isTrue();
        assertThat(OpenTelemetryMetrics.start(none, stats::get, health::get)).isNull();
    }
}
