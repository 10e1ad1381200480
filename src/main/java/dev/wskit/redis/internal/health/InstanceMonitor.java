package dev.wskit.redis.internal.health;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection history of one instance that readiness needs: when it last became connected, and an epoch that
 * changes with every connection and every loss of it (a canary sent in another epoch is not judged). Updated by
 * the instance's connection state machine, read by any thread.
 */
public final class InstanceMonitor {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicLong epoch = new AtomicLong();
    private volatile Instant connectedSince;

    /** The instance became connected. */
    public void connected() {
        connectedSince = Instant.now();
        epoch.incrementAndGet();
    }

    /** The instance lost a connection. */
    public void disconnected() {
        connectedSince = null;
        epoch.incrementAndGet();
    }

    /** Return the current epoch. */
    public long epoch() {
        return epoch.get();
    }

    /** Return when the instance last became connected; {@code null} while it is not connected. */
    public Instant connectedSince() {
        return connectedSince;
    }

    /**
     * Return a new random id for an instance's own channels: 16 hex digits, unique across the instances that share
     * a Redis (and across restarts).
     *
     * @return the id
     */
    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
