package dev.wskit.redis.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data of the readiness check, from a {@link HealthView}: only strings, longs and booleans (what MicroProfile
 * Health allows), no secret.
 */
public final class HealthData {

    private HealthData() {
    }

    /**
     * Return the data of a view, in a fixed order.
     *
     * @param view the view; {@code null} when there is no instance (not started yet, or stopped)
     * @return the data; never {@code null}
     */
    public static Map<String, Object> of(HealthView view) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (view == null) {
            data.put("reasons", "not started");
            return data;
        }
        data.put("endpoint", view.endpoint());
        data.put("topology", view.topology());
        data.put("namespace", view.namespace());
        data.put("connected", view.subscriberConnected() && view.publisherConnected());
        if (view.connectedSince() != null) {
            data.put("connectedSince", view.connectedSince().toString());
        }
        data.put("subscriptions", (long) view.subscriptions());
        data.put("canary", view.canaryEnabled());
        if (view.canaryRoundTripNanos() >= 0) {
            data.put("lastCanaryRoundTripMicros", view.canaryRoundTripNanos() / 1_000);
        }
        data.put("canaryFailures", view.canaryFailures());
        data.put("selfCheck", view.selfCheck());
        data.put("selfCheckProblems", (long) view.selfCheckProblems());
        if (!view.ready()) {
            data.put("reasons", String.join(", ", view.reasons()));
        }
        return data;
    }
}
