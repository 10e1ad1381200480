package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/**
 * The smallest OTLP metrics receiver: an HTTP server on a free loopback port that accepts
 * {@code POST /v1/metrics} in the {@code http/protobuf} protocol (gzip or not), as the OpenTelemetry SDK of every
 * server exports when {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf} (the Java SDK has no {@code http/json}), and
 * keeps the last value of every number data point, by metric name and attributes. No collector, no Prometheus: what
 * the test reads is exactly what the server pushed.
 */
public final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Map<Map<String, String>, Double>> latest = new ConcurrentHashMap<>();
    private final Map<String, String> units = new ConcurrentHashMap<>();
    private final AtomicLong exports = new AtomicLong();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /**
     * Start a receiver on a free loopback port.
     *
     * @return the receiver
     */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Return the base URL for {@code OTEL_EXPORTER_OTLP_ENDPOINT}, such as {@code http://127.0.0.1:40001}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Return how many metric exports arrived. */
    public long exports() {
        return exports.get();
    }

    /**
     * Return the last value of a metric's data point whose attributes include the given ones.
     *
     * @param metric the metric name
     * @param attributes attributes the point must have (others are ignored)
     * @return the value (a double point rounded down); empty if no such point arrived
     */
    public OptionalLong value(String metric, Map<String, String> attributes) {
        Map<Map<String, String>, Double> points = latest.get(metric);
        if (points == null) {
            return OptionalLong.empty();
        }
        for (Map.Entry<Map<String, String>, Double> point : points.entrySet()) {
            if (point.getKey().entrySet().containsAll(attributes.entrySet())) {
                return OptionalLong.of(point.getValue().longValue());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Return the unit of a metric as exported.
     *
     * @param metric the metric name
     * @return the unit; {@code null} if the metric did not arrive
     */
    public String unit(String metric) {
        return units.get(metric);
    }

    /** Return the names of every metric received, for failure messages. */
    public List<String> names() {
        List<String> names = new ArrayList<>(latest.keySet());
        names.sort(null);
        return names;
    }

    /**
     * Wait until at least one more export arrived than now.
     *
     * @param timeout how long at most
     */
    public void awaitNextExport(Duration timeout) {
        long seen = exports.get();
        Wait.until("an OTLP metrics export to " + endpoint(), timeout, () -> exports.get() > seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                body = ("gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(in) : in).readAllBytes();
            }
            if (exchange.getRequestURI().getPath().equals("/v1/metrics")) {
                record(ExportMetricsServiceRequest.parseFrom(body));
                exports.incrementAndGet();
            }
            byte[] reply = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                exchange.getResponseBody().write(reply);
            }
        }
    }

    private void record(ExportMetricsServiceRequest request) {
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    units.put(metric.getName(), metric.getUnit());
                    List<NumberDataPoint> points = switch (metric.getDataCase()) {
                        case SUM -> metric.getSum().getDataPointsList();
                        case GAUGE -> metric.getGauge().getDataPointsList();
                        default -> List.of();
                    };
                    Map<Map<String, String>, Double> byAttributes = latest.computeIfAbsent(metric.getName(),
                            n -> new ConcurrentHashMap<>());
                    for (NumberDataPoint point : points) {
                        Map<String, String> attributes = new TreeMap<>();
                        for (KeyValue kv : point.getAttributesList()) {
                            attributes.put(kv.getKey(), kv.getValue().getStringValue());
                        }
                        double value = point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt()
                                : point.getAsDouble();
                        byAttributes.put(Map.copyOf(attributes), value);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public String toString() {
        return "OtlpReceiver{" + endpoint() + ", " + exports() + " exports}";
    }
}
