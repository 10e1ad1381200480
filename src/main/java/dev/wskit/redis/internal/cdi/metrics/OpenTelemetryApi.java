package dev.wskit.redis.internal.cdi.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Whether the OpenTelemetry API can be used: the one class of this package that refers to none of the API's types,
 * so that asking never loads them ({@link OpenTelemetryMetrics} refers to them everywhere).
 */
public final class OpenTelemetryApi {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis.cdi");
    private static final String ENTRY = "io.opentelemetry.api.OpenTelemetry";
    private static final List<String> USED = List.of("io.opentelemetry.api.GlobalOpenTelemetry",
            "io.opentelemetry.api.common.AttributeKey", "io.opentelemetry.api.common.Attributes",
            "io.opentelemetry.api.metrics.Meter", "io.opentelemetry.api.metrics.ObservableLongMeasurement",
            "io.opentelemetry.api.metrics.ObservableDoubleMeasurement");

    private OpenTelemetryApi() {
    }

    /**
     * Tell whether every class of the OpenTelemetry API that the metrics use can be loaded. When {@code OpenTelemetry}
     * can but another cannot (measured on Open Liberty 26 with {@code mpTelemetry-2.0}, whose API is a third-party API
     * the application sees only in part unless its class loader is given {@code apiTypeVisibility="+third-party"}),
     * says so once at WARNING.
     *
     * @param loader the class loader of the library
     * @return {@code true} if all can
     */
    public static boolean present(ClassLoader loader) {
        if (!loadable(ENTRY, loader)) {
            return false;
        }
        for (String name : USED) {
            if (!loadable(name, loader)) {
                LOGGER.log(Level.WARNING, "[wskit-redis-pubsub] the OpenTelemetry API is only partly visible to the "
                        + "application (" + name + " cannot be loaded): no OpenTelemetry metrics, JMX has the same "
                        + "counters; on Open Liberty give the webApplication <classloader "
                        + "apiTypeVisibility=\"+third-party\"/>");
                return false;
            }
        }
        return true;
    }

    private static boolean loadable(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
