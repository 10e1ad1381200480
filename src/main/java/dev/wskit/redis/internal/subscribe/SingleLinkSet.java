package dev.wskit.redis.internal.subscribe;

import java.util.List;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.connection.ConnectionFactory;

import redis.clients.jedis.HostAndPort;

/**
 * Standalone, Sentinel and classic cluster: one link, run by the subscriber thread itself, holds every channel and
 * pattern; after a reconnect it replays all of them.
 */
final class SingleLinkSet implements LinkSet {

    private final Subscriber subscriber;
    private final SubscriberLink link;

    SingleLinkSet(Subscriber subscriber, ConnectionFactory factory) {
        this.subscriber = subscriber;
        this.link = new SubscriberLink(subscriber, factory, null);
    }

    @Override
    public int slotOf(String wire) {
        return -1;
    }

    @Override
    public void hold(ChannelEntry entry) {
        link.subscribe(List.of(entry), entry.pattern);
    }

    @Override
    public void release(ChannelEntry entry) {
        link.unsubscribe(entry);
    }

    @Override
    public List<ChannelEntry> channelsOf(SubscriberLink link, List<ChannelEntry> all) {
        return all;
    }

    @Override
    public List<ChannelEntry> patternsOf(SubscriberLink link, List<ChannelEntry> all) {
        return all;
    }

    @Override
    public boolean holds(ChannelEntry entry, SubscriberLink link) {
        return true;
    }

    @Override
    public void linkUp(SubscriberLink link, boolean reconnect) {
        subscriber.connected = true;
        if (reconnect) {
            subscriber.owner.subscriberReconnected();
        }
        subscriber.owner.subscriberConnected();
    }

    @Override
    public void linkDown(SubscriberLink link, boolean wasUp, RedisPubSubException error) {
        subscriber.connected = false;
        if (wasUp) {
            subscriber.owner.subscriberDisconnected();
        }
        subscriber.owner.error(error);
    }

    @Override
    public void channelsLost(SubscriberLink link, List<String> wires, HostAndPort redirectedTo) {
        // sharded pub/sub only: a single link never subscribes with SSUBSCRIBE
    }

    @Override
    public void retryNow(SubscriberLink except) {
        if (link != except) {
            link.retryNow();
        }
    }

    @Override
    public void kick() {
        link.kick();
    }

    @Override
    public void watchdog(long now, long timeoutNanos) {
        link.watchdog(now, timeoutNanos);
    }

    @Override
    public void ping() {
        link.ping();
    }

    @Override
    public void run() {
        link.run();
    }

    @Override
    public void stop() {
        link.stop();
    }

    @Override
    public List<Thread> linkThreads() {
        return List.of();
    }
}
