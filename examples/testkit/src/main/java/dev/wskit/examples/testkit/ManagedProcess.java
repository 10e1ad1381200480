package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child process started by a test, stopped by its PID (and the PIDs of its descendants), always.
 *
 * <p>Output (stdout and stderr) goes to a log file; the PID to a pid file beside it. {@link #stop(Duration)} sends
 * SIGTERM to the process and every descendant, waits, then SIGKILLs what is left. A JVM shutdown hook stops every
 * process still running, so none outlives a test JVM that ends normally or by SIGTERM. A process left behind by a
 * test JVM that was SIGKILLed is found by its pid file at the next start in the same directory and killed then, if its
 * command line still names that directory.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ManagedProcess p : RUNNING) {
                p.stop(Duration.ofSeconds(5));
            }
        }, "managed-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ManagedProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    /**
     * Start a process.
     *
     * @param name a name for messages
     * @param command the command line
     * @param workDir the working directory; also where a stale process of an earlier run is looked for
     * @param environment variables to add to this JVM's environment
     * @param log the file receiving stdout and stderr (appended)
     * @return the running process
     */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Map<String, String> environment,
            Path log) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            Path pidFile = log.resolveSibling(log.getFileName() + ".pid");
            killStale(pidFile, workDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Files.writeString(log, "== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            ManagedProcess managed = new ManagedProcess(name, process, log, pidFile);
            RUNNING.add(managed);
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Kill a process an earlier, killed test JVM left behind in the same directory. */
    private static void killStale(Path pidFile, Path workDir) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.delete(pidFile);
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent() && handle.get().info().commandLine().orElse("").contains(workDir.toString())) {
            System.err.println("[testkit] killing stale process " + pid + " of an earlier run in " + workDir);
            kill(handle.get(), Duration.ofSeconds(5));
        }
    }

    /** Return the name given at start. */
    public String name() {
        return name;
    }

    /** Return the PID. */
    public long pid() {
        return process.pid();
    }

    /** Return the log file. */
    public Path log() {
        return log;
    }

    /** Tell whether the process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Return the exit code, if the process ended.
     *
     * @return the code, or empty while it runs
     */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * Return the last lines of the log, for failure messages.
     *
     * @param lines how many
     * @return the lines, joined
     */
    public String tail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .collect(Collectors.joining(System.lineSeparator()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Send SIGKILL to the process and its descendants, and wait until they are gone. */
    public void kill9() {
        List<ProcessHandle> all = withDescendants(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        waitFor(all, Duration.ofSeconds(10));
        RUNNING.remove(this);
        deletePidFile();
    }

    /**
     * Stop the process and its descendants by PID: SIGTERM, then SIGKILL after the grace period. Idempotent.
     *
     * @param grace how long to wait after SIGTERM
     */
    public void stop(Duration grace) {
        kill(process.toHandle(), grace);
        RUNNING.remove(this);
        deletePidFile();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // only a hint for the next run
        }
    }

    private static void kill(ProcessHandle root, Duration grace) {
        List<ProcessHandle> descendants = root.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        root.destroy();
        // the server is the deepest process; a wrapper script (WildFly's standalone.sh) may linger after its child
        // ended (it loops on `wait` for a while), so it gets only a short grace of its own once the server is gone
        boolean serverGone = descendants.isEmpty() ? waitFor(List.of(root), grace) : waitFor(descendants, grace);
        if (!descendants.isEmpty() && serverGone) {
            waitFor(List.of(root), Duration.ofMillis(300));
        }
        if (root.isAlive() || descendants.stream().anyMatch(ProcessHandle::isAlive)) {
            root.descendants().forEach(ProcessHandle::destroyForcibly);
            descendants.forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly();
            waitFor(withDescendants(root), Duration.ofSeconds(10));
        }
    }

    private static List<ProcessHandle> withDescendants(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        // children first: a script that forwards signals may exit before its child
        root.descendants().forEach(all::add);
        all.add(root);
        return all;
    }

    private static boolean waitFor(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return handles.stream().noneMatch(ProcessHandle::isAlive);
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // timeout: checked below
            }
        }
        return handles.stream().noneMatch(ProcessHandle::isAlive);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
