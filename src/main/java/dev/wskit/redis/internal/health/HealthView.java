package dev.wskit.redis.internal.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the readiness check and the MBean show of one instance at one moment. Holds no secret: the endpoint is
 * {@code RedisPubSubOptions.endpoint()}, which masks credentials.
 *
 * @param destroyed whether the instance was destroyed
 * @param subscriberConnected whether the subscriber side is connected, its subscriptions replayed
 * @param publisherConnected whether the publisher side is connected
 * @param subscriptionsConfirmed whether Redis confirmed every channel and pattern subscribed so far
 * @param canaryEnabled whether the loopback canary runs
 * @param canaryLate whether the canary is late (see {@link Canary#isLate()})
 * @param connectedSince when the instance last became connected; {@code null} while it is not
 * @param canaryRoundTripNanos the round trip of the last canary back; -1 if none
 * @param canaryFailures the number of late canaries
 * @param subscriptions the number of the application's channels and patterns subscribed
 * @param endpoint where Redis is, without secrets
 * @param topology {@code STANDALONE}, {@code SENTINEL} or {@code CLUSTER}, with {@code (sharded)} if so
 * @param namespace the namespace
 * @param selfCheck the start-up self-check: {@code off}, {@code pending}, {@code passed} or its problems
 * @param selfCheckProblems the number of problems the self-check found
 */
public record HealthView(boolean destroyed, boolean subscriberConnected, boolean publisherConnected,
        boolean subscriptionsConfirmed, boolean canaryEnabled, boolean canaryLate, Instant connectedSince,
        long canaryRoundTripNanos, long canaryFailures, int subscriptions, String endpoint, String topology,
        String namespace, String selfCheck, int selfCheckProblems) {

    /**
     * A view without a self-check.
     *
     * @param destroyed see the record
     * @param subscriberConnected see the record
     * @param publisherConnected see the record
     * @param subscriptionsConfirmed see the record
     * @param canaryEnabled see the record
     * @param canaryLate see the record
     * @param connectedSince see the record
     * @param canaryRoundTripNanos see the record
     * @param canaryFailures see the record
     * @param subscriptions see the record
     * @param endpoint see the record
     * @param topology see the record
     * @param namespace see the record
     */
    public HealthView(boolean destroyed, boolean subscriberConnected, boolean publisherConnected,
            boolean subscriptionsConfirmed, boolean canaryEnabled, boolean canaryLate, Instant connectedSince,
            long canaryRoundTripNanos, long canaryFailures, int subscriptions, String endpoint, String topology,
            String namespace) {
        this(destroyed, subscriberConnected, publisherConnected, subscriptionsConfirmed, canaryEnabled, canaryLate,
                connectedSince, canaryRoundTripNanos, canaryFailures, subscriptions, endpoint, topology, namespace,
                "off", 0);
    }

    /**
     * Tell whether the instance is ready to serve: not destroyed, both sides connected, every subscription
     * confirmed, the canary not late.
     *
     * @return {@code true} if ready
     */
    public boolean ready() {
        return reasons().isEmpty();
    }

    /**
     * Return why the instance is not ready, one short phrase per reason.
     *
     * @return the reasons; empty if ready
     */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>(4);
        if (destroyed) {
            reasons.add("destroyed");
            return reasons;
        }
        if (!subscriberConnected) {
            reasons.add("subscriber disconnected");
        }
        if (!publisherConnected) {
            reasons.add("publisher disconnected");
        }
        if (subscriberConnected && !subscriptionsConfirmed) {
            reasons.add("subscriptions not confirmed");
        }
        if (canaryLate) {
            reasons.add("loopback canary late");
        }
        return reasons;
    }
}
