package dev.wskit.redis.internal.cdi.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.internal.health.HealthView;
import dev.wskit.redis.internal.websocket.deploy.EndpointMonitor;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * The OpenTelemetry metrics of the {@code RedisPubSub} bean and of the application's deployed endpoints, added by the
 * extension when the OpenTelemetry API is on the class path ({@link OpenTelemetryApi#present(ClassLoader)}): where
 * the server offers MicroProfile Telemetry (WildFly's {@code microprofile-telemetry} subsystem, Payara Micro 6 and 7,
 * Open Liberty's {@code mpTelemetry-2.0}). Only this package uses that API, and the extension touches it only when
 * the API is present, so the library deploys where it is absent.
 *
 * <p>The {@link OpenTelemetry} is the server's CDI bean (MicroProfile Telemetry), else {@link GlobalOpenTelemetry}
 * when something set it (never {@code GlobalOpenTelemetry.get()} otherwise: that would fix the global to a no-op
 * before the server sets it), else none and no metric. Every instrument is asynchronous: its callback reads
 * {@code stats()} and the endpoints' counters when the SDK collects, nothing is added to the publish or delivery
 * path. Instruments are closed when the bean stops.
 *
 * <p>Names and units follow the OpenTelemetry semantic conventions (dot-separated namespaces, UCUM units, counts as
 * {@code {thing}}, durations in seconds; a Prometheus exporter turns {@code wskit.redis.messages.published} into
 * {@code wskit_redis_messages_published_total}). The README lists them.
 */
public final class OpenTelemetryMetrics implements AutoCloseable {

    /** The instrumentation scope (meter name), {@value}. */
    public static final String SCOPE = "dev.wskit.redis";

    /** The attribute naming the bean's namespace on its metrics, {@value}. */
    public static final String NAMESPACE = "wskit.redis.namespace";
    /** The attribute naming the endpoint (context path and endpoint path) on the endpoints' metrics, {@value}. */
    public static final String ENDPOINT = "wskit.websocket.endpoint";
    /** The attribute saying why sessions were closed or messages dropped, {@value}. */
    public static final String REASON = "wskit.websocket.reason";

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.cdi");
    // created per instance, not in static fields: this class is initialized only once the API is known to be there
    private final AttributeKey<String> namespaceKey = AttributeKey.stringKey(NAMESPACE);
    private final AttributeKey<String> endpointKey = AttributeKey.stringKey(ENDPOINT);
    private final AttributeKey<String> reasonKey = AttributeKey.stringKey(REASON);
    private final List<AutoCloseable> instruments = new ArrayList<>();
    private final Supplier<RedisPubSubStats> stats;
    private final Supplier<HealthView> health;
    private final Supplier<List<EndpointMonitor>> endpoints;

    OpenTelemetryMetrics(Supplier<RedisPubSubStats> stats, Supplier<HealthView> health,
            Supplier<List<EndpointMonitor>> endpoints) {
        this.stats = stats;
        this.health = health;
        this.endpoints = endpoints;
    }

    /**
     * Register the metrics with the server's OpenTelemetry, if it offers one; call only when
     * {@link OpenTelemetryApi#present(ClassLoader)}.
     *
     * @param beanManager where to look for the server's {@code OpenTelemetry} bean
     * @param stats the bean's counters now; returns {@code null} while there is no instance
     * @param health the bean's view now; returns {@code null} while there is no instance
     * @return the registration, to {@link #close()} when the bean stops; {@code null} if no OpenTelemetry was found
     */
    public static OpenTelemetryMetrics start(BeanManager beanManager, Supplier<RedisPubSubStats> stats,
            Supplier<HealthView> health) {
        String source = "the CDI bean";
        OpenTelemetry openTelemetry = fromCdi(beanManager);
        if (openTelemetry == null && globalIsSet()) {
            source = "GlobalOpenTelemetry";
            openTelemetry = GlobalOpenTelemetry.get();
        }
        if (openTelemetry == null) {
            LOGGER.log(Level.DEBUG, "[wskit-redis-pubsub] OpenTelemetry API found, but no OpenTelemetry bean and no "
                    + "GlobalOpenTelemetry set: no OpenTelemetry metrics (JMX has the same counters)");
            return null;
        }
        OpenTelemetryMetrics metrics = new OpenTelemetryMetrics(stats, health, EndpointMonitor::registered);
        try {
            metrics.register(openTelemetry.getMeter(SCOPE));
        } catch (RuntimeException | LinkageError e) {
            metrics.close();
            LOGGER.log(Level.WARNING, "[wskit-redis-pubsub] OpenTelemetry metrics not registered (" + e
                    + "); the instance works without them");
            return null;
        }
        LOGGER.log(Level.INFO, "[wskit-redis-pubsub] OpenTelemetry metrics registered (meter " + SCOPE + ", "
                + metrics.instruments.size() + " instruments wskit.redis.* and wskit.websocket.*) with the "
                + "OpenTelemetry of " + source);
        return metrics;
    }

    private static OpenTelemetry fromCdi(BeanManager beanManager) {
        try {
            Set<Bean<?>> beans = beanManager.getBeans(OpenTelemetry.class);
            Bean<?> bean = beans.isEmpty() ? null : beanManager.resolve(beans);
            if (bean == null) {
                return null;
            }
            return (OpenTelemetry) beanManager.getReference(bean, OpenTelemetry.class,
                    beanManager.createCreationalContext(bean));
        } catch (RuntimeException | LinkageError e) {
            LOGGER.log(Level.DEBUG, () -> "[wskit-redis-pubsub] no OpenTelemetry bean: " + e);
            return null;
        }
    }

    private static boolean globalIsSet() {
        try {
            // GlobalOpenTelemetry.isSet() exists in recent API versions only; without it, never call get()
            Method isSet = GlobalOpenTelemetry.class.getMethod("isSet");
            return Boolean.TRUE.equals(isSet.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Register every instrument with a meter.
     *
     * @param meter the meter
     */
    void register(Meter meter) {
        counter(meter, "wskit.redis.messages.published", "{message}", "Messages Redis accepted",
                RedisPubSubStats::published);
        counter(meter, "wskit.redis.publish.failures", "{message}",
                "Publishes that failed (disconnected, queue full, serialization, Redis error)",
                RedisPubSubStats::publishFailures);
        counter(meter, "wskit.redis.messages.received", "{message}", "Messages received from Redis",
                RedisPubSubStats::received);
        counter(meter, "wskit.redis.messages.malformed", "{message}", "Received messages dropped as malformed",
                RedisPubSubStats::malformed);
        counter(meter, "wskit.redis.handler.errors", "{error}", "Handler invocations that threw",
                RedisPubSubStats::handlerErrors);
        counter(meter, "wskit.redis.reconnects", "{reconnect}",
                "Reconnections of the subscriber connection, each resubscribing every channel and pattern",
                RedisPubSubStats::reconnects);
        counter(meter, "wskit.redis.callbacks.dropped", "{callback}", "Callbacks dropped because too many waited",
                RedisPubSubStats::droppedCallbacks);
        counter(meter, "wskit.redis.canary.failures", "{canary}", "Loopback canaries that were late",
                RedisPubSubStats::canaryFailures);
        counter(meter, "wskit.redis.subscription.gaps", "{gap}",
                "Times a plain subscription was confirmed again after it had not been in force",
                RedisPubSubStats::subscriptionGaps);
        instruments.add(meter.upDownCounterBuilder("wskit.redis.subscriptions").setUnit("{subscription}")
                .setDescription("Channels and patterns subscribed").buildWithCallback(m -> {
                    RedisPubSubStats s = stats.get();
                    if (s != null) {
                        m.record(s.subscriptions(), instanceAttributes());
                    }
                }));
        instruments.add(meter.gaugeBuilder("wskit.redis.canary.round_trip").setUnit("s")
                .setDescription("Round trip of the last loopback canary back").buildWithCallback(m -> {
                    RedisPubSubStats s = stats.get();
                    if (s != null) {
                        s.canaryRoundTrip().ifPresent(d -> m.record(d.toNanos() / 1e9, instanceAttributes()));
                    }
                }));
        instruments.add(meter.gaugeBuilder("wskit.redis.ready").ofLongs().setUnit("1")
                .setDescription("1 while the instance is ready (what the readiness check says), else 0")
                .buildWithCallback(m -> {
                    HealthView view = health.get();
                    if (view != null) {
                        m.record(view.ready() ? 1 : 0, instanceAttributes());
                    }
                }));

        endpointUpDown(meter, "wskit.websocket.sessions.active", "{session}", "WebSocket sessions open",
                e -> e.stats().sessions());
        endpointUpDown(meter, "wskit.websocket.rooms", "{room}", "Rooms at least one local session is in",
                e -> e.stats().channels());
        endpointUpDown(meter, "wskit.websocket.memberships", "{membership}", "Room memberships of the open sessions",
                EndpointMonitor::memberships);
        endpointGauge(meter, "wskit.websocket.send_queue.depth.max", "{message}",
                "Messages waiting in the deepest send queue", EndpointMonitor::sendQueueDepthMax);
        endpointGauge(meter, "wskit.websocket.send_queue.size", "By", "Bytes waiting in all send queues",
                e -> e.stats().queuedBytes());
        instruments.add(meter.counterBuilder("wskit.websocket.sessions.closed").setUnit("{session}")
                .setDescription("Sessions the library closed, by reason: overflow (1013), size (1009), policy (join "
                        + "refused)")
                .buildWithCallback(m -> eachEndpoint(e -> {
                    RedisPubSubEndpointStats s = e.stats();
                    m.record(s.closedForOverflow(), reason(e, "overflow"));
                    m.record(s.closedForSize(), reason(e, "size"));
                    m.record(s.refused(), reason(e, "policy"));
                })));
        instruments.add(meter.counterBuilder("wskit.websocket.messages.dropped").setUnit("{message}")
                .setDescription("Messages dropped, by reason: overflow (a full send queue), rate_limit (beyond the "
                        + "publish rate, or the one that closed its session)")
                .buildWithCallback(m -> eachEndpoint(e -> {
                    RedisPubSubEndpointStats s = e.stats();
                    m.record(s.dropped(), reason(e, "overflow"));
                    m.record(s.rateLimited(), reason(e, "rate_limit"));
                })));
        endpointCounter(meter, "wskit.websocket.publish.failures", "{message}",
                "Client messages that could not be published", e -> e.stats().publishFailures());
        endpointCounter(meter, "wskit.websocket.handshakes.refused", "{handshake}",
                "Handshakes refused for their Origin", e -> e.stats().refusedOrigins());
        endpointCounter(meter, "wskit.websocket.missed_messages", "{report}",
                "Reports of missed messages: history rooms, gaps and drops of plain rooms", e -> e.stats().missedMessages());
        endpointCounter(meter, "wskit.websocket.subscription.gaps", "{gap}",
                "Gaps of plain rooms told to their sessions (missed frames)", e -> e.stats().subscriptionGaps());
        endpointCounter(meter, "wskit.websocket.drain.sessions", "{session}",
                "Sessions closed with 1012 by the graceful drain", e -> e.stats().drainedSessions());
        endpointCounter(meter, "wskit.websocket.drain.delivered", "{message}",
                "Messages sent during the graceful drain", e -> e.stats().drainDelivered());
        endpointCounter(meter, "wskit.websocket.drain.dropped", "{message}",
                "Messages still unsent when the graceful drain closed their sessions", e -> e.stats().drainDropped());
    }

    private void counter(Meter meter, String name, String unit, String description,
            ToLongFunction<RedisPubSubStats> value) {
        instruments.add(meter.counterBuilder(name).setUnit(unit).setDescription(description).buildWithCallback(m -> {
            RedisPubSubStats s = stats.get();
            if (s != null) {
                m.record(value.applyAsLong(s), instanceAttributes());
            }
        }));
    }

    private void endpointCounter(Meter meter, String name, String unit, String description,
            ToLongFunction<EndpointMonitor> value) {
        instruments.add(meter.counterBuilder(name).setUnit(unit).setDescription(description)
                .buildWithCallback(endpointCallback(value)));
    }

    private void endpointUpDown(Meter meter, String name, String unit, String description,
            ToLongFunction<EndpointMonitor> value) {
        instruments.add(meter.upDownCounterBuilder(name).setUnit(unit).setDescription(description)
                .buildWithCallback(endpointCallback(value)));
    }

    private void endpointGauge(Meter meter, String name, String unit, String description,
            ToLongFunction<EndpointMonitor> value) {
        instruments.add(meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description)
                .buildWithCallback(endpointCallback(value)));
    }

    private Consumer<ObservableLongMeasurement> endpointCallback(ToLongFunction<EndpointMonitor> value) {
        return m -> eachEndpoint(e -> m.record(value.applyAsLong(e), Attributes.of(endpointKey, e.name())));
    }

    private void eachEndpoint(Consumer<EndpointMonitor> action) {
        for (EndpointMonitor e : endpoints.get()) {
            action.accept(e);
        }
    }

    private Attributes reason(EndpointMonitor e, String reason) {
        return Attributes.of(endpointKey, e.name(), reasonKey, reason);
    }

    private Attributes instanceAttributes() {
        HealthView view = health.get();
        return view == null ? Attributes.empty() : Attributes.of(namespaceKey, view.namespace());
    }

    /** Return how many instruments are registered. */
    int size() {
        return instruments.size();
    }

    /** Close every instrument: the SDK stops calling back. Idempotent. */
    @Override
    public void close() {
        for (AutoCloseable instrument : instruments) {
            try {
                instrument.close();
            } catch (Exception | LinkageError e) {
                // an SDK older than closable instruments: it keeps calling back, and the callbacks read nothing
            }
        }
        instruments.clear();
    }
}
