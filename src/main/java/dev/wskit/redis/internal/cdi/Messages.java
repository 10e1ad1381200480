package dev.wskit.redis.internal.cdi;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.spi.Bean;

import dev.wskit.redis.RedisPubSubStats;

/**
 * The texts of the CDI integration's log lines and deployment problems, in one place.
 */
final class Messages {

    /** The prefix of every log line of the CDI integration. */
    static final String PREFIX = "[wskit-redis-pubsub] ";

    private static final String QUALIFIER = "@RedisPubSubClient";

    private Messages() {
    }

    static String invalidDeployment(List<String> problems) {
        StringBuilder sb = new StringBuilder(PREFIX).append("the RedisPubSub bean cannot be deployed, ")
                .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
        for (String problem : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(problem);
        }
        sb.append(System.lineSeparator()).append("  The ").append(ConfigKey.PREFIX)
                .append("* keys come from MicroProfile Config: microprofile-config.properties, system properties"
                        + " or environment variables.");
        return sb.toString();
    }

    static String selfCheckFailed(String endpoint, List<String> problems) {
        StringBuilder sb = new StringBuilder(PREFIX).append("the RedisPubSub bean fails its start: the self-check of"
                + " Redis at ").append(endpoint).append(" found ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append(" and ")
                .append(ConfigKey.SELF_CHECK.key()).append(" is strict:");
        for (String problem : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(problem);
        }
        sb.append(System.lineSeparator()).append("  Fix them, or set ").append(ConfigKey.SELF_CHECK.key())
                .append("=log to deploy and only log them.");
        return sb.toString();
    }

    static String selfCheckNotDone(String endpoint, Duration wait) {
        return PREFIX + "the RedisPubSub bean fails its start: the self-check of Redis at " + endpoint
                + " did not finish within " + wait.toMillis() + " ms and " + ConfigKey.SELF_CHECK.key()
                + " is strict; see that Redis is reachable, or set " + ConfigKey.SELF_CHECK.key()
                + "=log to deploy while Redis is away";
    }

    static String configUnavailable(Throwable cause) {
        return PREFIX + "the RedisPubSub bean cannot read its configuration: MicroProfile Config is not available ("
                + cause + "); WildFly and Payara include it, Open Liberty needs the mpConfig-3.1 feature, elsewhere"
                + " add an implementation such as io.smallrye.config:smallrye-config";
    }

    static String noRedisLocation() {
        return PREFIX + "no Redis location is configured (none of " + ConfigKey.URL.key() + ", " + ConfigKey.HOST.key()
                + ", " + ConfigKey.PORT.key() + ", " + ConfigKey.SENTINEL_NODES.key() + ", "
                + ConfigKey.CLUSTER_NODES.key() + " is set): the RedisPubSub bean connects to the default"
                + " localhost:6379; set " + ConfigKey.URL.key() + " (for example redis://redis.internal:6379) in"
                + " META-INF/microprofile-config.properties, or WSKIT_REDIS_URL in the environment";
    }

    static String ambiguousReplacement(Class<?> type, Set<Bean<?>> beans) {
        return QUALIFIER + " " + type.getSimpleName() + " must be provided by at most one bean, was "
                + beans.size() + ": " + beans + "; remove or qualify the others";
    }

    static String proxiedClient(Bean<?> bean) {
        return QUALIFIER + " UnifiedJedis must be a @Dependent or @Singleton bean, was @"
                + bean.getScope().getSimpleName() + " (" + bean + "); the client proxy of a normal scope hides the"
                + " client's connections from the library";
    }

    static String starting(String endpoint, String namespace, String threads, List<String> replaced) {
        return PREFIX + "RedisPubSub bean connecting to Redis at " + endpoint + " in the background (namespace "
                + namespace + "); the application does not wait for Redis. Threads: " + threads + "."
                + (replaced.isEmpty() ? "" : " From the application: " + String.join(", ", replaced) + ".");
    }

    static String threadsFromBean() {
        return "from the application's " + QUALIFIER + " ThreadFactory bean";
    }

    static String threadsFromContainer() {
        return "from the container's ManagedThreadFactory at " + ContainerThreadFactory.JNDI_NAME;
    }

    static String threadsOwnNoApi() {
        return "the library's own daemon threads (the Jakarta Concurrency API is not on the class path)";
    }

    static String threadsOwnNoLookup(Throwable cause) {
        return "the library's own daemon threads (no ManagedThreadFactory at " + ContainerThreadFactory.JNDI_NAME
                + ": " + cause.getClass().getSimpleName() + ")";
    }

    static String replaced(Class<?> type) {
        return QUALIFIER + " " + type.getSimpleName();
    }

    static String creationFailed(Throwable cause) {
        return PREFIX + "the RedisPubSub bean cannot be created: " + cause.getMessage();
    }

    static String createdAfterStop() {
        return PREFIX + "the RedisPubSub bean cannot be created after the application began to shut down";
    }

    static String notValidated() {
        return PREFIX + "the RedisPubSub bean cannot be created before the deployment is validated";
    }

    static String observerFailed(Object event, Throwable cause) {
        return PREFIX + "an observer of " + event.getClass().getSimpleName() + " threw; ignored (" + cause + ")";
    }

    static String destroyed(RedisPubSubStats stats) {
        return PREFIX + "RedisPubSub bean destroyed: connections closed, threads stopped (published "
                + stats.published() + ", received " + stats.received() + ", reconnects " + stats.reconnects() + ")";
    }
}
