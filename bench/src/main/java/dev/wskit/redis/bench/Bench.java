package dev.wskit.redis.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;

/**
 * The benchmark harness: {@code publish} (throughput next to redis-benchmark), {@code latency} (publish → handler
 * in another process at fixed rates, HdrHistogram with the intended send time, so corrected for coordinated
 * omission), {@code ws} (WebSocket client → server A → Redis → server B → WebSocket client, two server processes),
 * {@code fanout} (one publish → 10,000 WebSocket sessions on one server), {@code memory} (heap per channel
 * membership and per Redis subscription), {@code micro} (JMH hot paths), {@code recovery} (channels with history
 * next to plain ones, replay, Redis memory per history entry: {@link Recovery}), {@code peers} (ws-kit and socket.io,
 * measured the same way: {@link Peers}), {@code all}, or a comma-separated list of them. {@code --smoke} runs
 * seconds-long versions, to keep the harness from rotting. Prints a table and writes
 * {@code bench/target/results.json}.
 */
public final class Bench {

    private static final Path RESULTS = Path.of("bench", "target", "results.json");

    private final String url;
    private final boolean smoke;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();

    private Bench(String url, boolean smoke) {
        this.url = url;
        this.smoke = smoke;
    }

    public static void main(String[] args) throws Exception {
        String scenario = "all";
        boolean smoke = false;
        String redis = System.getenv("REDIS_URL");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--redis" -> redis = args[++i];
                case "--sessions" -> System.setProperty("bench.fanout.sessions", args[++i]);
                default -> scenario = args[i];
            }
        }
        Process ownRedis = null;
        if (redis == null) {
            if (answers("127.0.0.1", 6379)) {
                redis = "redis://127.0.0.1:6379";
            } else {
                int port = freePort();
                ownRedis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "",
                        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                redis = "redis://127.0.0.1:" + port;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!answers("127.0.0.1", port) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                System.out.println("no Redis at localhost:6379: started redis-server on port " + port);
            }
        }
        Bench bench = new Bench(redis, smoke);
        int failed;
        try {
            failed = bench.run(scenario);
        } finally {
            if (ownRedis != null) {
                ownRedis.destroyForcibly();
            }
        }
        if (failed > 0) {
            // the table and the JSON are written; the exit status tells a script (CI's smoke run) that not all ran
            System.out.println(failed + " scenario(s) failed");
            System.exit(1);
        }
    }

    /** Run a scenario, or all; returns how many failed (only {@code all} goes on after a failure). */
    private int run(String scenario) throws Exception {
        int failed = 0;
        results.put("machine", machine());
        results.put("redis", url);
        results.put("redisVersion", redisVersion());
        results.put("smoke", smoke);
        System.out.println("machine: " + results.get("machine") + "; Redis " + results.get("redisVersion") + " at "
                + url + (smoke ? " (smoke mode: small N, numbers not meaningful)" : ""));
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("publish", this::publish);
        scenarios.put("latency", this::latency);
        scenarios.put("ws", this::ws);
        scenarios.put("fanout", this::fanout);
        scenarios.put("memory", this::memory);
        scenarios.put("micro", this::micro);
        scenarios.put("recovery", this::recovery);
        // last: its ratios are to the rows above, when they ran in the same run
        scenarios.put("peers", this::peers);
        if (scenario.equals("all") || scenario.contains(",")) {
            // a list (latency,peers) runs those in the order above; one failing scenario must not cost the others' results
            List<String> chosen = scenario.equals("all") ? List.copyOf(scenarios.keySet())
                    : Arrays.stream(scenario.split(",")).map(String::trim).toList();
            for (String name : chosen) {
                if (!scenarios.containsKey(name)) {
                    throw new IllegalArgumentException("unknown scenario " + name
                            + "; use publish, latency, ws, fanout, memory, micro, recovery, peers or all");
                }
            }
            Map<String, Object> seconds = new LinkedHashMap<>();
            results.put("scenarioSeconds", seconds);
            for (Map.Entry<String, Scenario> e : scenarios.entrySet()) {
                if (!chosen.contains(e.getKey())) {
                    continue;
                }
                long start = System.nanoTime();
                try {
                    e.getValue().run();
                    double took = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
                    seconds.put(e.getKey(), took);
                    System.out.println(e.getKey() + ": " + took + " s");
                } catch (Exception | AssertionError failure) {
                    System.out.println(e.getKey() + " failed: " + failure);
                    failure.printStackTrace(System.out);
                    results.put(e.getKey() + "Error", String.valueOf(failure));
                    table.add(e.getKey() + ": FAILED, " + failure);
                    failed++;
                }
            }
        } else if (scenarios.containsKey(scenario)) {
            scenarios.get(scenario).run();
        } else {
            throw new IllegalArgumentException("unknown scenario " + scenario
                    + "; use publish, latency, ws, fanout, memory, micro, recovery, peers or all");
        }
        System.out.println();
        table.forEach(System.out::println);
        Files.createDirectories(RESULTS.getParent());
        Files.writeString(RESULTS, Json.write(results) + "\n");
        System.out.println("\nwritten to " + RESULTS.toAbsolutePath());
        return failed;
    }

    @FunctionalInterface
    private interface Scenario {
        void run() throws Exception;
    }

    // ---------------------------------------------------------------- 1. publish throughput

    private void publish() throws Exception {
        int n = smoke ? 20_000 : 2_000_000;
        Map<String, Object> section = new LinkedHashMap<>();
        table.add(String.format(Locale.ROOT, "%-58s %14s %12s", "publish throughput (one publisher process → one receiver process)", "msg/s", "received"));
        try (Child receiver = Child.start(Receiver.class, List.of(url, "tp"), null)) {
            for (int size : new int[] {64, 1024}) {
                String payload = "x".repeat(size);
                // warm-up
                runPublish(receiver, payload, smoke ? 5_000 : 300_000, 8);
                double[] ours = runPublish(receiver, payload, n, 8);
                double unpipelined = redisBenchmark(payload, smoke ? 10_000 : 200_000, 1, 50);
                double pipelined = redisBenchmark(payload, smoke ? 20_000 : 2_000_000, 16, 50);
                // one connection, as the library publishes (per-channel order): Redis reads a connection 16 KB per
                // event-loop turn, which bounds large payloads on one connection
                double oneConnection = redisBenchmark(payload, smoke ? 20_000 : 2_000_000, 256, 1);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("payloadBytes", size);
                row.put("messages", n);
                row.put("wskitMsgPerSec", Math.round(ours[0]));
                row.put("received", Math.round(ours[1]));
                row.put("redisBenchmarkUnpipelined", Math.round(unpipelined));
                row.put("redisBenchmarkP16WithSubscriber", Math.round(pipelined));
                row.put("ratioToP16", round(ours[0] / pipelined));
                row.put("redisBenchmarkOneConnectionP256WithSubscriber", Math.round(oneConnection));
                row.put("ratioToOneConnection", round(ours[0] / oneConnection));
                section.put(size + "B", row);
                table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12.0f", "wskit RedisPubSub, 8 threads, " + size + " B", ours[0], ours[1]));
                table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark PUBLISH, " + size + " B", unpipelined, "-"));
                table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark PUBLISH -P 16, subscriber attached, " + size + " B", pipelined, "-"));
                table.add(String.format(Locale.ROOT, "  %-56s %14.2f", "  ratio wskit / (-P 16)", ours[0] / pipelined));
                table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark -c 1 -P 256 (one connection), " + size
                        + " B", oneConnection, "-"));
                table.add(String.format(Locale.ROOT, "  %-56s %14.2f", "  ratio wskit / (-c 1 -P 256)", ours[0] / oneConnection));
            }
        }
        results.put("publish", section);
    }

    /** Returns {msg/s until every publish was acknowledged, messages the receiver got}. */
    private double[] runPublish(Child receiver, String payload, int n, int threads) throws Exception {
        return runPublish(receiver, payload, n, threads, (pubsub, p) -> pubsub.publish("tp", p));
    }

    /** One publish of the throughput runs: {@code publish} or {@code publishWithHistory} on some channel. */
    @FunctionalInterface
    interface PublishCall {
        java.util.concurrent.CompletionStage<?> publish(RedisPubSub pubsub, String payload);
    }

    /**
     * The throughput run with another publish call (the {@code recovery} scenario's): a fresh publisher, {@code threads}
     * threads with at most 4,096 unacknowledged publishes each; returns {msg/s until every publish was acknowledged,
     * messages the receiver got}.
     */
    double[] runPublish(Child receiver, String payload, int n, int threads, PublishCall call) throws Exception {
        try (RedisPubSub pubsub = connect("bench-publisher")) {
            receiver.command("RESET");
            AtomicLong failures = new AtomicLong();
            Thread[] workers = new Thread[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int share = n / threads + (t < n % threads ? 1 : 0);
                workers[t] = new Thread(() -> {
                    // bounded in-flight per thread: the library fails fast instead of queueing without bound
                    Semaphore inFlight = new Semaphore(4096);
                    for (int i = 0; i < share; i++) {
                        inFlight.acquireUninterruptibly();
                        call.publish(pubsub, payload).whenComplete((ok, error) -> {
                            if (error != null) {
                                failures.incrementAndGet();
                            }
                            inFlight.release();
                        });
                    }
                    inFlight.acquireUninterruptibly(4096);
                });
                workers[t].start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            long elapsed = System.nanoTime() - start;
            long received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                received = Long.parseLong(receiver.command("COUNT").substring(6));
                if (received >= n) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            if (failures.get() > 0) {
                System.out.println("  " + failures.get() + " publishes failed");
            }
            return new double[] {n / (elapsed / 1e9), received};
        }
    }

    private double redisBenchmark(String payload, int n, int pipeline, int clients)
            throws IOException, InterruptedException {
        return redisBenchmark(List.of("PUBLISH", "bench:tp", payload), n, pipeline, clients);
    }

    /** redis-benchmark's requests per second for one command (the {@code recovery} scenario's: the history script). */
    double redisBenchmark(List<String> redisCommand, int n, int pipeline, int clients)
            throws IOException, InterruptedException {
        URI uri = URI.create(url);
        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", uri.getHost(), "-p",
                String.valueOf(uri.getPort() < 0 ? 6379 : uri.getPort()), "-q", "-n", String.valueOf(n), "-c",
                String.valueOf(clients)));
        if (pipeline > 1) {
            command.add("-P");
            command.add(String.valueOf(pipeline));
        }
        command.addAll(redisCommand);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(5, TimeUnit.MINUTES);
        Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(output);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    // ---------------------------------------------------------------- 2. cross-instance latency

    private void latency() throws Exception {
        int seconds = smoke ? 1 : 10;
        Map<String, Object> section = new LinkedHashMap<>();
        table.add(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s", "latency publish → handler (µs)", "count", "p50", "p99", "p99.9", "max"));
        boolean attribution = Boolean.parseBoolean(System.getProperty("bench.latency.attribution", "true"));
        int[] rates = Arrays.stream(System.getProperty("bench.latency.rates", "1000,10000,50000").split(","))
                .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
        // Every kind of run at one rate before the next rate, so that a change of the shared machine's speed during
        // the scenario falls on the library and on its baseline alike (they used to run a minute apart).
        // library: our publisher, our receiver; baseline: a raw socket writing PUBLISH, a plain Jedis subscriber;
        // attribution: our publisher with the plain receiver, and the raw publisher with our receiver, which tells
        // which side a gap to the baseline comes from.
        try (Child receiver = Child.start(Receiver.class, List.of(url, "lat"), null);
                Child rawReceiver = Child.start(Receiver.class, List.of(url, "rawlat", "raw"), null);
                Child mixedPlainReceiver = attribution ? Child.start(Receiver.class, List.of(url, "latpr", "raw"), null)
                        : null;
                Child mixedLibraryReceiver = attribution ? Child.start(Receiver.class, List.of(url, "latlr"), null)
                        : null;
                RedisPubSub pubsub = connect("bench-latency");
                RawPublisher raw = new RawPublisher(url)) {
            FixedRateSender library = (rate, secs) -> fixedRate(pubsub, "lat", rate, secs);
            FixedRateSender baseline = (rate, secs) -> raw.fixedRate("bench:rawlat", rate, secs);
            FixedRateSender libraryToPlain = (rate, secs) -> fixedRate(pubsub, "latpr", rate, secs);
            FixedRateSender plainToLibrary = (rate, secs) -> raw.fixedRate("bench:latlr", rate, secs);
            // warm-up: JIT of both publishers and of every receiver
            library.send(10_000, smoke ? 1 : 3);
            baseline.send(10_000, smoke ? 1 : 3);
            if (attribution) {
                libraryToPlain.send(10_000, 1);
                plainToLibrary.send(10_000, 1);
            }
            for (int rate : rates) {
                latencyRuns(receiver, library, seconds, section, "", r -> r + " msg/s for " + seconds + " s", rate);
                latencyRuns(rawReceiver, baseline, seconds, section, "baseline socket+Jedis ",
                        r -> "baseline, no library: " + r + " msg/s", rate);
                if (attribution) {
                    latencyRuns(mixedPlainReceiver, libraryToPlain, seconds, section,
                            "library publisher, plain receiver ", r -> "our publisher, plain Jedis: " + r, rate);
                    latencyRuns(mixedLibraryReceiver, plainToLibrary, seconds, section,
                            "plain publisher, library receiver ", r -> "raw socket, our receiver: " + r, rate);
                }
                Map<String, Object> ratio = ratioToBaseline(section, rate);
                if (ratio != null) {
                    section.put("ratioToBaseline " + rate + "/s", ratio);
                    table.add(String.format(Locale.ROOT, "  %-38s %10s %10.2f %10.2f %10.2f", "  library ÷ no library",
                            "", ratio.get("p50"), ratio.get("p99"), ratio.get("p999")));
                }
            }
        }
        // the Redis baseline of this run: one client's PUBLISH round trip (to Redis and back, no subscriber hop)
        double[] rtt = redisRoundTripMicros(smoke ? 2_000 : 100_000);
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("command", "redis-benchmark -c 1 PUBLISH (64 B), one client, unpipelined, round trip");
        baseline.put("p50Micros", rtt[0]);
        baseline.put("p99Micros", rtt[1]);
        baseline.put("maxMicros", rtt[2]);
        section.put("redisBaseline", baseline);
        long[] wake = handOffMicros(smoke ? 1_000 : 10_000);
        Map<String, Object> handOff = new LinkedHashMap<>();
        handOff.put("what", "one JVM thread handing a timestamp to another, blocked, thread every 1 ms (SynchronousQueue)");
        handOff.put("p50Micros", wake[0]);
        handOff.put("p99Micros", wake[1]);
        handOff.put("p999Micros", wake[2]);
        handOff.put("maxMicros", wake[3]);
        section.put("threadWakeBaseline", handOff);
        table.add(String.format(Locale.ROOT, "  %-38s %10s %10.1f %10.1f %10s %10.1f", "Redis: redis-benchmark -c 1 PUBLISH", "round trip",
                rtt[0], rtt[1], "-", rtt[2]));
        table.add(String.format(Locale.ROOT, "  %-38s %10s %10d %10d %10d %10d", "machine: waking a blocked JVM thread", "1/ms",
                wake[0], wake[1], wake[2], wake[3]));
        results.put("latency", section);
    }

    /**
     * How long this machine takes to wake a blocked thread: one thread hands {@code System.nanoTime()} to another,
     * blocked in {@code SynchronousQueue.take}, every millisecond; returns p50, p99, p99.9 and max in µs. Every hop of
     * publish → handler includes such a wake-up (Redis's event loop, the receiving thread).
     */
    private static long[] handOffMicros(int n) throws InterruptedException {
        SynchronousQueue<Long> queue = new SynchronousQueue<>();
        long[] latency = new long[n];
        Thread taker = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    long sent = queue.take();
                    latency[i] = System.nanoTime() - sent;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-wake-taker");
        taker.start();
        for (int i = 0; i < n; i++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            queue.put(System.nanoTime());
        }
        taker.join();
        Arrays.sort(latency);
        return new long[] {latency[n / 2] / 1000, latency[(int) (n * 0.99)] / 1000, latency[(int) (n * 0.999)] / 1000,
                latency[n - 1] / 1000};
    }

    /** redis-benchmark's PUBLISH round trip with one client: p50, p99 and max in µs (NaN where it printed none). */
    private double[] redisRoundTripMicros(int n) throws IOException, InterruptedException {
        URI uri = URI.create(url);
        List<String> command = List.of("redis-benchmark", "-h", uri.getHost(), "-p",
                String.valueOf(uri.getPort() < 0 ? 6379 : uri.getPort()), "-c", "1", "-n", String.valueOf(n),
                "PUBLISH", "bench:rtt", "x".repeat(64));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(5, TimeUnit.MINUTES);
        // "latency summary (msec):" then a header "avg min p50 p95 p99 max" and one line of numbers
        Matcher m = Pattern.compile("avg\\s+min\\s+p50\\s+p95\\s+p99\\s+max\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)"
                + "\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)").matcher(output);
        if (!m.find()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {Double.parseDouble(m.group(3)) * 1000, Double.parseDouble(m.group(5)) * 1000,
                Double.parseDouble(m.group(6)) * 1000};
    }

    /** Sends at a fixed rate for some seconds and returns how many messages it sent. */
    @FunctionalInterface
    interface FixedRateSender {
        long send(int rate, int seconds) throws IOException;
    }

    /**
     * Run fixed rates through {@code sender}, each followed by a wait until the receiver has every message (at most
     * 10 s), and add its percentiles to {@code section} (key {@code keyPrefix + rate + "/s"}) and to the table.
     */
    void latencyRuns(Child receiver, FixedRateSender sender, int seconds, Map<String, Object> section,
            String keyPrefix, java.util.function.IntFunction<String> label, int... rates) throws Exception {
        for (int rate : rates) {
            receiver.command("RESET");
            long sent = sender.send(rate, seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String[] hist;
            do {
                hist = receiver.command("REPORT").split(" ");
            } while (Long.parseLong(hist[1]) < sent && System.nanoTime() < deadline);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ratePerSec", rate);
            row.put("sent", sent);
            row.put("received", Long.parseLong(hist[1]));
            row.put("p50Micros", Double.parseDouble(hist[2]));
            row.put("p99Micros", Double.parseDouble(hist[3]));
            row.put("p999Micros", Double.parseDouble(hist[4]));
            row.put("maxMicros", Double.parseDouble(hist[5]));
            Map<String, Object> actual = new LinkedHashMap<>();
            actual.put("p50Micros", Double.parseDouble(hist[6]));
            actual.put("p99Micros", Double.parseDouble(hist[7]));
            actual.put("p999Micros", Double.parseDouble(hist[8]));
            actual.put("maxMicros", Double.parseDouble(hist[9]));
            row.put("fromActualSend", actual);
            section.put(keyPrefix + rate + "/s", row);
            table.add(String.format(Locale.ROOT, "  %-38s %10s %10s %10s %10s %10s", label.apply(rate),
                    hist[1], hist[2], hist[3], hist[4], hist[5]));
            table.add(String.format(Locale.ROOT, "  %-38s %10s %10s %10s %10s %10s", "  from the actual send", "",
                    hist[6], hist[7], hist[8], hist[9]));
        }
    }

    /** The library's row ÷ the no-library baseline's at one rate (p50, p99, p99.9), or null if either is missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratioToBaseline(Map<String, Object> section, int rate) {
        Map<String, Object> library = (Map<String, Object>) section.get(rate + "/s");
        Map<String, Object> baseline = (Map<String, Object>) section.get("baseline socket+Jedis " + rate + "/s");
        if (library == null || baseline == null) {
            return null;
        }
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("p50", ratio(library, baseline, "p50Micros"));
        ratio.put("p99", ratio(library, baseline, "p99Micros"));
        ratio.put("p999", ratio(library, baseline, "p999Micros"));
        return ratio;
    }

    private static double ratio(Map<String, Object> a, Map<String, Object> b, String key) {
        double divisor = ((Number) b.get(key)).doubleValue();
        return divisor > 0 ? Math.round(((Number) a.get(key)).doubleValue() / divisor * 100) / 100.0 : Double.NaN;
    }

    /**
     * The latency scenario's payload: {@code <intended>:<actual>:} padded with {@code x} to the intended time's length
     * plus 45 characters (the length it had when it carried the intended time alone), so receive − intended
     * (coordinated omission corrected) and receive − actual send can both be recorded. The peers' publishers
     * (bench/peers/common.mjs) build the same.
     */
    static String latencyPayload(long intended, long actual) {
        String head = intended + ":" + actual + ":";
        int length = Long.toString(intended).length() + 45;
        return head.length() >= length ? head : head + "x".repeat(length - head.length());
    }

    /** Park, then spin for the last 50 µs, until {@code intended} ({@code System.nanoTime()}). */
    private static void waitUntil(long intended) {
        long now;
        while ((now = System.nanoTime()) < intended) {
            if (intended - now > 50_000) {
                LockSupport.parkNanos(intended - now - 50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The latency baseline's publisher: PUBLISH commands written to a plain socket at a fixed rate by the calling
     * thread, the replies read and discarded by another; same payloads and same pacing as {@link #fixedRate}.
     */
    private static final class RawPublisher implements AutoCloseable {

        private final Socket socket;
        private final java.io.OutputStream out;
        private final Thread reader;

        RawPublisher(String url) throws IOException {
            URI uri = URI.create(url);
            socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            java.io.InputStream in = socket.getInputStream();
            reader = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    while (in.read(buffer) >= 0) {
                        // replies (":1\r\n") are not needed
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "bench-raw-replies");
            reader.setDaemon(true);
            reader.start();
        }

        long fixedRate(String channel, int rate, int seconds) throws IOException {
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long total = (long) rate * seconds;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            for (long i = 0; i < total; i++) {
                long intended = start + i * period;
                waitUntil(intended);
                String payload = latencyPayload(intended, System.nanoTime());
                out.write(("*3\r\n$7\r\nPUBLISH\r\n$" + channel.length() + "\r\n" + channel + "\r\n$" + payload.length()
                        + "\r\n" + payload + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Publish at a fixed rate; the payload carries the intended send time, so a stall counts for every message it delays. */
    private static long fixedRate(RedisPubSub pubsub, String channel, int rate, int seconds) {
        return fixedRate(rate, seconds, payload -> pubsub.publish(channel, payload));
    }

    /**
     * {@link #fixedRate(RedisPubSub, int, int)} with another publish call (the {@code recovery} scenario's:
     * {@code publishWithHistory}, or {@code publish} on another channel): same payloads, same pacing.
     */
    static long fixedRate(int rate, int seconds,
            java.util.function.Function<String, java.util.concurrent.CompletionStage<?>> publish) {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        List<CompletableFuture<?>> last = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long intended = start + i * period;
            waitUntil(intended);
            CompletableFuture<?> f = publish.apply(latencyPayload(intended, System.nanoTime())).toCompletableFuture();
            if (i == total - 1) {
                last.add(f);
            }
        }
        last.forEach(CompletableFuture::join);
        return total;
    }

    // ---------------------------------------------------------------- 3., 4. WebSocket

    private void ws() throws Exception {
        new WsBench(url, smoke, results, table).ws();
    }

    private void fanout() throws Exception {
        new WsBench(url, smoke, results, table).fanout();
    }

    // ---------------------------------------------------------------- 5. memory

    /** Runs {@link MemoryProbe} in a child JVM with the Serial collector; see there for the method. */
    private void memory() throws Exception {
        int sessions = 10_000;
        int perSession = 10;
        int channels = 100;
        int rooms = smoke ? 2_000 : 10_000;
        int subscriptions = smoke ? 2_000 : 10_000;
        Map<String, Object> section = new LinkedHashMap<>();
        for (boolean sharedNames : new boolean[] {false, true}) {
            Map<String, Object> probe = memoryProbe(List.of(url, String.valueOf(sessions), String.valueOf(perSession),
                    String.valueOf(channels), String.valueOf(rooms), String.valueOf(subscriptions),
                    String.valueOf(sharedNames)));
            if (sharedNames) {
                section.put("perMembershipSharedNameBytes", probe.get("perMembershipSharedNameBytes"));
            } else {
                section.putAll(probe);
            }
        }
        section.put("method", "child JVM, -XX:+UseSerialGC, compressed oops; heap used after System.gc() (least of 5"
                + " readings) before and after; library code paths on the real Redis, WebSocket sessions are"
                + " in-memory stand-ins (no sockets, no container objects)");
        results.put("memory", section);
        table.add(String.format(Locale.ROOT, "%-58s %14s", "memory (heap, one instance)", "bytes"));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f", "per channel membership (" + section.get("memberships")
                + " in " + channels + " channels)", section.get("perMembershipBytes")));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f", "  same, one String instance per channel name",
                section.get("perMembershipSharedNameBytes")));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f", "per Redis subscription, core (" + subscriptions
                + " channels)", section.get("perSubscriptionBytes")));
        double perRoom = ((Number) section.get("perRoomBytes")).doubleValue();
        // a figure below zero would mean the room phase measured nothing (the probe checks its joins)
        table.add(perRoom < 0
                ? String.format(Locale.ROOT, "  %-56s %14s", "per room incl. its Redis subscription (" + rooms + ")",
                        "invalid (" + Math.round(perRoom) + ")")
                : String.format(Locale.ROOT, "  %-56s %14.0f", "per room incl. its Redis subscription (" + rooms + ")",
                        perRoom));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f", "per session, library state (" + sessions + ")",
                section.get("perSessionBytes")));
    }

    private static Map<String, Object> memoryProbe(List<String> args) throws Exception {
        ProcessBuilder builder = Child.builder(MemoryProbe.class, args,
                List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx1g"), "MemoryProbe");
        Path log = RESULTS.resolveSibling("logs").resolve("MemoryProbe.log");
        Files.createDirectories(log.getParent());
        Process process = builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the memory probe failed; see " + log.toAbsolutePath() + "\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith("MEM ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the memory probe printed no result: " + output));
        Map<String, Object> probe = new LinkedHashMap<>();
        for (String pair : line.substring(4).split(" ")) {
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            probe.put(pair.substring(0, eq), value.contains(".") ? (Object) Double.parseDouble(value)
                    : (Object) Long.parseLong(value));
        }
        return probe;
    }

    // ---------------------------------------------------------------- 6. JMH

    private void micro() throws Exception {
        org.openjdk.jmh.runner.options.Options options = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include("dev.wskit.redis.bench.Micro")
                .forks(1).warmupIterations(smoke ? 1 : 2).measurementIterations(smoke ? 1 : 3)
                .warmupTime(smoke ? org.openjdk.jmh.runner.options.TimeValue.milliseconds(200)
                        : org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementTime(smoke ? org.openjdk.jmh.runner.options.TimeValue.milliseconds(300)
                        : org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .jvmArgsAppend("-Dbench.redis=" + url)
                .build();
        Map<String, Object> section = new LinkedHashMap<>();
        table.add(String.format(Locale.ROOT, "%-58s %14s", "JMH hot paths", "ns/op"));
        for (org.openjdk.jmh.results.RunResult r : new org.openjdk.jmh.runner.Runner(options).run()) {
            String name = r.getParams().getBenchmark().replace("dev.wskit.redis.bench.", "");
            double score = r.getPrimaryResult().getScore();
            section.put(name, round(score));
            table.add(String.format(Locale.ROOT, "  %-56s %14.1f", name, score));
        }
        results.put("micro", section);
    }

    // ---------------------------------------------------------------- 7. recovery

    /** Channels with history vs plain ones, replay, Redis memory per entry: {@link Recovery}. */
    private void recovery() throws Exception {
        new Recovery(this, url, smoke, results, table).run();
    }

    // ---------------------------------------------------------------- 8. peers

    private void peers() throws Exception {
        new Peers(url, smoke, results, table).run();
    }

    // ---------------------------------------------------------------- helpers

    private RedisPubSub connect(String name) {
        return connect(url, name);
    }

    static RedisPubSub connect(String url, String name) {
        return connect(url, name, b -> b);
    }

    /** A connected instance in the namespace {@code bench}, with more options (the history size, say). */
    static RedisPubSub connect(String url, String name,
            java.util.function.UnaryOperator<RedisPubSubOptions.Builder> options) {
        RedisPubSub pubsub = RedisPubSub.create(options.apply(RedisPubSubOptions.builder().url(url).namespace("bench")
                .clientName(name)).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pubsub.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not connected to " + url);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return pubsub;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private String redisVersion() {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    /** CPU seconds Redis has used (user + system), from INFO cpu; NaN if it cannot be read. */
    static double redisCpuSeconds(String url) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("INFO cpu\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String header = in.readLine();
            if (header == null || !header.startsWith("$")) {
                return Double.NaN;
            }
            double total = 0;
            int found = 0;
            String line;
            while (found < 2 && (line = in.readLine()) != null) {
                if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                    total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                    found++;
                }
            }
            return found == 2 ? total : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds this process has used. */
    /**
     * CPU seconds every process on the machine has used so far (all CPUs: {@code /proc/stat}, user + nice + system +
     * irq + softirq + steal; not idle or iowait); NaN where that file does not exist. Over a run, minus the
     * processes of the run, it tells how much the machine's other work took.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double ownCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name");
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(500);
            return socket.getInputStream().read() == '+';
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A child JVM running one of the harness's classes, with commands on its stdin and one answer line each on its
     * stdout. The first line it prints must start with {@code READY}.
     */
    static final class Child implements AutoCloseable {

        private static final AtomicLong CHILDREN = new AtomicLong();

        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;
        final String ready;

        private Child(Process process) throws IOException {
            this.process = process;
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            // the JVM itself may print first (-XX:StartFlightRecording, say)
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY"));
            if (line == null) {
                process.destroyForcibly();
                throw new IllegalStateException("child process did not start; see bench/target/logs");
            }
            ready = line;
        }

        /**
         * Start {@code main} in a new JVM.
         *
         * @param main the class
         * @param args its arguments
         * @param jvmArgs the JVM options, or {@code null} for this JVM's own
         */
        static Child start(Class<?> main, List<String> args, List<String> jvmArgs) throws IOException {
            String name = main.getSimpleName() + "-" + CHILDREN.incrementAndGet();
            return startLogged(name, builder(main, args, jvmArgs, name));
        }

        /**
         * Start any program that answers as the harness's children do (the peers' Node scripts).
         *
         * @param name its log is {@code bench/target/logs/<name>-<n>.log}
         * @param builder its command and directory
         */
        static Child start(String name, ProcessBuilder builder) throws IOException {
            return startLogged(name + "-" + CHILDREN.incrementAndGet(), builder);
        }

        private static Child startLogged(String name, ProcessBuilder builder) throws IOException {
            // stderr (logs) to a file, for when something goes wrong
            Path log = RESULTS.resolveSibling("logs").resolve(name + ".log");
            Files.createDirectories(log.getParent());
            return new Child(builder.redirectError(log.toFile()).start());
        }

        /**
         * The command of a child JVM: the given JVM options, or this JVM's own without any
         * {@code -XX:StartFlightRecording}; then those of the environment variable {@code BENCH_CHILD_OPTS}
         * (space-separated, {@code {child}} replaced by the child's name, e.g. to profile the servers with
         * {@code -XX:StartFlightRecording=filename=/tmp/{child}.jfr}).
         */
        /** This JVM's own options without any {@code -XX:StartFlightRecording}. */
        static List<String> ownJvmArgs() {
            List<String> own = new ArrayList<>();
            for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!arg.startsWith("-XX:StartFlightRecording")) {
                    own.add(arg);
                }
            }
            return own;
        }

        static ProcessBuilder builder(Class<?> main, List<String> args, List<String> jvmArgs, String name) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs != null ? jvmArgs : ownJvmArgs());
            String extra = System.getenv("BENCH_CHILD_OPTS");
            if (extra != null && !extra.isBlank()) {
                for (String option : extra.trim().split("\\s+")) {
                    command.add(option.replace("{child}", name));
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
            command.addAll(args);
            return new ProcessBuilder(command);
        }

        /** CPU seconds the child has used so far (user + system); NaN where the OS does not tell. */
        long pid() {
            return process.pid();
        }

        double cpuSeconds() {
            return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        }

        String command(String command) throws IOException {
            in.println(command);
            String answer = out.readLine();
            if (answer == null) {
                throw new IllegalStateException("child process died");
            }
            return answer;
        }

        @Override
        public void close() {
            in.println("QUIT");
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
