package dev.wskit.redis.internal.health;

/**
 * The JMX view of one {@code RedisPubSub} instance, registered as
 * {@code dev.wskit.redis:type=RedisPubSub,name="<clientName>#<n>"} (see {@link JmxRegistration}). Counters are
 * those of {@code RedisPubSub.stats()}, from the instance's creation. Read-only. Not API: the attribute names are
 * documented in the README, the Java interface may change.
 */
public interface RedisPubSubMXBean {

    /** @return messages Redis accepted */
    long getPublished();

    /** @return publishes that failed */
    long getPublishFailures();

    /** @return messages received from Redis */
    long getReceived();

    /** @return received messages dropped as malformed */
    long getMalformed();

    /** @return handler invocations that threw */
    long getHandlerErrors();

    /** @return reconnections of the subscriber connection */
    long getReconnects();

    /** @return callbacks dropped because too many were waiting */
    long getDroppedCallbacks();

    /** @return times a plain subscription was confirmed again after it had not been in force */
    long getSubscriptionGaps();

    /** @return the application's channels and patterns subscribed */
    int getSubscriptions();

    /** @return the round trip of the last loopback canary back, in microseconds; -1 if none */
    long getCanaryRoundTripMicros();

    /** @return loopback canaries that were late */
    long getCanaryFailures();

    /** @return whether every connection is up and every subscription confirmed */
    boolean isConnected();

    /** @return whether the instance is ready (what the readiness check says) */
    boolean isReady();

    /** @return why it is not ready, comma-separated; empty if ready */
    String getNotReadyReasons();

    /** @return when the instance last became connected (ISO-8601); empty while not connected */
    String getConnectedSince();

    /** @return where Redis is, without secrets */
    String getEndpoint();

    /** @return the topology */
    String getTopology();

    /** @return the namespace */
    String getNamespace();

    /** @return the start-up self-check: off, pending, passed, or its problems */
    String getSelfCheck();

    /** @return the number of problems the start-up self-check found */
    int getSelfCheckProblems();
}
