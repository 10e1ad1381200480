package dev.wskit.redis.internal.subscribe;

import java.util.List;

import dev.wskit.redis.RedisPubSubException;

/**
 * How the {@link Subscriber}'s wanted channels and patterns are held in Redis: by one connection
 * ({@link SingleLinkSet}: standalone, Sentinel, classic cluster) or by one connection per cluster master that owns a
 * subscribed channel's slot ({@link ShardedLinkSet}: sharded pub/sub). The subscriber keeps the registry and the
 * dispatch; everything that depends on the mode is here, so no branch on the mode remains in the subscriber.
 *
 * <p>Threads: {@link #hold}, {@link #release}, {@link #channelsOf}, {@link #patternsOf} and {@link #holds} are called
 * with the subscriber's {@code registryLock} held; the link reports from the link threads; the rest from the
 * subscriber's owner.
 */
interface LinkSet {

    /** The cluster slot of a new entry's channel, or -1 when slots do not matter. */
    int slotOf(String wire);

    /** Subscribe a new entry (the first handler of its channel or pattern) on its link. */
    void hold(ChannelEntry entry);

    /** Unsubscribe an entry whose last handler left. */
    void release(ChannelEntry entry);

    /** The channels {@code link} holds (for its replay). */
    List<ChannelEntry> channelsOf(SubscriberLink link, List<ChannelEntry> all);

    /** The patterns {@code link} holds (for its replay). */
    List<ChannelEntry> patternsOf(SubscriberLink link, List<ChannelEntry> all);

    /** Whether a still-registered entry is still held by {@code link}. */
    boolean holds(ChannelEntry entry, SubscriberLink link);

    /** A link confirmed its connection and every subscription replayed on it. */
    void linkUp(SubscriberLink link, boolean reconnect);

    /** Redis confirmed the subscription of a channel on a link (sharded only; the link's thread). */
    default void confirmed(SubscriberLink link, ChannelEntry entry) {
    }

    /** A link lost its connection or failed to connect; it retries by itself with backoff. */
    void linkDown(SubscriberLink link, boolean wasUp, RedisPubSubException error);

    /** Redis dropped channels of a link (sunsubscribe push) or redirected its SSUBSCRIBE (MOVED); sharded only. */
    void channelsLost(SubscriberLink link, List<String> wires, redis.clients.jedis.HostAndPort redirectedTo);

    /** Let the links that wait out their backoff reconnect now, except {@code except} (can be {@code null}). */
    void retryNow(SubscriberLink except);

    /** Drop the connection(s) and reconnect at once (Sentinel reported a new master). */
    void kick();

    /** Close the connections whose write has been blocked longer than {@code timeoutNanos}. */
    void watchdog(long now, long timeoutNanos);

    /** Queue a PING on every link (the housekeeper, every ping interval). */
    void ping();

    /** The subscriber's thread: read the one link, or coordinate the sharded links. */
    void run();

    /** Stop every link; returns without waiting. */
    void stop();

    /** The threads started for links (sharded), to join on destroy. */
    List<Thread> linkThreads();
}
