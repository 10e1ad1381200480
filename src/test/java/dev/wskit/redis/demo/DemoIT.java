package dev.wskit.redis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wskit.redis.testing.RedisServer;
import dev.wskit.redis.testing.RedisServerBinary;

/**
 * The demo's smoke mode, run as the README runs it: a launcher JVM starting two instance JVMs, one real Redis, a
 * message sent by a WebSocket client of instance 1 received by a client of instance 2. Each way of finding Redis is
 * covered, and a smoke run that cannot succeed must say so and exit with 1.
 */
class DemoIT {

    @TempDir
    Path temp;

    @Test
    void withoutRedisUrlNorLocalRedisItStartsThePrivateEmbeddedBinary() throws Exception {
        Result result = smoke(Map.of(), "-D" + Demo.LOCAL_REDIS_PROPERTY + "=redis://127.0.0.1:" + closedPort(),
                "-D" + RedisServerBinary.BINARY_PROPERTY + "=embedded");

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output)
                .contains("starting a private one")
                .contains("the binary shipped in the embedded-redis jar")
                .contains("SMOKE PASSED");
    }

    @Test
    void redisUrlWinsAndItsPasswordIsNeverPrinted() throws Exception {
        String password = "demo-secret-" + System.nanoTime();
        try (RedisServer server = RedisServer.builder().requirePass(password).start()) {
            String url = "redis://default:" + password + "@127.0.0.1:" + server.port();

            Result result = smoke(Map.of("REDIS_URL", url));

            assertThat(result.exitCode).as(result.output).isZero();
            assertThat(result.output)
                    .contains("redis://default:***@127.0.0.1:" + server.port() + " (from REDIS_URL)")
                    .contains("SMOKE PASSED")
                    .doesNotContain(password);
        }
    }

    @Test
    void aSmokeRunThatCannotDeliverFailsWithExitCodeOne() throws Exception {
        Result result = smoke(Map.of("REDIS_URL", "redis://127.0.0.1:" + closedPort()));

        assertThat(result.exitCode).as(result.output).isEqualTo(1);
        assertThat(result.output).contains("SMOKE FAILED").doesNotContain("SMOKE PASSED");
    }

    private Result smoke(Map<String, String> env, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Demo.class.getName(), "--smoke"));
        Path output = temp.resolve("demo-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("REDIS_URL");
        builder.environment().remove("WSKIT_REDIS_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(4, TimeUnit.MINUTES);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the demo did not exit within 4 minutes; its output:%n%s", text).isTrue();
            return new Result(process.exitValue(), text);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exitCode, String output) {
    }
}
