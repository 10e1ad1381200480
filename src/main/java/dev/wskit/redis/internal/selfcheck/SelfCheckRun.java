package dev.wskit.redis.internal.selfcheck;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ClientConnectionFactory;
import dev.wskit.redis.internal.connection.ConnectionIo;
import dev.wskit.redis.internal.connection.DirectConnectionFactory;
import dev.wskit.redis.internal.connection.OneSocketConnection;
import dev.wskit.redis.internal.connection.SentinelConnectionFactory;
import dev.wskit.redis.internal.support.Failures;
import dev.wskit.redis.internal.topology.ClusterTopology;

import redis.clients.jedis.Connection;

/**
 * Runs the self-check of one instance once, on a thread of its own from the instance's thread factory, started by
 * {@link #start()} when a connection of the instance first reached Redis. The check opens one short-lived connection
 * of its own (named {@code <clientName>-check}); every command on it has the command timeout, and
 * {@link #stop()} closes it, so the thread always ends. Callers never wait for it.
 *
 * <p>Logs one INFO line summing the check up, one WARNING line per problem and one INFO line per note; the
 * {@linkplain #result() result} completes with the report (with one problem when the check could not run).
 */
public final class SelfCheckRun implements Runnable {

    private final RedisPubSubOptions options;
    private final Supplier<Connection> opener;
    private final ThreadFactory threads;
    private final String threadName;
    private final Logger logger;
    private final String prefix;
    private final String endpoint;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<SelfCheckReport> result = new CompletableFuture<>();
    private volatile Connection connection;
    private volatile Thread thread;
    private volatile boolean stopped;

    /**
     * Prepare the self-check of an instance.
     *
     * @param options the instance's options; must not be {@code null}
     * @param threads the instance's thread factory; must not be {@code null}
     * @param threadName the name of the thread
     * @param logger where to log
     * @param prefix the instance's log prefix
     */
    public SelfCheckRun(RedisPubSubOptions options, ThreadFactory threads, String threadName, Logger logger,
            String prefix) {
        this(options, opener(options), threads, threadName, logger, prefix);
    }

    SelfCheckRun(RedisPubSubOptions options, Supplier<Connection> opener, ThreadFactory threads, String threadName,
            Logger logger, String prefix) {
        this.options = options;
        this.opener = opener;
        this.threads = threads;
        this.threadName = threadName;
        this.logger = logger;
        this.prefix = prefix;
        this.endpoint = options.endpoint();
    }

    /** Open a connection as the instance's own connections are opened, for the topology. */
    private static Supplier<Connection> opener(RedisPubSubOptions options) {
        String role = "check";
        if (options.client() != null) {
            return () -> new ClientConnectionFactory(options.client()).open(role);
        }
        return switch (options.topology()) {
            case SENTINEL -> () -> new SentinelConnectionFactory(options).open(role);
            case CLUSTER -> () -> new ClusterTopology(options).openAny(role);
            default -> () -> new DirectConnectionFactory(options).open(role);
        };
    }

    /**
     * Start the check on its thread, once; later calls do nothing.
     */
    public void start() {
        if (stopped || !started.compareAndSet(false, true)) {
            return;
        }
        Thread t = threads.newThread(this);
        if (t == null) {
            finish(failed("the thread factory returned no thread"));
            return;
        }
        try {
            t.setName(threadName);
        } catch (SecurityException ignored) {
            // a container thread may refuse renaming
        }
        thread = t;
        t.start();
    }

    /**
     * Return the result: completes once, with the report.
     *
     * @return the result; never {@code null}
     */
    public CompletableFuture<SelfCheckReport> result() {
        return result;
    }

    /**
     * Return the report, or {@code null} while the check has not finished.
     *
     * @return the report; can be {@code null}
     */
    public SelfCheckReport report() {
        return result.getNow(null);
    }

    /**
     * Return the thread, if started.
     *
     * @return the thread; can be {@code null}
     */
    public Thread thread() {
        return thread;
    }

    /** Close the check's connection, so that its thread ends soon. Idempotent. */
    public void stop() {
        stopped = true;
        ConnectionIo.discard(connection);
    }

    @Override
    public void run() {
        SelfCheckReport report;
        Connection c = null;
        try {
            c = opener.get();
            connection = c;
            if (stopped) {
                return;
            }
            report = SelfCheck.run(options, c);
            if (options.client() == null && options.topology() == RedisPubSubOptions.Topology.SENTINEL) {
                report = SelfCheck.withSentinels(options, this::sentinel, report);
            }
        } catch (RuntimeException e) {
            if (stopped) {
                return;
            }
            report = failed("the self-check could not run: " + Failures.reason(e) + "; fix: see that Redis at "
                    + endpoint + " answers and the user may run INFO");
        } finally {
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // closing
                }
            }
        }
        finish(report);
    }

    /** Ask one sentinel, on a connection of its own, closed after the one command. */
    private SelfCheck.Redis sentinel(String address) {
        return args -> {
            if (stopped) {
                throw new IllegalStateException("stopped");
            }
            try (Connection c = new OneSocketConnection(ClientConfigs.parse(address),
                    ClientConfigs.sentinel(options))) {
                connection = c;
                return SelfCheck.run0(c, args);
            } finally {
                connection = null;
            }
        };
    }

    private static SelfCheckReport failed(String problem) {
        return new SelfCheckReport(null, List.of(problem), List.of());
    }

    private void finish(SelfCheckReport report) {
        String what = (report.redis() == null ? "Redis" : report.redis()) + " at " + endpoint;
        if (report.passed()) {
            logger.log(Level.INFO, prefix + "self-check of " + what + ": passed"
                    + (report.notes().isEmpty() ? "" : " (" + report.notes().size() + " notes below)"));
        } else {
            logger.log(Level.WARNING, prefix + "self-check of " + what + ": " + report.problems().size()
                    + (report.problems().size() == 1 ? " problem" : " problems") + " below"
                    + (options.selfCheck() == RedisPubSubOptions.SelfCheck.STRICT ? "; the start fails (self-check"
                            + " strict)" : ""));
        }
        for (String problem : report.problems()) {
            logger.log(Level.WARNING, prefix + "self-check: " + problem);
        }
        for (String note : report.notes()) {
            logger.log(Level.INFO, prefix + "self-check note: " + note);
        }
        result.complete(report);
    }

    /**
     * Return the error that fails a strict start.
     *
     * @param report a report with problems; must not be {@code null}
     * @param endpoint where Redis is, without secrets
     * @return the error; never {@code null}
     */
    public static RedisPubSubException strictFailure(SelfCheckReport report, String endpoint) {
        return new RedisPubSubException("the self-check of Redis at " + endpoint + " found "
                + report.problems().size() + (report.problems().size() == 1 ? " problem" : " problems")
                + " (self-check strict): " + String.join("; ", report.problems()));
    }
}
