package dev.wskit.redis.internal.health;

import java.time.Instant;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubStats;

/** The MXBean of one instance: reads its stats and its health view at every access. */
public final class InstanceMXBean implements RedisPubSubMXBean {

    private final Supplier<RedisPubSubStats> stats;
    private final Supplier<HealthView> health;

    /**
     * Create the view of an instance.
     *
     * @param stats its counters
     * @param health its health view
     */
    public InstanceMXBean(Supplier<RedisPubSubStats> stats, Supplier<HealthView> health) {
        this.stats = stats;
        this.health = health;
    }

    @Override
    public long getPublished() {
        return stats.get().published();
    }

    @Override
    public long getPublishFailures() {
        return stats.get().publishFailures();
    }

    @Override
    public long getReceived() {
        return stats.get().received();
    }

    @Override
    public long getMalformed() {
        return stats.get().malformed();
    }

    @Override
    public long getHandlerErrors() {
        return stats.get().handlerErrors();
    }

    @Override
    public long getReconnects() {
        return stats.get().reconnects();
    }

    @Override
    public long getDroppedCallbacks() {
        return stats.get().droppedCallbacks();
    }

    @Override
    public long getSubscriptionGaps() {
        return stats.get().subscriptionGaps();
    }

    @Override
    public int getSubscriptions() {
        return stats.get().subscriptions();
    }

    @Override
    public long getCanaryRoundTripMicros() {
        return stats.get().canaryRoundTrip().map(d -> d.toNanos() / 1_000).orElse(-1L);
    }

    @Override
    public long getCanaryFailures() {
        return stats.get().canaryFailures();
    }

    @Override
    public boolean isConnected() {
        HealthView view = health.get();
        return !view.destroyed() && view.subscriberConnected() && view.publisherConnected();
    }

    @Override
    public boolean isReady() {
        return health.get().ready();
    }

    @Override
    public String getNotReadyReasons() {
        return String.join(", ", health.get().reasons());
    }

    @Override
    public String getConnectedSince() {
        Instant since = health.get().connectedSince();
        return since == null ? "" : since.toString();
    }

    @Override
    public String getEndpoint() {
        return health.get().endpoint();
    }

    @Override
    public String getTopology() {
        return health.get().topology();
    }

    @Override
    public String getNamespace() {
        return health.get().namespace();
    }

    @Override
    public String getSelfCheck() {
        return health.get().selfCheck();
    }

    @Override
    public int getSelfCheckProblems() {
        return health.get().selfCheckProblems();
    }
}
