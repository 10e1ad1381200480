package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One app-server instance running the example WAR (context root {@value #CONTEXT_ROOT}), started as a child process
 * and stopped by PID. Subclasses say how to lay out the instance directory and what command starts it.
 *
 * <p>The instance directory ({@code <work>/<name>}) holds everything the instance writes, and {@code console.log}
 * (stdout and stderr). Redis is configured through the environment ({@code WSKIT_REDIS_URL}), which MicroProfile Config
 * reads on all three servers ahead of the WAR's {@code microprofile-config.properties}.
 */
public abstract class AppServer implements AutoCloseable {

    /** The context root of the example WAR ({@code wskit-chat.war}) on every server. */
    public static final String CONTEXT_ROOT = "wskit-chat";

    /** How long {@link #awaitReady} waits by default. */
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(
            Long.getLong("wskit.examples.boot-timeout-s", 180));

    // HTTP/1.1: the JDK client's default HTTP/2 asks plain-HTTP servers for an h2c upgrade, and Open Liberty 26 parks
    // such a request thread in H2StreamProcessor.waitForConnectionInit, which then delays its shutdown by its whole
    // 30 s quiesce timeout
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The instance name, such as {@code wildfly-1}. */
    protected final String name;
    /** The instance directory. */
    protected final Path dir;
    /** The WAR deployed. */
    protected final Path war;
    /** Further WARs deployed beside it, each at the context root of its file name without {@code .war}. */
    protected final List<Path> moreWars = new ArrayList<>();
    /** The HTTP port. */
    protected final int httpPort;
    /** Environment variables for the server process. */
    protected final Map<String, String> environment = new HashMap<>();
    /** The Java installation running the server. */
    protected Path javaHome = Path.of(System.getProperty("java.home"));

    private ManagedProcess process;
    private List<String> command;
    private Map<String, String> processEnvironment;
    private long startedNanos;
    private long readyMillis = -1;

    /**
     * Describe an instance.
     *
     * @param name the instance name, unique in the work directory
     * @param work the directory holding every instance's directory
     * @param war the WAR to deploy
     */
    protected AppServer(String name, Path work, Path war) {
        this.name = name;
        this.dir = work.resolve(name).toAbsolutePath();
        this.war = war.toAbsolutePath();
        this.httpPort = Ports.free();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " does not exist: build the example WAR first (mvn package)");
        }
    }

    /**
     * Point the instance at a Redis.
     *
     * @param url the Redis URL
     * @return this
     */
    public AppServer redis(String url) {
        return env("WSKIT_REDIS_URL", url);
    }

    /**
     * Set an environment variable of the server process, for example a MicroProfile Config key spelled as one.
     *
     * @param key the variable
     * @param value the value
     * @return this
     */
    public AppServer env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /**
     * Deploy another WAR beside the example, at the context root of its file name without {@code .war}. Call before
     * {@link #start()}.
     *
     * @param other the WAR
     * @return this
     */
    public AppServer alsoDeploy(Path other) {
        if (!Files.isRegularFile(other)) {
            throw new IllegalStateException(other + " does not exist: build it first (mvn package)");
        }
        moreWars.add(other.toAbsolutePath());
        return this;
    }

    /**
     * Return the context root of a WAR deployed by {@link #alsoDeploy(Path)}: its file name without {@code .war}.
     *
     * @param other the WAR
     * @return the context root, without slashes
     */
    public static String contextRootOf(Path other) {
        return other.getFileName().toString().replaceFirst("\\.war$", "");
    }

    /**
     * Return a WebSocket URI of a WAR deployed by {@link #alsoDeploy(Path)}.
     *
     * @param other the WAR
     * @param path the path inside the application, starting with {@code /}
     * @return {@code ws://127.0.0.1:port/<context root><path>}
     */
    public URI webSocket(Path other, String path) {
        return URI.create("ws://127.0.0.1:" + httpPort + "/" + contextRootOf(other) + path);
    }

    /**
     * Run the server with another Java installation.
     *
     * @param home the Java home
     * @return this
     */
    public AppServer javaHome(Path home) {
        this.javaHome = home;
        return this;
    }

    /** Return the server product, such as {@code WildFly}. */
    public abstract String kind();

    /**
     * Prepare the instance directory and return the command that runs the server in the foreground.
     *
     * @return the command line
     * @throws IOException if the directory cannot be prepared
     */
    protected abstract List<String> prepare() throws IOException;

    /**
     * Return log texts that mean the deployment failed, to stop waiting at once.
     *
     * @return the markers
     */
    protected abstract List<String> failureMarkers();

    /** Start the process; returns at once. Use {@link #awaitReady(Duration)} next. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        try {
            Distributions.deleteRecursively(dir);
            Files.createDirectories(dir);
            command = List.copyOf(prepare());
            Map<String, String> env = new HashMap<>(environment);
            env.put("JAVA_HOME", javaHome.toString());
            processEnvironment = Map.copyOf(env);
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + name + " in " + dir, e);
        }
    }

    private void launch() {
        startedNanos = System.nanoTime();
        readyMillis = -1;
        process = ManagedProcess.start(name, command, dir, processEnvironment, log());
        Path console = process.log();
        try {
            launchLogOffset = Files.exists(console) ? Files.size(console) : 0;
        } catch (IOException e) {
            launchLogOffset = 0;
        }
    }

    /** Where the console log stood when the process was launched: what came before is an earlier run's. */
    private volatile long launchLogOffset;

    /**
     * Return log texts that mean the server itself failed to boot, before anything of the example ran (a known race
     * in a server's own startup): the boot is tried once more. None by default.
     *
     * @return the markers
     */
    protected List<String> bootFailureMarkers() {
        return List.of();
    }

    /** The server failed to boot: one of {@link #bootFailureMarkers()} in the log of this launch. */
    private static final class BootFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        BootFailure(String message) {
            super(message);
        }
    }

    private String bootFailure() {
        Path console = process.log();
        try {
            if (!Files.exists(console)) {
                return null;
            }
            String text = Files.readString(console, StandardCharsets.ISO_8859_1);
            String sinceLaunch = text.length() > launchLogOffset ? text.substring((int) launchLogOffset) : "";
            for (String marker : bootFailureMarkers()) {
                if (sinceLaunch.contains(marker)) {
                    return marker;
                }
            }
        } catch (IOException e) {
            // not readable: not found
        }
        return null;
    }

    /**
     * {@link #awaitReady(Duration)}; if the server itself failed to boot ({@link #bootFailureMarkers()}), or its boot
     * hangs (not ready after {@link #BOOT_HANG}; its threads are kept in a file), stop it and launch it once more with
     * the same command line, saying so.
     */
    private void awaitReadyRetryingBoot(Duration timeout) {
        // a boot takes 10 to 30 s here; one that has not ended after this long hangs (seen once: a Payara Micro 7
        // restarted on the same directory and port, silent after Hazelcast's start for 180 s)
        Duration hung = timeout.compareTo(BOOT_HANG) > 0 ? BOOT_HANG : timeout;
        try {
            awaitReady(hung);
        } catch (BootFailure e) {
            System.out.printf("[testkit] %s: the server itself failed to boot (%s); starting it once more%n", name,
                    e.getMessage().lines().findFirst().orElse(""));
            synchronized (this) {
                close();
                launch();
            }
            awaitReady(timeout);
        } catch (AssertionError e) {
            if (hung.equals(timeout) || e.getMessage() == null || !e.getMessage().startsWith("timed out")) {
                throw e;
            }
            System.out.printf("[testkit] %s: not ready after %d s, the boot hangs (threads: %s); starting it once"
                    + " more%n", name, hung.toSeconds(), threadDump("boot"));
            synchronized (this) {
                close();
                launch();
            }
            awaitReady(timeout);
        }
    }

    /** How long a boot may take before it is taken for a hang and started once more. */
    private static final Duration BOOT_HANG = Duration.ofSeconds(90);

    /**
     * Stop the instance by PID, as {@link #close()} does (SIGTERM to the server process and its descendants, SIGKILL
     * after 30 s), and keep its directory for {@link #restart(Duration)}. Returns when every process of the instance
     * is gone.
     *
     * @return the PID of the process stopped
     * @throws IllegalStateException if the instance is not running
     */
    public synchronized long stop() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        long pid = process.pid();
        close();
        return pid;
    }

    /**
     * Start the instance again after {@link #stop()}, with the command line and environment of its first start: the
     * same WAR, the same HTTP port, the same instance directory (not wiped: the console log is appended to). Waits
     * until the page answers, like {@link #awaitReady(Duration)}.
     *
     * @param timeout how long the boot may take
     * @throws IllegalStateException if the instance never started, or still runs
     */
    public void restart(Duration timeout) {
        synchronized (this) {
            if (command == null) {
                throw new IllegalStateException(name + " was never started");
            }
            if (process.isAlive()) {
                throw new IllegalStateException(name + " is running");
            }
            try {
                beforeRestart();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the restart of " + name + " in " + dir, e);
            }
            launch();
        }
        awaitReadyRetryingBoot(timeout);
    }

    /**
     * Prepare the instance directory for {@link #restart(Duration)}; by default nothing: the server starts on what its
     * last run left.
     *
     * @throws IOException if the directory cannot be prepared
     */
    protected void beforeRestart() throws IOException {
    }

    /**
     * Wait until the example page answers 200, the process died, or the log shows a failed deployment.
     *
     * @param timeout how long at most
     * @throws AssertionError if the instance did not become ready; the message has the end of its log
     */
    public void awaitReady(Duration timeout) {
        try {
            Wait.until(name + " serving " + page(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitCode().orElse(-1) + "\n"
                            + process.tail(60));
                }
                String boot = bootFailure();
                if (boot != null) {
                    throw new BootFailure(name + " failed to boot (" + boot + ")\n" + process.tail(40));
                }
                String marker = failure();
                if (marker != null) {
                    throw new AssertionError(name + " failed to deploy the example (" + marker + "):\n"
                            + process.tail(80));
                }
                return status(page()) == 200;
            });
        } catch (AssertionError e) {
            if (e.getMessage().startsWith("timed out")) {
                throw new AssertionError(e.getMessage() + "\n--- end of " + process.log() + ":\n" + process.tail(80));
            }
            throw e;
        }
        readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        System.out.printf("[testkit] %s (%s) ready in %d ms on port %d, pid %d, log %s%n", name, kind(), readyMillis,
                httpPort, process.pid(), process.log());
    }

    private String failure() {
        for (String marker : failureMarkers()) {
            if (logContains(marker)) {
                return marker;
            }
        }
        return null;
    }

    private static int status(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Start several instances at once and wait until all are ready; stops them all if one fails.
     *
     * @param servers the instances
     */
    public static void startAll(AppServer... servers) {
        List<AppServer> started = new ArrayList<>();
        try {
            for (AppServer s : servers) {
                s.start();
                started.add(s);
            }
            for (AppServer s : servers) {
                s.awaitReadyRetryingBoot(DEFAULT_BOOT_TIMEOUT);
            }
        } catch (RuntimeException | AssertionError e) {
            started.forEach(AppServer::close);
            throw e;
        }
    }

    /** Tell whether {@link #undeploy()} and {@link #redeploy()} work on this server. */
    public boolean supportsRedeploy() {
        return false;
    }

    /** Undeploy the example while the server keeps running; returns when the page is gone. */
    public void undeploy() {
        throw new UnsupportedOperationException(kind() + ": no hot undeploy");
    }

    /** Deploy the example again after {@link #undeploy()}; returns when the page answers. */
    public void redeploy() {
        throw new UnsupportedOperationException(kind() + ": no hot redeploy");
    }

    /**
     * Wait until the page answers with a status.
     *
     * @param expected the status, or -1 for "anything but 200"
     * @param timeout how long at most
     */
    protected void awaitPage(int expected, Duration timeout) {
        Wait.until(name + " answering " + (expected == -1 ? "not 200" : expected) + " at " + page(), timeout, () -> {
            int status = status(page());
            return expected == -1 ? status != 200 : status == expected;
        });
    }

    /**
     * Return the HTTP status of the example's page now.
     *
     * @return the status, or -1 if nothing answers (connection refused, timeout)
     */
    public int pageStatus() {
        return status(page());
    }

    /** Return the instance name. */
    public String name() {
        return name;
    }

    /** Return the HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /**
     * Return the MicroProfile Health readiness endpoint of the instance; on the HTTP port by default.
     *
     * @return {@code http://127.0.0.1:port/health/ready}
     */
    public URI readiness() {
        return URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
    }

    /**
     * Return the MicroProfile Health liveness endpoint of the instance; beside {@link #readiness()}.
     *
     * @return {@code .../health/live}
     */
    public URI liveness() {
        return URI.create(readiness().toString().replaceFirst("/ready$", "/live"));
    }

    /** An HTTP answer: its status and body. */
    public record Response(int status, String body) {
    }

    /**
     * GET a URI over HTTP/1.1.
     *
     * @param uri the URI
     * @return the answer; status -1 and an empty body if nothing answers
     */
    public static Response get(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "");
        }
    }

    /** Return the example's chat page. */
    public URI page() {
        return URI.create("http://127.0.0.1:" + httpPort + "/" + CONTEXT_ROOT + "/");
    }

    /**
     * Return the WebSocket URI of a chat room.
     *
     * @param room the room
     * @return {@code ws://127.0.0.1:port/wskit-chat/chat/<room>}
     */
    public URI chat(String room) {
        return URI.create("ws://127.0.0.1:" + httpPort + "/" + CONTEXT_ROOT + "/chat/" + room);
    }

    /** Return the console log. */
    public Path log() {
        return dir.resolve("console.log");
    }

    /** Return every log file of the instance: the console log, and the server's own log if it has one. */
    public List<Path> logs() {
        return List.of(log());
    }

    /**
     * Write the instance's threads to a file in its directory with {@code jcmd Thread.print} of its own JDK, for a
     * failure's diagnosis; never throws.
     *
     * @param label a part of the file name, such as the failing step
     * @return the file written, or a line that says why there is none
     */
    public String threadDump(String label) {
        ManagedProcess p = process;
        if (p == null || !p.isAlive()) {
            return "(no thread dump: " + name + " is not running)";
        }
        Path file = dir.resolve("threads-" + label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + System.nanoTime() + ".txt");
        try {
            Process jcmd = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(p.pid()),
                    "Thread.print").redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return "(thread dump of " + name + " timed out: " + file + ")";
            }
            return file.toString();
        } catch (IOException e) {
            return "(no thread dump of " + name + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump of " + name + ": interrupted)";
        }
    }

    /** Return the milliseconds from start to ready, or -1. */
    public long readyMillis() {
        return readyMillis;
    }

    /** Return the process, while it runs. */
    public ManagedProcess process() {
        return process;
    }

    /**
     * Tell whether the console log contains a text.
     *
     * @param text the text
     * @return whether it does
     */
    public boolean logContains(String text) {
        for (Path file : logs()) {
            try {
                if (Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                // not readable: not found
            }
        }
        return false;
    }

    /**
     * Count the lines of the logs that contain a text; a line written to several of them counts in each.
     *
     * @param text the text
     * @return the number of lines
     */
    public long logLines(String text) {
        long count = 0;
        for (Path file : logs()) {
            try {
                if (Files.exists(file)) {
                    try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                        count += lines.filter(line -> line.contains(text)).count();
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // not readable: not found
            }
        }
        return count;
    }

    /**
     * Return the lines of the logs that contain a text, file after file.
     *
     * @param text the text
     * @return the lines; never {@code null}
     */
    public List<String> logLinesContaining(String text) {
        List<String> found = new ArrayList<>();
        for (Path file : logs()) {
            try {
                if (Files.exists(file)) {
                    try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                        lines.filter(line -> line.contains(text)).forEach(found::add);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // not readable: not found
            }
        }
        return found;
    }

    /** Stop the instance by PID (SIGTERM, then SIGKILL after 30 s). Idempotent. */
    @Override
    public synchronized void close() {
        if (process != null) {
            long t = System.nanoTime();
            process.stop(Duration.ofSeconds(30));
            System.out.printf("[testkit] %s stopped in %d ms%n", name, (System.nanoTime() - t) / 1_000_000);
        }
    }

    @Override
    public String toString() {
        return name + " (" + kind() + ", http " + httpPort + ")";
    }
}
