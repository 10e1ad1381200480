package dev.wskit.redis.internal.health;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * One MBean in the platform MBean server, registered when an instance starts and unregistered when it is
 * destroyed, so that a redeployed application leaves nothing behind.
 *
 * <p>Names: {@code dev.wskit.redis:type=<type>,name=<quoted name>}. Several instances in one JVM (several
 * applications, each with its own copy of the library and so its own {@code #1}) must not collide: when the name is
 * taken, {@code -2}, {@code -3}, ... is appended. A registration that fails (no permission, a JMX problem) is logged
 * once at WARNING and never fails the instance.
 */
public final class JmxRegistration {

    /** The domain of the library's MBeans, {@value}. */
    public static final String DOMAIN = "dev.wskit.redis";

    private static final int ATTEMPTS = 1000;

    private final MBeanServer server;
    private final ObjectName name;

    private JmxRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Register an MXBean.
     *
     * @param type the {@code type} key, such as {@code RedisPubSub}
     * @param name the {@code name} key before quoting, such as {@code wskit-redis-pubsub#1}
     * @param mbean the implementation
     * @param mxbeanInterface its MXBean interface
     * @param logger where a failure is logged
     * @param prefix the log prefix
     * @param <T> the interface
     * @return the registration; {@link #name()} is {@code null} if it failed
     */
    public static <T> JmxRegistration register(String type, String name, T mbean, Class<T> mxbeanInterface,
            Logger logger, String prefix) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            StandardMBean standard = new StandardMBean(mbean, mxbeanInterface, true);
            for (int i = 1; i <= ATTEMPTS; i++) {
                ObjectName objectName = objectName(type, i == 1 ? name : name + "-" + i);
                try {
                    server.registerMBean(standard, objectName);
                    logger.log(Level.DEBUG, () -> prefix + "MBean registered as " + objectName);
                    return new JmxRegistration(server, objectName);
                } catch (InstanceAlreadyExistsException e) {
                    // another instance (another application's copy of the library) has this name
                }
            }
            logger.log(Level.WARNING, prefix + "no MBean registered: " + ATTEMPTS + " MBeans named " + name
                    + " exist already");
        } catch (JMException | RuntimeException | LinkageError e) {
            logger.log(Level.WARNING, prefix + "no MBean registered (" + e + "); the instance works without it");
        }
        return new JmxRegistration(null, null);
    }

    /**
     * Return the name of an MBean of the library.
     *
     * @param type the {@code type} key
     * @param name the {@code name} key before quoting
     * @return the name
     * @throws JMException if it is not a valid name
     */
    public static ObjectName objectName(String type, String name) throws JMException {
        return new ObjectName(DOMAIN + ":type=" + type + ",name=" + ObjectName.quote(name));
    }

    /** Return the name registered; {@code null} if the registration failed. */
    public ObjectName name() {
        return name;
    }

    /** Unregister the MBean; idempotent. */
    public void unregister() {
        if (server == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (JMException | RuntimeException e) {
            System.getLogger("dev.wskit.redis").log(Level.DEBUG, "MBean " + name + " not unregistered", e);
        }
    }
}
