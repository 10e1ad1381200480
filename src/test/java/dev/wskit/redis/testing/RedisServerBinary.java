package dev.wskit.redis.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locates a {@code redis-server} executable for tests.
 *
 * <p>Search order of {@link #locate()}:
 * <ol>
 *   <li>the system property {@value #BINARY_PROPERTY}: a path to a {@code redis-server}, or {@code embedded} to force
 *       the jar binary;</li>
 *   <li>{@code redis-server} on the {@code PATH}, then in {@code /usr/bin} and {@code /usr/local/bin};</li>
 *   <li>the Redis 6.2 Linux binary shipped inside {@code com.github.codemonstur:embedded-redis}, extracted once per
 *       JVM into a temporary file (a line on stderr says so).</li>
 * </ol>
 * If none of them runs, {@link #locate()} throws {@link IllegalStateException} telling to install
 * {@code redis-server}. Every result is cached for the life of the JVM.
 */
public final class RedisServerBinary {

    /** System property naming a {@code redis-server} to use, or {@code embedded} for the jar binary. */
    public static final String BINARY_PROPERTY = "wskit.test.redis-server";

    private static final String INSTALL_HINT = "install redis-server (apt-get install redis-server)";
    private static final Pattern VERSION = Pattern.compile("v=(\\S+)");

    private static final Object LOCK = new Object();
    private static RedisServerBinary located;
    private static RedisServerBinary embedded;

    private final Path path;
    private final String version;
    private final boolean isEmbedded;
    private final Object tlsLock = new Object();
    private Boolean tls;
    private String tlsProblem;

    private RedisServerBinary(Path path, String version, boolean isEmbedded) {
        this.path = path;
        this.version = version;
        this.isEmbedded = isEmbedded;
    }

    /**
     * Returns the {@code redis-server} the tests use (see the class doc for the search order).
     *
     * @return the binary, never {@code null}
     * @throws IllegalStateException if no runnable {@code redis-server} exists
     */
    public static RedisServerBinary locate() {
        synchronized (LOCK) {
            if (located == null) {
                located = doLocate();
            }
            return located;
        }
    }

    /**
     * Returns the Redis 6.2 binary shipped in the embedded-redis jar, extracting it on first use.
     *
     * @return the extracted binary, never {@code null}
     * @throws IllegalStateException if the jar has no binary for this platform or it does not run here
     */
    public static RedisServerBinary embedded() {
        synchronized (LOCK) {
            if (embedded == null) {
                embedded = extractEmbedded();
            }
            return embedded;
        }
    }

    /** Returns the path of the executable. */
    public Path path() {
        return path;
    }

    /** Returns the version the binary reports, for example {@code 7.0.15}. */
    public String version() {
        return version;
    }

    /** Returns whether this is the binary extracted from the embedded-redis jar. */
    public boolean isEmbedded() {
        return isEmbedded;
    }

    /**
     * Returns whether this binary serves TLS. Measured once per JVM by starting a TLS server with the generated
     * certificates and sending a PING over TLS; needs {@code openssl}.
     *
     * @return {@code true} if a TLS PING succeeded
     */
    public boolean supportsTls() {
        synchronized (tlsLock) {
            if (tls == null) {
                try (RedisServer server = RedisServer.builder().binary(this).tls().start();
                        var client = server.newClient()) {
                    tls = "PONG".equals(client.ping());
                    if (!tls) {
                        tlsProblem = "PING over TLS did not answer PONG";
                    }
                } catch (RuntimeException e) {
                    tls = false;
                    tlsProblem = e.toString();
                }
            }
            return tls;
        }
    }

    /**
     * Returns why {@link #supportsTls()} returned {@code false}.
     *
     * @return the reason, or {@code null} if TLS works or was not probed yet
     */
    public String tlsProblem() {
        synchronized (tlsLock) {
            return tlsProblem;
        }
    }

    @Override
    public String toString() {
        return "redis-server " + version + " at " + path + (isEmbedded ? " (from embedded-redis jar)" : "");
    }

    private static RedisServerBinary doLocate() {
        String forced = System.getProperty(BINARY_PROPERTY, "").trim();
        if (forced.equalsIgnoreCase("embedded")) {
            return embedded();
        }
        if (!forced.isEmpty()) {
            Path path = Path.of(forced);
            String version = versionOf(path);
            if (version == null) {
                throw new IllegalStateException("System property " + BINARY_PROPERTY
                        + " does not name a runnable redis-server, was " + forced + "; " + INSTALL_HINT);
            }
            return new RedisServerBinary(path, version, false);
        }
        for (Path candidate : pathCandidates()) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                String version = versionOf(candidate);
                if (version != null) {
                    return new RedisServerBinary(candidate, version, false);
                }
            }
        }
        RedisServerBinary fallback;
        try {
            fallback = embedded();
        } catch (RuntimeException e) {
            throw new IllegalStateException("No redis-server found on PATH, in /usr/bin or /usr/local/bin, and the"
                    + " binary shipped in com.github.codemonstur:embedded-redis does not run here (" + e.getMessage()
                    + "); " + INSTALL_HINT, e);
        }
        System.err.println("redis-server not found on PATH; using the Redis 6.2 binary shipped in"
                + " com.github.codemonstur:embedded-redis (install redis-server for Redis 7)");
        return fallback;
    }

    private static List<Path> pathCandidates() {
        Set<Path> result = new LinkedHashSet<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    result.add(Path.of(dir, "redis-server"));
                }
            }
        }
        result.add(Path.of("/usr/bin/redis-server"));
        result.add(Path.of("/usr/local/bin/redis-server"));
        return new ArrayList<>(result);
    }

    private static RedisServerBinary extractEmbedded() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the embedded-redis fallback is only wired for Linux, os.name was " + os);
        }
        String resource;
        switch (arch) {
            case "amd64":
            case "x86_64":
                resource = "redis-server-6.2.6-v5-linux-amd64";
                break;
            case "aarch64":
            case "arm64":
                resource = "redis-server-6.2.7-linux-arm64";
                break;
            case "x86":
            case "i386":
            case "i686":
                resource = "redis-server-6.2.7-linux-386";
                break;
            default:
                throw new IllegalStateException("embedded-redis ships no Linux binary for os.arch " + arch);
        }
        try (InputStream in = RedisServerBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource
                        + " not found on the class path; is com.github.codemonstur:embedded-redis a test dependency?");
            }
            Path dir = Files.createTempDirectory("wskit-embedded-redis-");
            Path target = dir.resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            target.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            String version = versionOf(target);
            if (version == null) {
                throw new IllegalStateException("extracted " + resource + " to " + target
                        + " but `redis-server --version` fails (the binary needs libssl.so.3 and libcrypto.so.3): "
                        + run(target, "--version"));
            }
            return new RedisServerBinary(target, version, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " from the embedded-redis jar", e);
        }
    }

    /** Runs {@code binary --version}; returns the version or {@code null} if it does not run. */
    private static String versionOf(Path binary) {
        String output = run(binary, "--version");
        if (!output.startsWith("Redis server")) {
            return null;
        }
        Matcher matcher = VERSION.matcher(output);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    /** Runs the binary; returns its output on success, else a description of the failure. */
    private static String run(Path binary, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] bytes;
            try (InputStream in = process.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "no answer within 10 s";
            }
            String output = new String(bytes, StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? output : "exit code " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
