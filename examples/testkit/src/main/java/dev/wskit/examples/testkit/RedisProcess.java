package dev.wskit.examples.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real {@code redis-server} (from the {@code PATH}, or {@code wskit.examples.redis-server}) on a free loopback port,
 * without persistence, for tests that kill and restart Redis. Never the Redis on port 6379.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start(workDir)) {
 *     redis.kill9();
 *     redis.restart();                 // same port
 *     redis.numsub("chat:lobby");      // PUBSUB NUMSUB
 * }
 * }</pre>
 */
public final class RedisProcess implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path dir;
    private final int port;
    private ManagedProcess process;
    private int starts;

    private RedisProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Start a server on a free port and wait until it answers PING (at most 10 s).
     *
     * @param dir where its log goes
     * @return the running server
     */
    public static RedisProcess start(Path dir) {
        RedisProcess redis = new RedisProcess(dir, Ports.free());
        redis.startProcess();
        return redis;
    }

    /**
     * Reserve a free port for a server started later with {@link #restart()}: for tests of applications that start
     * while Redis is down.
     *
     * @param dir where its log goes
     * @return the server, not running yet
     */
    public static RedisProcess notStarted(Path dir) {
        return new RedisProcess(dir, Ports.free());
    }

    /** Return the port; the same across restarts. */
    public int port() {
        return port;
    }

    /** Return {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    /** Kill the server with SIGKILL: clients see their connections break, nothing is shut down cleanly. */
    public synchronized void kill9() {
        if (process != null) {
            process.kill9();
        }
    }

    /** Start the server again on the same port and wait until it answers PING. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        startProcess();
    }

    private synchronized void startProcess() {
        String binary = System.getProperty("wskit.examples.redis-server", "redis-server");
        List<String> command = List.of(binary, "--port", Integer.toString(port), "--bind", HOST,
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no");
        starts++;
        try {
            process = ManagedProcess.start("redis-server:" + port, command, dir, Map.of(),
                    dir.resolve("redis-" + port + ".log"));
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start redis-server (install it: apt-get install redis-server, or"
                    + " set -Dwskit.examples.redis-server=/path/to/redis-server): " + e.getMessage(), e);
        }
        Wait.until("redis-server on port " + port + " answers PING", Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + process.tail(20));
            }
            try {
                return "PONG".equals(command("PING"));
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Return how many clients are subscribed to a channel ({@code PUBSUB NUMSUB}).
     *
     * @param channel the channel as on the wire, namespace included
     * @return the number of subscribers; -1 if Redis does not answer
     */
    public long numsub(String channel) {
        try {
            Object reply = command("PUBSUB", "NUMSUB", channel);
            return Long.parseLong(((List<?>) reply).get(1).toString());
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Return how many client connections have a name starting with a prefix ({@code CLIENT LIST}).
     *
     * @param prefix the name prefix, such as {@code wskit-redis-pubsub}
     * @return the number; -1 if Redis does not answer
     */
    public long clientsNamed(String prefix) {
        try {
            String list = command("CLIENT", "LIST").toString();
            return list.lines().filter(line -> line.contains(" name=" + prefix)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Return the channels that have at least one subscriber ({@code PUBSUB CHANNELS pattern}), sorted.
     *
     * @param pattern a glob-style pattern, such as {@code chat:*}
     * @return the channels
     * @throws UncheckedIOException if Redis does not answer
     */
    public List<String> channels(String pattern) {
        try {
            List<String> channels = new ArrayList<>();
            for (Object channel : (List<?>) command("PUBSUB", "CHANNELS", pattern)) {
                channels.add(channel.toString());
            }
            channels.sort(null);
            return channels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every named connection as {@code name sub=N psub=N cmd=...}, for a failure's message. */
    private String subscribers() {
        try {
            List<String> described = new ArrayList<>();
            for (String line : command("CLIENT", "LIST").toString().split("\\R")) {
                Map<String, String> f = new LinkedHashMap<>();
                for (String field : line.trim().split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        f.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                if (!f.getOrDefault("name", "").isEmpty()) {
                    described.add(f.get("name") + " sub=" + f.get("sub") + " psub=" + f.get("psub") + " cmd="
                            + f.get("cmd"));
                }
            }
            return String.join("; ", described);
        } catch (IOException | RuntimeException e) {
            return "(CLIENT LIST failed: " + e + ")";
        }
    }

    /**
     * Return the client connections named {@code <name>} or {@code <name>-<role>} ({@code CLIENT LIST}; the library
     * names its connections {@code <client-name>-sub} and {@code <client-name>-pub}), each as its fields
     * ({@code addr}, {@code name}, {@code sub} (channel subscriptions), {@code cmd} ...).
     *
     * @param name the connection name, without the role
     * @return the connections
     * @throws UncheckedIOException if Redis does not answer
     */
    public List<Map<String, String>> clients(String name) {
        try {
            List<Map<String, String>> clients = new ArrayList<>();
            for (String line : command("CLIENT", "LIST").toString().split("\\R")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : line.trim().split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                String connectionName = fields.getOrDefault("name", "");
                if (connectionName.equals(name) || connectionName.startsWith(name + "-")) {
                    clients.add(fields);
                }
            }
            return clients;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Wait until a channel has exactly this many subscribers.
     *
     * @param channel the channel as on the wire
     * @param expected the number
     * @param timeout how long at most
     */
    public void awaitNumsub(String channel, long expected, Duration timeout) {
        awaitNumsub(channel, expected, timeout, Duration.ofMillis(100));
    }

    /**
     * Wait until a channel has exactly this many subscribers, checking at a given pace.
     *
     * @param channel the channel as on the wire
     * @param expected the number
     * @param timeout how long at most
     * @param poll the pause between two checks
     */
    public void awaitNumsub(String channel, long expected, Duration timeout, Duration poll) {
        BooleanSupplier done = () -> numsub(channel) == expected;
        try {
            Wait.until("PUBSUB NUMSUB " + channel + " == " + expected, timeout, poll, done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last answer: " + numsub(channel) + "; subscriber connections: "
                    + subscribers() + ")", e);
        }
    }

    /**
     * Publish a message, as any Redis client could.
     *
     * @param channel the channel as on the wire
     * @param message the payload
     * @return the number of subscribers that received it
     */
    public long publish(String channel, String message) {
        try {
            return Long.parseLong(command("PUBLISH", channel, message).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publish many messages on one connection, pipelined (all commands written before any reply is read), so that
     * they reach the subscribers as one burst, in this order.
     *
     * @param channel the channel as on the wire
     * @param messages the payloads
     * @return the number of subscribers that received the last one
     */
    public long publishBurst(String channel, List<String> messages) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            socket.setSoTimeout(10_000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            for (String message : messages) {
                out.write(encode("PUBLISH", channel, message));
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Object last = null;
            for (int i = 0; i < messages.size(); i++) {
                last = read(in);
            }
            return last == null ? 0 : Long.parseLong(last.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Send one command on a new connection and read its reply (a minimal RESP2 client).
     *
     * @param args the command and its arguments
     * @return a String, Long or List reply
     * @throws IOException if Redis is unreachable or answers with an error
     */
    public Object command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Return how often the server was started, restarts included. */
    public synchronized int starts() {
        return starts;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(5));
        }
    }
}
