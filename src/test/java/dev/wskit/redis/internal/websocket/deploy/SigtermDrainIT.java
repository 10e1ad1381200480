package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The drain on SIGTERM in a real JVM: a child JVM registers a drain and a shutdown hook (as a server's shutdown is
 * one), gets SIGTERM, twice, as WildFly's JVM does from its start script and from whoever stopped it; the drain runs
 * once and ends before the shutdown hooks start, and the JVM ends as a SIGTERM ends it (exit code 143).
 */
class SigtermDrainIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What the child's own lines start with, among the library's log lines. */
    private static final String PREFIX = "child: ";

    /** The child JVM. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> say("hook")));
            SigtermDrain.shared().register("child", () -> {
                say("draining");
                // the drain blocks for a while, as one spread over a window does: the second signal comes in it
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                }
                say("drained");
            }, Duration.ofSeconds(5));
            say("ready");
            new CompletableFuture<Void>().get(60, TimeUnit.SECONDS);
        }

        private static synchronized void say(String line) {
            System.out.println(PREFIX + line);
            System.out.flush();
        }
    }

    @Test
    void aSigtermDrainsBeforeTheShutdownHooksRunAndEndsTheJvmAsASigtermDoes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(line -> {
                    seen.add(line);
                    lines.add(line);
                });
            } catch (Exception e) {
                // the child ended
            }
        });
        reader.start();
        try {
            assertThat(next(lines, "ready")).as("the child's output: %s", seen).isEqualTo("ready");
            // SIGTERM; through the handle: Process.destroy() would also close the pipe of the child's output
            child.toHandle().destroy();
            assertThat(next(lines, "draining")).as("the child's output: %s", seen).isEqualTo("draining");
            // a second SIGTERM during the drain
            child.toHandle().destroy();
            assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the child ended").isTrue();
            reader.join(WAIT.toMillis());
            List<String> rest = List.copyOf(lines).stream().filter(l -> l.startsWith(PREFIX))
                    .map(l -> l.substring(PREFIX.length())).toList();
            assertThat(rest).as("what the child said after the drain began: %s", seen)
                    .containsExactly("drained", "hook");
            assertThat(child.exitValue()).isEqualTo(143);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The next line that is one of the child's words, waiting at most {@link #WAIT}. */
    private static String next(LinkedBlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(PREFIX + expected)) {
                return line == null ? null : expected;
            }
        }
    }
}
