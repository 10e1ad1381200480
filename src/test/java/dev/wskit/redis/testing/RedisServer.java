package dev.wskit.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * One real {@code redis-server} process on a free loopback port, for tests that kill, pause or reconfigure Redis.
 *
 * <p>The server runs without persistence ({@code --save "" --appendonly no}), bound to {@code 127.0.0.1}, with a
 * temporary working directory and its log in {@code target/redis-logs/}. {@link RedisServer.Builder#start()} returns
 * once the server answers PING (at most 10 s, else it fails with the tail of the log).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().requirePass("secret").start()) {
 *     redis.kill9();
 *     redis.restart();            // same port, same options
 *     assertThat(redis.numsub("chat")).isZero();
 * }
 * }</pre>
 *
 * <p>{@link #close()} always kills the process and is idempotent; a JVM shutdown hook kills every server that is
 * still open, so none outlives the test JVM (unless the JVM itself is killed with SIGKILL). All methods are
 * thread-safe.
 */
public final class RedisServer implements AutoCloseable {

    /** Password of {@link #trustStoreFile()}. */
    public static final String TRUSTSTORE_PASSWORD = "changeit";

    /** Password of {@link #clientKeyStoreFile()} and of the key in it. */
    public static final String KEYSTORE_PASSWORD = "client-secret";

    /** How long {@code start()} and {@link #restart()} wait for the server to answer PING. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);

    private static final String HOST = "127.0.0.1";
    private static final int BIND_ATTEMPTS = 5;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<RedisServer> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (RedisServer server : OPEN) {
                server.destroyQuietly();
            }
        }, "redis-server-reaper"));
    }

    private final RedisServerBinary binary;
    private final String password;
    private final String aclUser;
    private final String aclPassword;
    private final boolean tls;
    private final boolean mutualTls;
    private final boolean sentinel;
    private final List<String> extraArgs;
    private final Path workDir;
    private final int sequence;

    private int port;
    private Path logFile;
    private Path outFile;
    // volatile: the shutdown hook reads it without the lock, which a hung caller may hold
    private volatile Process process;
    private boolean paused;
    private boolean closed;

    private RedisServer(Builder builder) {
        this.binary = builder.binary != null ? builder.binary : RedisServerBinary.locate();
        this.password = builder.password;
        this.aclUser = builder.aclUser;
        this.aclPassword = builder.aclPassword;
        this.tls = builder.tls;
        this.mutualTls = builder.mutualTls;
        this.sentinel = builder.sentinel;
        this.extraArgs = List.copyOf(builder.extraArgs);
        this.sequence = SEQUENCE.incrementAndGet();
        try {
            this.workDir = Files.createTempDirectory("wskit-redis-" + sequence + "-");
            if (sentinel) {
                // Sentinel needs a writable config file; it rewrites it on every state change
                Files.createFile(workDir.resolve("sentinel.conf"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for redis-server", e);
        }
    }

    /**
     * Returns a new builder.
     *
     * @return a builder for a plain server without password, never {@code null}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a plain server with default options; same as {@code builder().start()}.
     *
     * @return the running server, never {@code null}
     */
    public static RedisServer start() {
        return builder().start();
    }

    /** Returns the port the server listens on (the TLS port for TLS servers); it stays the same across restarts. */
    public synchronized int port() {
        return port;
    }

    /** Returns {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** Returns the host and port as a Jedis {@link HostAndPort}. */
    public HostAndPort hostAndPort() {
        return new HostAndPort(HOST, port());
    }

    /** Returns {@code redis://127.0.0.1:P}, or {@code rediss://127.0.0.1:P} for TLS servers (no credentials). */
    public String url() {
        return (tls ? "rediss://" : "redis://") + HOST + ":" + port();
    }

    /** Returns whether this server speaks only TLS. */
    public boolean isTls() {
        return tls;
    }

    /** Returns the {@code requirepass} password, or {@code null} if none was set. */
    public String password() {
        return password;
    }

    /** Returns the binary this server runs. */
    public RedisServerBinary binary() {
        return binary;
    }

    /** Returns the Redis log file (kept after {@link #close()} for post-mortems). */
    public synchronized Path logFile() {
        return logFile;
    }

    /**
     * Returns the process id of the current process.
     *
     * @throws IllegalStateException if no process runs (after {@link #kill9()}, {@link #stop()} or {@link #close()})
     */
    public synchronized long pid() {
        requireAlive("pid()");
        return process.pid();
    }

    /** Returns whether the process is alive (a paused process is alive). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Returns an {@link SSLContext} that trusts the generated test CA.
     *
     * @throws IllegalStateException if this is not a TLS server
     */
    public SSLContext sslContext() {
        requireTls("sslContext()");
        return Certificates.get().sslContext;
    }

    /**
     * Returns the PEM file of the generated test CA, which signed the server certificate.
     *
     * @throws IllegalStateException if this is not a TLS server
     */
    public Path caCertFile() {
        requireTls("caCertFile()");
        return Certificates.get().caCert;
    }

    /**
     * Returns a PKCS12 trust store file with the generated test CA, password {@value #TRUSTSTORE_PASSWORD}.
     *
     * @throws IllegalStateException if this is not a TLS server
     */
    public Path trustStoreFile() {
        requireTls("trustStoreFile()");
        return Certificates.get().trustStore;
    }

    /**
     * Returns a PKCS12 key store ({@link #KEYSTORE_PASSWORD}) with a client certificate signed by the test CA, for
     * servers built with {@link Builder#mutualTls()}.
     *
     * @return the key store file
     * @throws IllegalStateException if this is not a TLS server
     */
    public Path clientKeyStoreFile() {
        requireTls("clientKeyStoreFile()");
        return Certificates.get().clientKeyStore;
    }

    /**
     * Returns Jedis TLS options that trust the generated test CA and verify the host name ({@link SslVerifyMode#FULL}).
     * Unlike {@code ssl(true).sslSocketFactory(...)}, which Jedis 8 deprecates, {@code sslOptions(...)} is the current
     * way to configure TLS in {@link DefaultJedisClientConfig}.
     *
     * @throws IllegalStateException if this is not a TLS server
     */
    public SslOptions sslOptions() {
        requireTls("sslOptions()");
        SslOptions.Builder options = SslOptions.builder()
                .truststore(trustStoreFile().toFile(), TRUSTSTORE_PASSWORD.toCharArray())
                .trustStoreType("PKCS12")
                .sslVerifyMode(SslVerifyMode.FULL);
        if (mutualTls) {
            // the server asks for a client certificate
            options.keystore(clientKeyStoreFile().toFile(), KEYSTORE_PASSWORD.toCharArray()).keyStoreType("PKCS12");
        }
        return options.build();
    }

    /**
     * Returns a Jedis client config builder for this server: RESP2, 2 s timeouts, the {@code requirepass} password and
     * TLS ({@link #sslOptions()}) when they apply. Add settings (client name, socket timeout) and {@code build()} it.
     */
    public DefaultJedisClientConfig.Builder clientConfig() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(2000);
        if (password != null) {
            config.password(password);
        }
        if (tls) {
            config.sslOptions(sslOptions());
        }
        return config;
    }

    /**
     * Returns a new connected Jedis client (RESP2, password and TLS when they apply); the caller closes it.
     *
     * @return a new client, never {@code null}
     */
    public Jedis newClient() {
        return new Jedis(hostAndPort(), clientConfig().build());
    }

    /** Returns {@code PUBSUB NUMSUB wireChannel}: the number of subscribers of that exact channel name. */
    public long numsub(String wireChannel) {
        Objects.requireNonNull(wireChannel, "wireChannel must not be null");
        try (Jedis jedis = newClient()) {
            Long count = jedis.pubsubNumSub(wireChannel).get(wireChannel);
            return count == null ? 0 : count;
        }
    }

    /** Returns {@code PUBSUB NUMPAT}: the number of pattern subscriptions. */
    public long numpat() {
        try (Jedis jedis = newClient()) {
            return jedis.pubsubNumPat();
        }
    }

    /** Returns the lines of {@code CLIENT LIST}, without the connection used to ask. */
    public List<String> clientList() {
        try (Jedis jedis = newClient()) {
            String own = "id=" + jedis.clientId() + " ";
            return jedis.clientList().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith(own))
                    .collect(Collectors.toList());
        }
    }

    /** Returns {@code connected_clients} from {@code INFO clients}, without the connection used to ask. */
    public int connectedClients() {
        try (Jedis jedis = newClient()) {
            return jedis.info("clients").lines()
                    .filter(line -> line.startsWith("connected_clients:"))
                    .mapToInt(line -> Integer.parseInt(line.substring("connected_clients:".length()).trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("INFO clients has no connected_clients"))
                    - 1;
        }
    }

    /** Kills the process with SIGKILL and waits until it has exited; {@link #restart()} brings it back. */
    public synchronized void kill9() {
        requireOpen("kill9()");
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
            paused = false;
        }
    }

    /**
     * Starts the server again on the same port with the same options and waits until it answers PING. Kills the
     * current process first if it still runs. Retries a few times if the port is briefly busy.
     */
    public synchronized void restart() {
        requireOpen("restart()");
        if (process != null && process.isAlive()) {
            kill9();
        }
        launch(true);
    }

    /** Freezes the process with SIGSTOP: connections stay open but nothing is answered. */
    public synchronized void pause() {
        requireAlive("pause()");
        signal("STOP");
        awaitState("stopped", true);
        paused = true;
    }

    /** Lets a paused process continue with SIGCONT. */
    public synchronized void resume() {
        requireAlive("resume()");
        signal("CONT");
        awaitState("running", false);
        paused = false;
    }

    /** Shuts the server down with SIGTERM (SIGKILL after 10 s); {@link #restart()} brings it back. */
    public synchronized void stop() {
        requireOpen("stop()");
        if (process != null && process.isAlive()) {
            if (paused) {
                signal("CONT");
                paused = false;
            }
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            waitForExit();
        }
    }

    /** Kills the process (resuming it first if paused) and deletes the working directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        if (process != null && process.isAlive()) {
            if (paused) {
                signalQuietly("CONT");
            }
            process.destroyForcibly();
            waitForExit();
        }
        deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return "RedisServer[" + url() + ", " + binary + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private void launch(boolean samePort) {
        Path logDir = logDirectory();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            if (!samePort) {
                port = freePort();
                logFile = logDir.resolve("redis-" + sequence + "-port" + port + ".log");
                outFile = logDir.resolve("redis-" + sequence + "-port" + port + ".out");
            } else {
                awaitPortFree();
            }
            long logOffset = size(logFile);
            long outOffset = size(outFile);
            try {
                process = new ProcessBuilder(command())
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary.path(), e);
            }
            paused = false;
            OPEN.add(this);
            String failure = awaitReady();
            if (failure == null) {
                return;
            }
            String tail = tail(logFile, logOffset) + tail(outFile, outOffset);
            if (process.isAlive()) {
                process.destroyForcibly();
                waitForExit();
            }
            last = new IllegalStateException("redis-server on " + url() + " " + failure + " (attempt " + attempt
                    + " of " + BIND_ATTEMPTS + ", binary " + binary + ", log " + logFile + "):\n" + tail);
            if (!tail.contains("Address already in use")) {
                break;
            }
        }
        throw last;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(binary.path().toString());
        if (sentinel) {
            // the config file must be the first argument
            command.add(workDir.resolve("sentinel.conf").toString());
            command.add("--sentinel");
        }
        command.addAll(List.of("--save", "", "--appendonly", "no", "--bind", HOST));
        if (tls) {
            Certificates certificates = Certificates.get();
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", certificates.serverCert.toString(),
                    "--tls-key-file", certificates.serverKey.toString(),
                    "--tls-ca-cert-file", certificates.caCert.toString(),
                    "--tls-auth-clients", mutualTls ? "yes" : "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(List.of("--dir", workDir.toString(), "--logfile", logFile.toAbsolutePath().toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        if (aclUser != null) {
            command.addAll(List.of("--user", aclUser, "on", ">" + aclPassword, "~*", "&*", "+@all"));
        }
        command.addAll(extraArgs);
        return command;
    }

    /** Polls PING until it answers; returns {@code null} when ready, else what went wrong. */
    private String awaitReady() {
        long deadline = System.nanoTime() + DEFAULT_START_TIMEOUT.toNanos();
        String lastError = "no attempt";
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return "exited with code " + process.exitValue() + " during start-up";
            }
            DefaultJedisClientConfig config = clientConfig()
                    .connectionTimeoutMillis(500)
                    .socketTimeoutMillis(1000)
                    .build();
            try (Jedis jedis = new Jedis(new HostAndPort(HOST, port), config)) {
                if ("PONG".equals(jedis.ping())) {
                    return null;
                }
            } catch (RuntimeException e) {
                lastError = e.toString();
            }
            try {
                // waitFor doubles as the poll interval and notices an early exit at once
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "start-up was interrupted";
            }
        }
        return "did not answer PING within " + DEFAULT_START_TIMEOUT.toSeconds() + " s (last error: " + lastError
                + ")";
    }

    private void awaitPortFree() {
        try {
            Awaitility.await("port " + port + " to be free")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> isFree(port));
        } catch (ConditionTimeoutException e) {
            // launch() reports the bind failure with the log tail
        }
    }

    private void awaitState(String name, boolean stopped) {
        long pid = process.pid();
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return;
        }
        Awaitility.await("redis-server pid " + pid + " to be " + name)
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> isStopped(stat) == stopped);
    }

    private static boolean isStopped(Path stat) throws IOException {
        String content = Files.readString(stat);
        // format: pid (comm) state ...; comm may contain spaces, so look after the last ')'
        char state = content.charAt(content.lastIndexOf(')') + 2);
        return state == 'T' || state == 't';
    }

    private void signal(String name) {
        long pid = process.pid();
        try {
            // the shell builtin exists everywhere, /bin/kill (procps) does not
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " " + pid)
                    .redirectErrorStream(true)
                    .start();
            String output;
            try (InputStream in = kill.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name + " to " + pid, e);
        }
    }

    private void signalQuietly(String name) {
        try {
            signal(name);
        } catch (RuntimeException e) {
            // SIGKILL follows anyway and also ends a stopped process
        }
    }

    private void destroyQuietly() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("redis-server pid " + process.pid() + " did not exit within "
                        + STOP_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server to exit", e);
        }
    }

    private void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + " called on a closed RedisServer (" + url() + ")");
        }
    }

    private void requireAlive(String operation) {
        requireOpen(operation);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(operation + " needs a running process, but redis-server on " + url()
                    + " is not running; call restart() first");
        }
    }

    private void requireTls(String operation) {
        if (!tls) {
            throw new IllegalStateException(operation + " is only available for TLS servers, " + url()
                    + " is plain TCP; use RedisServer.builder().tls()");
        }
    }

    private static Path logDirectory() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "redis-logs");
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Redis binds with SO_REUSEADDR too, so TIME_WAIT connections do not block it
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Returns the last 40 lines written to {@code file} after {@code offset}. */
    private static String tail(Path file, long offset) {
        if (file == null || !Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(offset, length - 16_384);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                    + (lines.isEmpty() ? "" : "\n");
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    /** Builder of {@link RedisServer}; {@link #start()} starts the process. */
    public static final class Builder {

        private RedisServerBinary binary;
        private String password;
        private String aclUser;
        private String aclPassword;
        private boolean tls;
        private boolean mutualTls;
        private boolean sentinel;
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the binary to run; the default is {@link RedisServerBinary#locate()}.
         *
         * @param binary must not be {@code null}
         * @return this builder
         */
        public Builder binary(RedisServerBinary binary) {
            this.binary = Objects.requireNonNull(binary, "binary must not be null");
            return this;
        }

        /**
         * Sets {@code requirepass}; clients from {@link RedisServer#newClient()} authenticate with it.
         *
         * @param password must not be {@code null} or empty
         * @return this builder
         */
        public Builder requirePass(String password) {
            Objects.requireNonNull(password, "password must not be null");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty");
            }
            this.password = password;
            return this;
        }

        /**
         * Adds an ACL user {@code on >password ~* &* +@all}. The default user is left as it is (no password unless
         * {@link #requirePass(String)} is set), so {@link RedisServer#newClient()} does not log in as this user.
         *
         * @param name must not be {@code null} or empty, and must not be {@code default}
         * @param password must not be {@code null} or empty
         * @return this builder
         */
        public Builder aclUser(String name, String password) {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(password, "password must not be null");
            if (name.isEmpty() || name.equals("default") || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("ACL user name must be non-empty, without spaces and not"
                        + " 'default', was '" + name + "'");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("ACL password must not be empty");
            }
            this.aclUser = name;
            this.aclPassword = password;
            return this;
        }

        /**
         * Makes the server speak only TLS ({@code --port 0 --tls-port P}) with a server certificate for
         * {@code IP:127.0.0.1, DNS:localhost} signed by a test CA that {@code openssl} generates once per JVM.
         * Clients are not asked for certificates.
         *
         * @return this builder
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * Like {@link #tls()}, and the server also asks every client for a certificate signed by the test CA
         * ({@code --tls-auth-clients yes}); {@link RedisServer#clientKeyStoreFile()} holds one.
         *
         * @return this builder
         */
        public Builder mutualTls() {
            this.tls = true;
            this.mutualTls = true;
            return this;
        }

        /**
         * Runs the process as a Redis Sentinel ({@code redis-server sentinel.conf --sentinel}) with an empty, writable
         * {@code sentinel.conf} in its working directory, kept across {@link RedisServer#restart()}. Configure it
         * with {@link #arg(String...)}, for example {@code arg("--sentinel", "monitor", "mymaster", "127.0.0.1",
         * "6380", "2")}. {@link RedisServer#newClient()} then talks to the sentinel.
         *
         * @return this builder
         */
        public Builder sentinel() {
            this.sentinel = true;
            return this;
        }

        /**
         * Appends extra command-line arguments, for example {@code arg("--notify-keyspace-events", "KEA")}.
         *
         * @param args must not be {@code null}
         * @return this builder
         */
        public Builder arg(String... args) {
            extraArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Starts the server and waits until it answers PING.
         *
         * @return the running server, never {@code null}
         * @throws IllegalStateException if it does not answer within 10 s (with the log tail), or if no
         *     {@code redis-server} or (for TLS) no {@code openssl} exists
         */
        public RedisServer start() {
            if (tls) {
                Certificates.get();
            }
            RedisServer server = new RedisServer(this);
            synchronized (server) {
                try {
                    server.launch(false);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
            }
            return server;
        }
    }

    /** Test CA and server certificate, generated with openssl once per JVM. */
    private static final class Certificates {

        private static final Object LOCK = new Object();
        private static Certificates instance;

        final Path caCert;
        final Path serverCert;
        final Path serverKey;
        final Path trustStore;
        final Path clientKeyStore;
        final SSLContext sslContext;

        private Certificates(Path dir) throws IOException, GeneralSecurityException {
            caCert = dir.resolve("ca.crt");
            serverCert = dir.resolve("server.crt");
            serverKey = dir.resolve("server.key");
            trustStore = dir.resolve("truststore.p12");
            clientKeyStore = dir.resolve("client.p12");
            Path caKey = dir.resolve("ca.key");
            Path clientKey = dir.resolve("client.key");
            Path clientCsr = dir.resolve("client.csr");
            Path clientCert = dir.resolve("client.crt");
            Path clientConfig = dir.resolve("client.cnf");
            Path caConfig = dir.resolve("ca.cnf");
            Path serverConfig = dir.resolve("server.cnf");
            Path serverCsr = dir.resolve("server.csr");
            // own config files, so the system openssl.cnf does not matter
            Files.writeString(caConfig, String.join("\n",
                    "[req]",
                    "distinguished_name = dn",
                    "prompt = no",
                    "x509_extensions = v3_ca",
                    "[dn]",
                    "CN = wskit-redis test CA",
                    "[v3_ca]",
                    "basicConstraints = critical,CA:TRUE",
                    "keyUsage = critical,keyCertSign,cRLSign",
                    "subjectKeyIdentifier = hash",
                    ""));
            Files.writeString(serverConfig, String.join("\n",
                    "[req]",
                    "distinguished_name = dn",
                    "prompt = no",
                    "[dn]",
                    "CN = localhost",
                    "[v3_server]",
                    "basicConstraints = critical,CA:FALSE",
                    "keyUsage = critical,digitalSignature,keyEncipherment",
                    "extendedKeyUsage = serverAuth",
                    "subjectAltName = IP:127.0.0.1,DNS:localhost",
                    "authorityKeyIdentifier = keyid",
                    ""));
            openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey);
            openssl(dir, "req", "-config", caConfig, "-new", "-x509", "-key", caKey, "-sha256", "-days", "3650",
                    "-out", caCert);
            openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", serverKey);
            openssl(dir, "req", "-config", serverConfig, "-new", "-key", serverKey, "-sha256", "-out", serverCsr);
            openssl(dir, "x509", "-req", "-in", serverCsr, "-CA", caCert, "-CAkey", caKey,
                    "-set_serial", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                    "-sha256", "-days", "3650", "-extfile", serverConfig, "-extensions", "v3_server",
                    "-out", serverCert);
            Files.writeString(clientConfig, String.join("\n",
                    "[req]",
                    "distinguished_name = dn",
                    "prompt = no",
                    "[dn]",
                    "CN = wskit-redis test client",
                    "[v3_client]",
                    "basicConstraints = critical,CA:FALSE",
                    "keyUsage = critical,digitalSignature",
                    "extendedKeyUsage = clientAuth",
                    "authorityKeyIdentifier = keyid",
                    ""));
            openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", clientKey);
            openssl(dir, "req", "-config", clientConfig, "-new", "-key", clientKey, "-sha256", "-out", clientCsr);
            openssl(dir, "x509", "-req", "-in", clientCsr, "-CA", caCert, "-CAkey", caKey,
                    "-set_serial", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                    "-sha256", "-days", "3650", "-extfile", clientConfig, "-extensions", "v3_client",
                    "-out", clientCert);
            KeyStore client = keyStoreWith(clientKey, clientCert, caCert);
            try (OutputStream out = Files.newOutputStream(clientKeyStore)) {
                client.store(out, KEYSTORE_PASSWORD.toCharArray());
            }
            KeyStore trusted = trustStoreWith(caCert);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trusted.store(out, TRUSTSTORE_PASSWORD.toCharArray());
            }
            sslContext = trusting(trusted);
        }

        static Certificates get() {
            synchronized (LOCK) {
                if (instance == null) {
                    try {
                        Path dir = Files.createTempDirectory("wskit-redis-tls-");
                        dir.toFile().deleteOnExit();
                        instance = new Certificates(dir);
                        try (Stream<Path> files = Files.list(dir)) {
                            files.forEach(file -> file.toFile().deleteOnExit());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot generate TLS test certificates", e);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("cannot load the generated TLS test CA", e);
                    }
                }
                return instance;
            }
        }

        /** A PKCS12 store with the PKCS#8 PEM key of {@code genpkey} and its certificate chain. */
        private static KeyStore keyStoreWith(Path keyFile, Path certFile, Path caCert)
                throws IOException, GeneralSecurityException {
            String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                            java.util.Base64.getDecoder().decode(pem)));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Certificate cert;
            Certificate ca;
            try (InputStream in = Files.newInputStream(certFile); InputStream caIn = Files.newInputStream(caCert)) {
                cert = factory.generateCertificate(in);
                ca = factory.generateCertificate(caIn);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("wskit-redis-test-client", key, KEYSTORE_PASSWORD.toCharArray(),
                    new Certificate[] {cert, ca});
            return store;
        }

        private static KeyStore trustStoreWith(Path caCert) throws IOException, GeneralSecurityException {
            Certificate ca;
            try (InputStream in = Files.newInputStream(caCert)) {
                ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("wskit-redis-test-ca", ca);
            return trustStore;
        }

        private static SSLContext trusting(KeyStore trustStore) throws GeneralSecurityException {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }

        private static void openssl(Path dir, Object... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add("openssl");
            for (Object arg : args) {
                command.add(arg.toString());
            }
            Process process;
            try {
                process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("openssl is needed to generate the TLS test certificates but does"
                        + " not run (" + e.getMessage() + "); install it: apt-get install openssl", e);
            }
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("`" + String.join(" ", command) + "` failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running openssl", e);
            }
        }
    }
}
