package dev.wskit.redis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    @Test
    void anInstanceListensOnTheLoopbackInterfaceOnly() throws Exception {
        InetAddress other = nonLoopbackAddress();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DemoInstance.class.getName(), "bind-check", "0")
                .redirectErrorStream(true);
        // Redis unreachable does not stop the instance from starting: it connects in the background
        builder.environment().put("WSKIT_REDIS_URL", "redis://127.0.0.1:" + closedPort());
        Process process = builder.start();
        try {
            int[] ports = readyPorts(process);
            for (int port : ports) {
                assertThat(accepts(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:%d", port).isTrue();
                // the kernel's table of listening sockets: every one on this port is bound to 127.0.0.1
                assertThat(listeningAddresses(port)).as("local addresses listening on port %d", port)
                        .isNotEmpty().containsOnly("0100007F");
                if (other != null) {
                    assertThat(accepts(other, port)).as("%s:%d must not be reachable", other.getHostAddress(), port)
                            .isFalse();
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The local addresses (hex, as the kernel writes them: {@code 0100007F} is 127.0.0.1, all zeros the wildcard)
     * of the sockets listening on a TCP port, from {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
     */
    private static List<String> listeningAddresses(int port) throws IOException {
        String portHex = String.format("%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A = LISTEN
                if (fields.length > 3 && fields[3].equals("0A") && fields[1].endsWith(":" + portHex)) {
                    String address = fields[1].substring(0, fields[1].indexOf(':'));
                    // an IPv4 address on a dual-stack socket: ::ffff:127.0.0.1
                    addresses.add(address.equals("0000000000000000FFFF00000100007F") ? "0100007F" : address);
                }
            }
        }
        assertThat(Path.of("/proc/net/tcp")).as("the kernel's socket table (Linux)").exists();
        return addresses;
    }

    /** The ports of the READY line, read within a bounded time. */
    private static int[] readyPorts(Process process) throws Exception {
        CompletableFuture<int[]> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = Pattern.compile("READY http=(\\d+) ws=(\\d+)").matcher(line);
                    if (m.matches()) {
                        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("the instance exited before it was ready:\n" + seen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ready.get(2, TimeUnit.MINUTES);
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return address;
                }
            }
        }
        return null;
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
