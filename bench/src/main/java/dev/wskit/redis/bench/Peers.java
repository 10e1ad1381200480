package dev.wskit.redis.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * The {@code peers} scenario: what a user would pick instead of this library, measured by this harness the way it
 * measures the library, in the same run.
 * <ul>
 *   <li><b>ws-kit</b> ({@code @ws-kit/redis-pubsub}, the Node original): publish → handler in another process, as the
 *       {@code publish} and {@code latency} scenarios. Two Node processes ({@code bench/peers/wskit-publisher.mjs},
 *       {@code wskit-receiver.mjs}); the publisher paces itself like {@link Bench}'s fixed-rate publisher (sleep
 *       until 50 µs before each intended time, spin the rest), the receiver keeps receive − intended and
 *       receive − actual send for every message and hands them to this process, which puts them into the same
 *       HdrHistograms as its own rows.</li>
 *   <li><b>socket.io</b> with {@code @socket.io/redis-adapter}: WebSocket client → server A → Redis → server B →
 *       WebSocket client, as the {@code ws} scenario, with the same clients ({@link WsClient}), the same schedules
 *       and the same window, speaking socket.io's protocol over a plain WebSocket (what socket.io-client does with
 *       {@code transports: ["websocket"]}).</li>
 * </ul>
 * The peers are installed from the npm registry into {@code bench/target/peers} with {@code npm ci}, at the exact
 * versions of {@code bench/peers/package-lock.json}. When that fails because the registry cannot be reached, a smoke
 * run records the peers as skipped; a full run fails.
 */
final class Peers {

    private static final Path SOURCES = Path.of("bench", "peers");
    private static final Path HOME = Path.of("bench", "target", "peers");
    /** Publishes ws-kit may have unsettled in the throughput run: as the library's (8 threads × 4096). */
    private static final int IN_FLIGHT = 8 * 4096;
    private static final WsBench.Wire SOCKET_IO = new WsBench.Wire(
            "42[\"m\",\"".getBytes(StandardCharsets.US_ASCII), "\"]".getBytes(StandardCharsets.US_ASCII));

    private final String url;
    private final boolean smoke;
    private final Map<String, Object> results;
    private final List<String> table;

    Peers(String url, boolean smoke, Map<String, Object> results, List<String> table) {
        this.url = url;
        this.smoke = smoke;
        this.results = results;
        this.table = table;
    }

    void run() throws Exception {
        Map<String, Object> section = new LinkedHashMap<>();
        results.put("peers", section);
        String skipped = install(section);
        if (skipped != null) {
            if (!smoke) {
                throw new IllegalStateException("the peers could not be installed: " + skipped);
            }
            section.put("skipped", skipped);
            table.add("peers: skipped: " + skipped);
            return;
        }
        table.add("peers, Node " + section.get("node") + ": " + section.get("versions")
                + "; ratio = wskit ÷ peer, same run (latency: below 1 favours wskit; throughput: above 1)");
        section.put("wskit", wsKit());
        section.put("socketio", socketIo());
    }

    // ---------------------------------------------------------------- install

    /** Installs the peers; returns null, or why they are skipped (smoke) or the run fails (full). */
    private String install(Map<String, Object> section) throws Exception {
        String[] node = run(HOME, 30, "node", "--version");
        if (node == null || node[0] != null) {
            return "node not found (" + (node == null ? "not on the PATH" : node[0]) + ")";
        }
        section.put("node", node[1].trim());
        Files.createDirectories(HOME);
        try (var files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mjs") || f.toString().endsWith(".json"))
                    .toList()) {
                Files.copy(file, HOME.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // from the lockfile, exactly; from npm's cache when it has them (--prefer-offline), else from the registry
        String[] ci = run(HOME, 180, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--fetch-retries=1",
                "--fetch-timeout=30000");
        if (ci == null) {
            return "npm not found";
        }
        if (ci[0] != null) {
            String[] ping = run(HOME, 30, "npm", "ping", "--fetch-retries=0", "--fetch-timeout=15000");
            if (ping != null && ping[0] == null) {
                // the registry answers: a real failure, smoke run or not
                throw new IllegalStateException("npm ci failed in " + HOME.toAbsolutePath() + ": " + ci[0]);
            }
            return "npm unreachable (npm ci: " + ci[0] + ")";
        }
        Map<String, Object> versions = new LinkedHashMap<>();
        for (String module : List.of("@ws-kit/redis-pubsub", "redis", "socket.io", "@socket.io/redis-adapter")) {
            String json = Files.readString(HOME.resolve("node_modules").resolve(module).resolve("package.json"));
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            versions.put(module, m.find() ? m.group(1) : "?");
        }
        section.put("versions", versions);
        section.put("installedFrom", "bench/peers/package-lock.json (npm ci)");
        return null;
    }

    /**
     * Runs a command; returns null if it could not be started, else {error or null, its output}. The error is the
     * exit status and the output's last line.
     */
    private static String[] run(Path dir, int timeoutSeconds, String... command) throws InterruptedException {
        Process process;
        try {
            Files.createDirectories(dir);
            Path log = Path.of("bench", "target", "logs", "peers-" + command[0] + "-" + command[1].replace("-", "")
                    + ".log");
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new String[] {String.join(" ", command) + " did not finish within " + timeoutSeconds + " s",
                        ""};
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
                // npm's first error line says what failed ("npm error code ECONNREFUSED"), the last where its log is
                String first = lines.stream().filter(l -> l.contains("error")).findFirst()
                        .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
                return new String[] {"exit " + process.exitValue() + ": " + first.trim() + " (" + log + ")", output};
            }
            return new String[] {null, output};
        } catch (IOException e) {
            return null;
        }
    }

    private Bench.Child node(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return Bench.Child.start(script.replace(".mjs", ""), new ProcessBuilder(command).directory(HOME.toFile()));
    }

    // ---------------------------------------------------------------- ws-kit

    private Map<String, Object> wsKit() throws Exception {
        Map<String, Object> section = new LinkedHashMap<>();
        String channel = "peer-wskit";
        try (Bench.Child receiver = node("wskit-receiver.mjs", url, channel);
                Bench.Child publisher = node("wskit-publisher.mjs", url, channel)) {
            int n = smoke ? 20_000 : 2_000_000;
            table.add(String.format(Locale.ROOT, "%-58s %14s %12s %8s", "ws-kit publish throughput (one Node process"
                    + " → one receiver)", "msg/s", "received", "ratio"));
            Map<String, Object> throughput = new LinkedHashMap<>();
            for (int size : new int[] {64, 1024}) {
                publisher.command("BURST " + (smoke ? 5_000 : 300_000) + " " + size + " " + IN_FLIGHT); // warm-up
                receiver.command("RESET");
                String[] done = expect(publisher.command("BURST " + n + " " + size + " " + IN_FLIGHT), "DONE");
                double msgPerSec = n / (Long.parseLong(done[2]) / 1e9);
                long received = awaitCount(receiver, n);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("payloadBytes", size);
                row.put("messages", n);
                row.put("inFlight", IN_FLIGHT);
                row.put("msgPerSec", Math.round(msgPerSec));
                row.put("received", received);
                row.put("failed", Long.parseLong(done[3]));
                Double ratio = ratio(ours("publish", size + "B", "wskitMsgPerSec"), msgPerSec);
                row.put("ratioWskitToPeer", ratio);
                throughput.put(size + "B", row);
                table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12d %8s", "ws-kit, " + size + " B, up to "
                        + IN_FLIGHT + " unsettled", msgPerSec, received, format(ratio)));
            }
            section.put("throughput", throughput);

            table.add(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s", "ws-kit publish → handler (µs)",
                    "count", "p50", "p99", "p99.9", "max"));
            int seconds = smoke ? 1 : 10;
            expect(publisher.command("RATE 10000 " + (smoke ? 1 : 3)), "SENT"); // warm-up
            for (String r : System.getProperty("bench.latency.rates", "1000,10000,50000").split(",")) {
                int rate = Integer.parseInt(r.trim());
                receiver.command("RESET");
                String[] sent = expect(publisher.command("RATE " + rate + " " + seconds), "SENT");
                long total = Long.parseLong(sent[1]);
                long received = awaitCount(receiver, total);
                Histogram[] h = dump(receiver);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("ratePerSec", rate);
                row.put("sent", total);
                row.put("received", received);
                row.put("failed", Long.parseLong(sent[2]));
                WsBench.putPercentiles(row, h[0]);
                Map<String, Object> actual = new LinkedHashMap<>();
                WsBench.putPercentiles(actual, h[1]);
                row.put("fromActualSend", actual);
                String key = rate + "/s";
                row.put("ratioWskitToPeer", ratios(results.get("latency"), key, row));
                section.put(key, row);
                String label = "ws-kit: " + rate + " msg/s for " + seconds + " s";
                table.add(String.format(Locale.ROOT, "  %-38s %10d %10.1f %10.1f %10.1f %10.1f", label, received,
                        row.get("p50Micros"), row.get("p99Micros"), row.get("p999Micros"), row.get("maxMicros")));
                table.add(String.format(Locale.ROOT, "  %-38s %10s %10.1f %10.1f %10.1f %10.1f",
                        "  from the actual send", "", actual.get("p50Micros"), actual.get("p99Micros"),
                        actual.get("p999Micros"), actual.get("maxMicros")));
                ratioRows(row, 1, "latency,peers");
            }
        }
        return section;
    }

    private static String[] expect(String answer, String word) {
        if (!answer.startsWith(word + " ")) {
            throw new IllegalStateException("a peer's process answered " + answer + "; see bench/target/logs");
        }
        return answer.split(" ");
    }

    /** Waits until the receiver has {@code expected} messages, at most 10 s; returns how many it has. */
    private static long awaitCount(Bench.Child receiver, long expected) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long count;
        while ((count = Long.parseLong(expect(receiver.command("COUNT"), "COUNT")[1])) < expected
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return count;
    }

    /** The receiver's samples since its last reset, as histograms from the intended and from the actual send. */
    private static Histogram[] dump(Bench.Child receiver) throws IOException {
        Path file = HOME.resolve("samples.bin").toAbsolutePath();
        expect(receiver.command("DUMP " + file), "DUMPED");
        ByteBuffer samples = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        Files.delete(file);
        // as the library's Receiver: nanoseconds, up to 10 s, 3 significant digits
        Histogram intended = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram actual = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        while (samples.remaining() >= 16) {
            intended.recordValue(clamp(samples.getDouble(), intended));
            actual.recordValue(clamp(samples.getDouble(), actual));
        }
        return new Histogram[] {intended, actual};
    }

    private static long clamp(double nanos, Histogram h) {
        return Math.max(0, Math.min((long) nanos, h.getHighestTrackableValue()));
    }

    // ---------------------------------------------------------------- socket.io

    private Map<String, Object> socketIo() throws Exception {
        int seconds = smoke ? 1 : 10;
        int maxSeconds = smoke ? 2 : 10;
        Map<String, Object> section = new LinkedHashMap<>();
        table.add(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s %10s", "socket.io A → Redis → B (µs)",
                "received", "lost", "p50", "p99", "p99.9", "max"));
        try (Bench.Child a = node("socketio-server.mjs", url);
                Bench.Child b = node("socketio-server.mjs", url);
                WsClient client = new WsClient(1)) {
            WsBench.Recorder rx = new WsBench.Recorder();
            SocketIoClient receiving = new SocketIoClient(rx);
            SocketIoClient sending = new SocketIoClient(null);
            String path = "/socket.io/?EIO=4&transport=websocket";
            WsClient.Conn receiver = client.connect(WsBench.address(b), path + "&room=e2e", receiving);
            WsClient.Conn sender = client.connect(WsBench.address(a), path + "&to=e2e", sending);
            receiving.awaitConnected();
            sending.awaitConnected();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rx.count() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no message reached socket.io server B's client; see"
                            + " bench/target/logs");
                }
                sender.sendText("42[\"m\",\"0:probe\"]");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            // warm-up, as the ws scenario's
            WsBench.fixedRate(sender, 10_000, smoke ? 0.5 : 3, SOCKET_IO);
            WsBench.window(sender, rx, smoke ? 0.5 : 3, SOCKET_IO);
            WsBench.drain(rx, Long.MAX_VALUE, 1);

            for (int rate : new int[] {1_000, 10_000, 50_000}) {
                rx.reset();
                long sent = WsBench.fixedRate(sender, rate, seconds, SOCKET_IO);
                long received = WsBench.drain(rx, sent, 5);
                Map<String, Object> row = WsBench.histogramRow(rx, sent, received);
                row.put("ratePerSec", rate);
                row.put("seconds", seconds);
                String key = rate + "/s";
                row.put("ratioWskitToPeer", ratios(results.get("ws"), key, row));
                section.put(key, row);
                WsBench.tableRow(table, "socket.io: " + rate + " msg/s for " + seconds + " s", row);
                ratioRows(row, 2, "ws,peers");
                if (receiver.isClosed()) {
                    throw new IllegalStateException("socket.io server B closed the receiving connection");
                }
            }

            rx.reset();
            WsBench.CpuMeter cpu = new WsBench.CpuMeter(url, a, b);
            long start = System.nanoTime();
            long sent = WsBench.window(sender, rx, maxSeconds, SOCKET_IO);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long receivedInTime = rx.count();
            Map<String, Object> cores = cpu.coresUsed(elapsed, "serverA", "serverB");
            long received = WsBench.drain(rx, sent, 5);
            Map<String, Object> row = WsBench.histogramRow(rx, sent, received);
            long msgPerSec = Math.round(receivedInTime / elapsed);
            row.put("windowMessages", WsBench.WINDOW);
            row.put("seconds", WsBench.round(elapsed));
            row.put("msgPerSec", msgPerSec);
            row.put("latencyNote", "window-limited: send time = actual send, not a schedule; not comparable to the"
                    + " fixed rates");
            row.put("coresUsed", cores);
            Double ratio = ratio(ours("ws", "max", "msgPerSec"), (double) msgPerSec);
            row.put("ratioWskitToPeer", ratio);
            section.put("max", row);
            WsBench.tableRow(table, "socket.io max, window " + WsBench.WINDOW + ": " + msgPerSec + " msg/s", row);
            table.add("    cores busy during the max run: " + cores);
            table.add(String.format(Locale.ROOT, "    ratio wskit ÷ socket.io, max msg/s: %s", ratio == null
                    ? "- (run ws in the same run: bench/run.sh ws,peers)" : format(ratio)));
            receiver.close();
            sender.close();

            // several independent pairs, each with a room and a window of its own, as the ws scenario's
            int pairs = Integer.getInteger("bench.ws.pairs", 4);
            if (pairs > 1) {
                try (WsClient more = new WsClient(2)) {
                    List<WsClient.Conn> senders = new ArrayList<>();
                    List<WsBench.Recorder> receivers = new ArrayList<>();
                    List<WsClient.Conn> conns = new ArrayList<>();
                    try {
                        for (int k = 0; k < pairs; k++) {
                            WsBench.Recorder r = new WsBench.Recorder();
                            SocketIoClient in = new SocketIoClient(r);
                            SocketIoClient out = new SocketIoClient(null);
                            conns.add(more.connect(WsBench.address(b), path + "&room=e2e-" + k, in));
                            WsClient.Conn s = more.connect(WsBench.address(a), path + "&to=e2e-" + k, out);
                            conns.add(s);
                            in.awaitConnected();
                            out.awaitConnected();
                            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                            while (r.count() == 0) {
                                if (System.nanoTime() > until) {
                                    throw new IllegalStateException("no message reached socket.io pair " + k);
                                }
                                s.sendText("42[\"m\",\"0:probe\"]");
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                            }
                            WsBench.drain(r, Long.MAX_VALUE, 1);
                            senders.add(s);
                            receivers.add(r);
                        }
                        Map<String, Object> many = WsBench.maxRow(url, a, b, senders, receivers, maxSeconds,
                                SOCKET_IO);
                        long perSec = (Long) many.get("msgPerSec");
                        Double r = ratio(ours("ws", "max" + pairs + "Pairs", "msgPerSec"), (double) perSec);
                        many.put("ratioWskitToPeer", r);
                        section.put("max" + pairs + "Pairs", many);
                        WsBench.tableRow(table, "socket.io max, " + pairs + " pairs: " + perSec + " msg/s", many);
                        table.add("    cores busy during the max run: " + many.get("coresUsed"));
                        table.add(String.format(Locale.ROOT, "    ratio wskit ÷ socket.io, max msg/s: %s",
                                r == null ? "- (run ws in the same run: bench/run.sh ws,peers)" : format(r)));
                    } finally {
                        for (WsClient.Conn c : conns) {
                            c.close();
                        }
                    }
                }
            }
        }
        return section;
    }

    /**
     * A socket.io client over a plain WebSocket (Engine.IO protocol 4): answers the open packet with a connect to
     * the main namespace, the server's pings with pongs, and hands the payload of each event {@code ["m","..."]} to
     * {@code events}.
     */
    private static final class SocketIoClient implements WsClient.Handler {

        private final WsClient.Handler events;
        private volatile boolean connected;
        private volatile int closedWith;

        SocketIoClient(WsClient.Handler events) {
            this.events = events;
        }

        @Override
        public void onMessage(WsClient.Conn conn, byte[] buf, int off, int len) {
            try {
                if (len >= 2 && buf[off] == '4' && buf[off + 1] == '2') {
                    // 42["m","<payload>"]: the payload without the envelope
                    int head = SOCKET_IO.prefix().length;
                    int tail = SOCKET_IO.suffix().length;
                    if (events != null && len >= head + tail) {
                        events.onMessage(conn, buf, off + head, len - head - tail);
                    }
                } else if (len >= 1 && buf[off] == '0') {
                    conn.sendText("40"); // open → connect to the namespace "/"
                } else if (len >= 2 && buf[off] == '4' && buf[off + 1] == '0') {
                    connected = true;
                } else if (len == 1 && buf[off] == '2') {
                    conn.sendText("3"); // ping → pong
                }
            } catch (IOException e) {
                closedWith = -1;
            }
        }

        @Override
        public void onClose(WsClient.Conn conn, int code) {
            closedWith = code;
        }

        void awaitConnected() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!connected) {
                if (System.nanoTime() > deadline || closedWith != 0) {
                    throw new IllegalStateException("no socket.io connection (closed: " + closedWith + ")");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    // ---------------------------------------------------------------- ratios

    /** A figure of this run's own rows: {@code results[scenario][key][field]}, or null if it did not run. */
    @SuppressWarnings("unchecked")
    private Double ours(String scenario, String key, String field) {
        if (results.get(scenario) instanceof Map<?, ?> section && section.get(key) instanceof Map<?, ?> row
                && ((Map<String, Object>) row).get(field) instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    private static Double ratio(Double ours, Double peer) {
        return ours == null || peer == null || peer <= 0 ? null : Math.round(ours / peer * 100) / 100.0;
    }

    /**
     * The ratios of this run's row {@code key} of {@code ourSection} to the peer's {@code row}: p50, p99, p99.9 from
     * the intended send time, and the same from the actual send time; null if our row did not run.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> ratios(Object ourSection, String key, Map<String, Object> row) {
        if (!(ourSection instanceof Map<?, ?> section) || !(section.get(key) instanceof Map<?, ?> ourRow)) {
            return null;
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        Map<String, Object> ourActual = (Map<String, Object>) ((Map<String, Object>) ourRow).get("fromActualSend");
        Map<String, Object> peerActual = (Map<String, Object>) row.get("fromActualSend");
        for (String p : List.of("p50Micros", "p99Micros", "p999Micros")) {
            ratios.put(p, ratio(number(ourRow.get(p)), number(row.get(p))));
        }
        for (String p : List.of("p50Micros", "p99Micros", "p999Micros")) {
            ratios.put("fromActualSend." + p, ourActual == null ? null
                    : ratio(number(ourActual.get(p)), number(peerActual.get(p))));
        }
        return ratios;
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    /** The ratio lines under a peer's row, aligned with its p50, p99 and p99.9 after {@code columns} others. */
    private void ratioRows(Map<String, Object> row, int columns, String together) {
        Map<String, Object> r = (Map<String, Object>) row.get("ratioWskitToPeer");
        if (r == null) {
            table.add("    ratio: - (the library's rows did not run: bench/run.sh " + together + ")");
            return;
        }
        String skip = " ".repeat(11 * columns);
        table.add(String.format(Locale.ROOT, "  %-38s%s %10s %10s %10s", "  ratio wskit ÷ peer", skip,
                format(r.get("p50Micros")), format(r.get("p99Micros")), format(r.get("p999Micros"))));
        table.add(String.format(Locale.ROOT, "  %-38s%s %10s %10s %10s", "  same, from the actual send", skip,
                format(r.get("fromActualSend.p50Micros")), format(r.get("fromActualSend.p99Micros")),
                format(r.get("fromActualSend.p999Micros"))));
    }

    private static String format(Object ratio) {
        return ratio instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : "-";
    }
}
