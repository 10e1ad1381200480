package dev.wskit.redis.internal.websocket.deploy;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.management.ObjectName;

import dev.wskit.redis.internal.health.JmxRegistration;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * What operators see of one deployed endpoint class: its MXBean ({@link RedisPubSubEndpointMXBean}) and its entry in
 * {@link #registered()}, which metrics read at collection time. Created when the application deploys the endpoint,
 * closed when it stops ({@link RedisPubSubEndpointInitializer}).
 *
 * <p>Each application holds its own copy of the library, so {@link #registered()} holds the endpoints of one
 * application; the MBean server is the JVM's, so the MBean's name carries the context path, and
 * {@link JmxRegistration} appends {@code -2}, ... if another application still holds the name (two applications at
 * one context path during a redeployment).
 *
 * <p>Thread-safe; every attribute reads the endpoint's counters at the moment it is read.
 */
public final class EndpointMonitor implements RedisPubSubEndpointMXBean {

    /** The {@code type} key of the MBeans, {@value}. */
    public static final String TYPE = "RedisPubSubEndpoint";

    private static final List<EndpointMonitor> REGISTERED = new CopyOnWriteArrayList<>();

    private final String contextPath;
    private final EndpointRegistration registration;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile JmxRegistration jmx;

    EndpointMonitor(String contextPath, EndpointRegistration registration) {
        this.contextPath = contextPath == null ? "" : contextPath;
        this.registration = registration;
    }

    /**
     * Register the MBean of a deployed endpoint and add it to {@link #registered()}.
     *
     * @param contextPath the application's context path; can be {@code null} or empty for the root
     * @param registration the endpoint; must not be {@code null}
     * @return the monitor, to {@link #close()} when the application stops; never {@code null}
     */
    public static EndpointMonitor register(String contextPath, EndpointRegistration registration) {
        EndpointMonitor monitor = new EndpointMonitor(contextPath, registration);
        monitor.jmx = JmxRegistration.register(TYPE, monitor.name(), monitor, RedisPubSubEndpointMXBean.class,
                EndpointRegistration.LOGGER, "[" + registration.type().getName() + " at " + monitor.name() + "] ");
        REGISTERED.add(monitor);
        return monitor;
    }

    /**
     * Return the endpoints of this application deployed now, in deployment order.
     *
     * @return a snapshot; never {@code null}
     */
    public static List<EndpointMonitor> registered() {
        return List.copyOf(REGISTERED);
    }

    /** Unregister the MBean and leave {@link #registered()}; idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            REGISTERED.remove(this);
            JmxRegistration registered = jmx;
            if (registered != null) {
                registered.unregister();
                EndpointRegistration.LOGGER.log(Level.DEBUG, () -> "MBean " + registered.name() + " unregistered");
            }
        }
    }

    /**
     * Return the MBean's name, {@code null} if the registration failed.
     *
     * @return the name
     */
    public ObjectName objectName() {
        JmxRegistration registered = jmx;
        return registered == null ? null : registered.name();
    }

    /**
     * Return the context path and the endpoint's path, such as {@code /wskit-chat/chat/{room}}: what the MBean and the
     * metrics name the endpoint by.
     *
     * @return the name; never {@code null}
     */
    public String name() {
        return contextPath + registration.path();
    }

    /**
     * Return the endpoint's counters now.
     *
     * @return the counters; never {@code null}
     */
    public RedisPubSubEndpointStats stats() {
        return registration.stats();
    }

    /**
     * Return the room memberships of the open sessions now.
     *
     * @return the number
     */
    public long memberships() {
        return registration.sessions().memberships();
    }

    /**
     * Return the messages waiting in the deepest send queue now.
     *
     * @return the number
     */
    public int sendQueueDepthMax() {
        return registration.sessions().maxQueuedMessages();
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public String getPath() {
        return registration.path();
    }

    @Override
    public String getEndpointClass() {
        return registration.type().getName();
    }

    @Override
    public int getSessions() {
        return stats().sessions();
    }

    @Override
    public int getRooms() {
        return stats().channels();
    }

    @Override
    public long getMemberships() {
        return memberships();
    }

    @Override
    public int getSendQueueDepthMax() {
        return sendQueueDepthMax();
    }

    @Override
    public long getQueuedBytes() {
        return stats().queuedBytes();
    }

    @Override
    public long getClosedForOverflow() {
        return stats().closedForOverflow();
    }

    @Override
    public long getClosedForSize() {
        return stats().closedForSize();
    }

    @Override
    public long getClosedForPolicy() {
        return stats().refused();
    }

    @Override
    public long getRateLimited() {
        return stats().rateLimited();
    }

    @Override
    public long getDropped() {
        return stats().dropped();
    }

    @Override
    public long getPublishFailures() {
        return stats().publishFailures();
    }

    @Override
    public long getRefusedOrigins() {
        return stats().refusedOrigins();
    }

    @Override
    public long getMissedMessages() {
        return stats().missedMessages();
    }

    @Override
    public long getSubscriptionGaps() {
        return stats().subscriptionGaps();
    }

    @Override
    public long getDrainedSessions() {
        return stats().drainedSessions();
    }

    @Override
    public long getDrainDelivered() {
        return stats().drainDelivered();
    }

    @Override
    public long getDrainDropped() {
        return stats().drainDropped();
    }

    @Override
    public String toString() {
        return "EndpointMonitor{" + name() + "}";
    }
}
