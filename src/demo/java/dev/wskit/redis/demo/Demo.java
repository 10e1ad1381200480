package dev.wskit.redis.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

import dev.wskit.redis.internal.support.Masking;
import dev.wskit.redis.testing.RedisServer;
import dev.wskit.redis.testing.RedisServerBinary;

/**
 * The demo: two instances of a chat application ({@link DemoInstance}, each a JVM of its own with CDI and a WebSocket
 * server) sharing one Redis, so that a message sent to one instance reaches the clients of both.
 *
 * <p>Redis: {@code REDIS_URL} if set, else the Redis on {@code localhost:6379} if it answers, else a private
 * {@code redis-server} on a free port — the one on the {@code PATH}, or the binary shipped in the embedded-redis jar
 * when there is none (the output says which). The system property {@value #LOCAL_REDIS_PROPERTY} replaces the probed
 * address (the tests use it to simulate a machine without Redis).
 *
 * <p>The room {@value #HISTORY_ROOMS} has history ({@code wskit.redis.websocket.history-rooms}): the page, which uses
 * the library's JavaScript client {@code /wskit/wskit.js}, resumes it after a reconnect without missing a message.
 *
 * <p>Without arguments it prints the two pages' URLs and runs until Ctrl-C. With {@code --smoke} it sends one message
 * through instance 1, checks that it arrives through instance 2, prints the result and exits with 0 (arrived) or 1.
 * The instances listen on {@code 127.0.0.1} only, unless {@code --bind=ADDRESS} says otherwise ({@code 0.0.0.0}
 * exposes the demo, which has no authentication, to the network). Redis URLs are printed masked by the library's
 * one rule ({@link Masking}).
 */
public final class Demo {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SMOKE_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern READY = Pattern.compile("READY http=(\\d+) ws=(\\d+)");
    private static final int[] HTTP_PORTS = {8081, 8082};
    /** The rooms with history, unless {@code WSKIT_REDIS_WEBSOCKET_HISTORY_ROOMS} in the environment says else. */
    private static final String HISTORY_ROOMS = "news";
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: mvn -q -Pdemo [-Ddemo.args=\"[--smoke] [--bind=ADDRESS]\"]",
            "  --smoke         send one message through instance 1, check that it arrives through instance 2,"
                    + " exit with 0 or 1",
            "  --bind=ADDRESS  the address both instances listen on; default " + DemoInstance.DEFAULT_BIND
                    + " (this machine only).",
            "                  --bind=0.0.0.0 exposes the demo, which has no authentication, to your network");

    /** System property replacing {@code redis://localhost:6379} as the address probed for a local Redis (tests). */
    static final String LOCAL_REDIS_PROPERTY = "wskit.demo.local-redis";

    private final List<Instance> instances = new ArrayList<>();
    private final String bind;
    private RedisServer privateRedis;
    private String redisUrl;

    private Demo(String bind) {
        this.bind = bind;
    }

    public static void main(String[] args) {
        boolean smoke = false;
        String bind = DemoInstance.DEFAULT_BIND;
        // -Ddemo.args="--smoke --bind=..." arrives as one argument: split it
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.isEmpty()) {
                continue; // an empty -Ddemo.args
            }
            if (arg.equals("--smoke")) {
                smoke = true;
            } else if (arg.startsWith("--bind=") && arg.length() > "--bind=".length()) {
                bind = arg.substring("--bind=".length());
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                return;
            } else {
                System.err.println("unknown argument " + arg + System.lineSeparator() + USAGE);
                System.exit(2);
            }
        }
        try {
            InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            System.err.println("--bind must be an address of this machine, was " + bind + System.lineSeparator()
                    + USAGE);
            System.exit(2);
        }
        Demo demo = new Demo(bind);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "wskit-demo-stop"));
        exitWithParent();
        int status;
        try {
            status = demo.run(smoke);
        } catch (Exception e) {
            System.err.println("demo failed: " + Masking.mask(e.toString()));
            status = 1;
        }
        demo.stop();
        System.exit(status);
    }

    /**
     * Exits (running the shutdown hooks) when the parent process is gone, so that nothing outlives a Maven that was
     * killed, or a launcher that was.
     */
    static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(1)));
    }

    private int run(boolean smoke) throws Exception {
        String source = chooseRedis();
        System.out.println("wskit demo: Redis " + redact(redisUrl) + " (" + source + ")");

        for (int i = 0; i < 2; i++) {
            instances.add(Instance.start("instance " + (i + 1), HTTP_PORTS[i], redisUrl, bind));
        }
        for (Instance instance : instances) {
            instance.awaitReady();
        }
        System.out.println();
        for (Instance instance : instances) {
            System.out.println("  " + instance.name + ": http://" + urlHost() + ":" + instance.httpPort
                    + "/   (WebSocket " + instance.wsBase() + "{room})");
        }
        System.out.println(isWildcard() ? "  Listening on every interface (--bind=" + bind + "): reachable from your"
                + " network, without authentication." : "  Listening on " + bind + " only; --bind=0.0.0.0 would"
                + " expose the demo to your network.");
        System.out.println();

        if (smoke) {
            return smoke();
        }
        System.out.println("Open both pages, join the same room on each and chat: every message crosses Redis."
                + " Ctrl-C stops the demo.");
        CompletableFuture.anyOf(instances.stream().map(i -> i.process.onExit()).toArray(CompletableFuture[]::new))
                .join();
        for (Instance instance : instances) {
            if (!instance.process.isAlive()) {
                System.err.println(instance.name + " stopped with exit code " + instance.process.exitValue()
                        + "; stopping the demo");
            }
        }
        return 1;
    }

    /** Sets {@link #redisUrl} and returns where it comes from. */
    private String chooseRedis() {
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            redisUrl = env.trim();
            return "from REDIS_URL";
        }
        String local = System.getProperty(LOCAL_REDIS_PROPERTY, "redis://localhost:6379");
        if (answers(local)) {
            redisUrl = local;
            return "the Redis answering on " + redact(local.substring(local.indexOf("//") + 2));
        }
        System.out.println("wskit demo: no REDIS_URL and no Redis answering at " + redact(local)
                + "; starting a private one");
        privateRedis = RedisServer.start();
        redisUrl = privateRedis.url();
        RedisServerBinary binary = privateRedis.binary();
        return "a private redis-server " + binary.version() + (binary.isEmbedded()
                ? ", the binary shipped in the embedded-redis jar, as no redis-server is installed"
                : " from " + binary.path());
    }

    private static Jedis client(String url, int timeoutMillis) {
        return new Jedis(URI.create(url), DefaultJedisClientConfig.builder().timeoutMillis(timeoutMillis)
                .autoNegotiateProtocol(false).build());
    }

    private static boolean answers(String url) {
        try (Jedis jedis = client(url, 1000)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private int smoke() {
        Instance one = instances.get(0);
        Instance two = instances.get(1);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String room = "smoke-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        String text = "hello from instance 1, " + room;
        Client receiver = null;
        Client sender = null;
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + urlHost() + ":" + one.httpPort + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200 || !page.body().contains("wskit chat")) {
                return failed("instance 1's page answered " + page.statusCode() + " without the chat");
            }
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + urlHost() + ":" + one.httpPort + "/wskit/wskit.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (script.statusCode() != 200 || !script.body().contains("function connect(")) {
                return failed("instance 1's /wskit/wskit.js, the page's client, answered " + script.statusCode()
                        + " without the library's JavaScript client");
            }
            receiver = Client.connect(http, two.wsUri(room));
            sender = Client.connect(http, one.wsUri(room));
            String wireChannel = System.getenv().getOrDefault("WSKIT_REDIS_NAMESPACE", "ws") + ":" + room;
            long deadline = System.nanoTime() + SMOKE_TIMEOUT.toNanos();
            while (subscribers(wireChannel) < 2) {
                if (System.nanoTime() > deadline) {
                    return failed("the two instances did not both subscribe to " + wireChannel + " within "
                            + SMOKE_TIMEOUT.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(20); // polling Redis for the subscriptions, bounded by the deadline
            }
            long sent = System.nanoTime();
            sender.socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            while (true) {
                long left = deadline - System.nanoTime();
                String got = receiver.received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
                if (got == null) {
                    return failed("\"" + text + "\" sent through instance 1 did not arrive through instance 2 within "
                            + SMOKE_TIMEOUT.toSeconds() + " s");
                }
                if (got.equals(text)) {
                    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent);
                    System.out.printf("SMOKE PASSED: \"%s\" sent through instance 1 arrived through instance 2"
                            + " in %.1f ms%n", text, micros / 1000.0);
                    return 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        } catch (Exception e) {
            return failed(Masking.mask(e.toString()));
        } finally {
            if (sender != null) {
                sender.close();
            }
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    private long subscribers(String wireChannel) {
        try (Jedis jedis = client(redisUrl, 2000)) {
            return jedis.pubsubNumSub(wireChannel).getOrDefault(wireChannel, 0L);
        }
    }

    private static int failed(String why) {
        System.out.println("SMOKE FAILED: " + why);
        return 1;
    }

    /** Stops the instances, then the private Redis; safe to call more than once. */
    private synchronized void stop() {
        for (Instance instance : instances) {
            instance.process.destroy();
        }
        for (Instance instance : instances) {
            try {
                if (!instance.process.waitFor(15, TimeUnit.SECONDS)) {
                    instance.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                instance.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        instances.clear();
        if (privateRedis != null) {
            privateRedis.close();
            privateRedis = null;
        }
    }

    /** The URL with its secrets masked by the library's one rule: user info, query values, fragment. */
    static String redact(String url) {
        return Masking.mask(url);
    }

    private boolean isWildcard() {
        return isWildcard(bind);
    }

    private static boolean isWildcard(String bind) {
        try {
            return InetAddress.getByName(bind).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host to put in the URLs that reach the instances: the bind address, or loopback when it is every one. */
    private String urlHost() {
        return urlHost(bind);
    }

    private static String urlHost(String bind) {
        if (isWildcard(bind)) {
            return "127.0.0.1";
        }
        return bind.indexOf(':') >= 0 && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }

    /** One child JVM running {@link DemoInstance}, its output copied to ours with its name in front. */
    private static final class Instance {

        final String name;
        final String host;
        final Process process;
        final CompletableFuture<int[]> ready = new CompletableFuture<>();
        volatile int httpPort;
        volatile int wsPort;

        private Instance(String name, String host, Process process) {
            this.name = name;
            this.host = host;
            this.process = process;
        }

        static Instance start(String name, int httpPort, String redisUrl, String bind) throws Exception {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m",
                    "-Djava.util.logging.SimpleFormatter.format=%4$s %5$s%6$s%n",
                    "-cp", System.getProperty("java.class.path"),
                    DemoInstance.class.getName(), name.replace(' ', '-'), Integer.toString(httpPort), bind)
                    .redirectErrorStream(true);
            // through the environment, not the command line, so that a password stays out of the process list
            Map<String, String> env = builder.environment();
            env.put("WSKIT_REDIS_URL", redisUrl);
            // the room news keeps its history: a page resumes it after a reconnect (unless the environment says else)
            env.putIfAbsent("WSKIT_REDIS_WEBSOCKET_HISTORY_ROOMS", HISTORY_ROOMS);
            Instance instance = new Instance(name, urlHost(bind), builder.start());
            Thread copier = new Thread(instance::copyOutput, "wskit-demo-" + name.replace(' ', '-') + "-output");
            copier.setDaemon(true);
            copier.start();
            instance.process.onExit().thenRun(() -> instance.ready.completeExceptionally(new IllegalStateException(
                    name + " exited with code " + instance.process.exitValue() + " before it was ready")));
            return instance;
        }

        private void copyOutput() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.matches()) {
                        ready.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                    } else {
                        System.out.println("[" + name + "] " + line);
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }

        void awaitReady() throws Exception {
            try {
                int[] ports = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                httpPort = ports[0];
                wsPort = ports[1];
            } catch (TimeoutException e) {
                throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT.toSeconds() + " s");
            }
        }

        String wsBase() {
            return "ws://" + host + ":" + wsPort + "/chat/";
        }

        URI wsUri(String room) {
            return URI.create(wsBase() + room);
        }
    }

    /** A WebSocket client keeping the text messages it receives. */
    private static final class Client implements WebSocket.Listener {

        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Client connect(HttpClient http, URI uri) throws Exception {
            Client client = new Client();
            client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, client).get(15, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }
}
