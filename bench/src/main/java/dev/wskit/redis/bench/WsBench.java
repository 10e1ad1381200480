package dev.wskit.redis.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.wskit.redis.RedisPubSub;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * The WebSocket scenarios of the harness.
 * <ul>
 *   <li>{@code ws}: two server processes ({@link WsServer}) on the same Redis. A client connected to server A sends
 *       64-byte text messages at fixed rates; a client connected to server B, in the channel, receives them. Each
 *       message carries its intended send time, so the HdrHistogram of send → receive is corrected for coordinated
 *       omission (a stall counts for every message it delays). Then a window-limited run (at most {@value #WINDOW}
 *       messages between sent and received, fewer than the 1024 a session's outbound queue holds, so no queue can
 *       overflow) measures the sustained end-to-end throughput; loss is sent − received.</li>
 *   <li>{@code fanout}: one server process with 10,000 sessions in one channel; this process publishes with a
 *       {@link RedisPubSub} and times each message until the last session got it; then a window-limited run
 *       measures sustained deliveries per second.</li>
 * </ul>
 * The clients run in this (the harness's) process with {@link WsClient}: a few selector threads, no thread or
 * buffer per connection.
 */
final class WsBench {

    /** Messages allowed between sent and received in the throughput runs: below the send queue's 1024. */
    static final int WINDOW = 1000;

    private static final int PAYLOAD = 64;

    private final String url;
    private final boolean smoke;
    private final Map<String, Object> results;
    private final List<String> table;

    WsBench(String url, boolean smoke, Map<String, Object> results, List<String> table) {
        this.url = url;
        this.smoke = smoke;
        this.results = results;
        this.table = table;
    }

    // ---------------------------------------------------------------- 3. end to end

    void ws() throws Exception {
        int seconds = smoke ? 1 : 10;
        int maxSeconds = smoke ? 2 : 10;
        int pairs = Integer.getInteger("bench.ws.pairs", 4);
        Map<String, Object> section = new LinkedHashMap<>();
        Map<String, Object> plain = new LinkedHashMap<>();
        table.add(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s %10s", "WebSocket A → Redis → B (µs)",
                "received", "lost", "p50", "p99", "p99.9", "max"));
        try (Bench.Child a = Bench.Child.start(WsServer.class, List.of(url, "bench-ws-a"), null);
                Bench.Child b = Bench.Child.start(WsServer.class, List.of(url, "bench-ws-b"), null);
                WsClient client = new WsClient(1)) {
            // the per-hop probe of the library's receiving side: a handler of its own on B's RedisPubSub, subscribed
            // before the receiving session joins the channel, so that the dispatch calls it first (see HopProbe)
            b.command("PROBE e2e");
            Recorder rx = new Recorder();
            WsClient.Conn receiver = client.connect(address(b), "/bench/e2e", rx);
            WsClient.Conn sender = client.connect(address(a), "/publish/e2e", (c, buf, off, len) -> { });
            // the same path with no library: plain endpoints and plain Jedis on both servers (WsServer)
            Recorder plainRx = new Recorder();
            WsClient.Conn plainReceiver = client.connect(address(b), "/plain/e2e", plainRx);
            WsClient.Conn plainSender = client.connect(address(a), "/plainpub/e2e", (c, buf, off, len) -> { });
            // the first session on B subscribes B to the channel in the background: wait until messages arrive
            awaitFirst(sender, rx, "server B's client");
            awaitFirst(plainSender, plainRx, "server B's plain client");
            // the mixed paths, to tell which server's part of the library a difference comes from: the library on A
            // (publishing to bench:mixa) with the baseline on B (which also subscribes to bench:mixa*), and the
            // baseline on A (publishing to bench:mixb) with the library on B
            boolean attribution = Boolean.parseBoolean(System.getProperty("bench.ws.attribution", "true"));
            Map<String, Object> mixed = new LinkedHashMap<>();
            Map<String, Object> libraryAPlainB = new LinkedHashMap<>();
            Map<String, Object> plainALibraryB = new LinkedHashMap<>();
            Recorder mixARx = new Recorder();
            Recorder mixBRx = new Recorder();
            WsClient.Conn mixASender = null;
            WsClient.Conn mixBSender = null;
            if (attribution) {
                b.command("PROBE mixb");
                client.connect(address(b), "/plain/mixa", mixARx);
                mixASender = client.connect(address(a), "/publish/mixa", (c, buf, off, len) -> { });
                client.connect(address(b), "/bench/mixb", mixBRx);
                mixBSender = client.connect(address(a), "/plainpub/mixb?ns=bench", (c, buf, off, len) -> { });
                awaitFirst(mixASender, mixARx, "server B's plain client from the library on A");
                awaitFirst(mixBSender, mixBRx, "server B's client from plain Jedis on A");
                for (Object[] path : new Object[][] {{mixASender, mixARx}, {mixBSender, mixBRx}}) {
                    fixedRate((WsClient.Conn) path[0], 10_000, smoke ? 0.5 : 3, Wire.PLAIN);
                    drain((Recorder) path[1], Long.MAX_VALUE, 1);
                }
                mixed.put("libraryAPlainB", libraryAPlainB);
                mixed.put("plainALibraryB", plainALibraryB);
                section.put("mixed", mixed);
            }
            // warm-up (JIT of both servers and the clients)
            for (Object[] path : new Object[][] {{sender, rx}, {plainSender, plainRx}}) {
                fixedRate((WsClient.Conn) path[0], 10_000, smoke ? 0.5 : 3, Wire.PLAIN);
                window((WsClient.Conn) path[0], (Recorder) path[1], smoke ? 0.5 : 3, Wire.PLAIN);
                drain((Recorder) path[1], Long.MAX_VALUE, 1);
            }
            String[] before = stats(a, b);

            List<String> hopLines = new ArrayList<>();
            // the paths of a rate run interleaved in slices (each path a slice in turn, every slice drained before
            // the next), so that a change of the machine's load, or another process's stall, falls on every path alike
            int slices = Math.max(1, Integer.getInteger("bench.ws.slices", smoke ? 1 : 10));
            section.put("slicesPerRun", slices);
            List<Path> paths = new ArrayList<>(List.of(new Path(sender, rx), new Path(plainSender, plainRx)));
            if (attribution) {
                paths.add(new Path(mixASender, mixARx));
                paths.add(new Path(mixBSender, mixBRx));
            }
            for (int rate : new int[] {1_000, 10_000, 50_000}) {
                String key = rate + "/s";
                List<Map<String, Object>> rows = fixedRateRows(a, b, paths, rate, seconds, slices);
                Map<String, Object> row = rows.get(0);
                Map<String, Object> plainRow = rows.get(1);
                section.put(key, row);
                tableRow("wskit: " + rate + " msg/s for " + seconds + " s", row);
                plain.put(key, plainRow);
                tableRow("no library: " + rate + " msg/s", plainRow);
                Map<String, Object> ratios = Peers.ratios(section, key, plainRow);
                row.put("ratioToNoLibrary", ratios);
                ratioLines(table, "ratio wskit ÷ no library", ratios);
                hopLines.add(String.format(Locale.ROOT, "  %-56s %10s %10s %10s %10s", "at " + rate + " msg/s",
                        "count", "p50", "p99", "p99.9"));
                hopLines(hopLines, "wskit", row);
                hopLines(hopLines, "no library", plainRow);
                if (attribution) {
                    Map<String, Object> mixA = rows.get(2);
                    libraryAPlainB.put(key, mixA);
                    tableRow("wskit on A, plain B: " + rate + " msg/s", mixA);
                    Map<String, Object> mixB = rows.get(3);
                    plainALibraryB.put(key, mixB);
                    tableRow("plain A, wskit on B: " + rate + " msg/s", mixB);
                    hopLines(hopLines, "wskit A, plain B", mixA);
                    hopLines(hopLines, "plain A, wskit B", mixB);
                }
                table.add("    cores busy during the " + key + " runs of all paths: " + row.get("coresUsed"));
                if (receiver.isClosed()) {
                    break;
                }
            }
            if (receiver.isClosed()) {
                // its outbound queue overflowed (or it failed): what follows would measure nothing
                String why = "server B closed the receiving session: " + b.command("STATS");
                section.put("error", why);
                table.add("  " + why);
                section.put("noLibrary", plain);
                results.put("ws", section);
                return;
            }

            Map<String, Object> row = maxRow(a, b, List.of(sender), List.of(rx), maxSeconds);
            section.put("max", row);
            tableRow("max, window " + WINDOW + ": " + row.get("msgPerSec") + " msg/s", row);
            table.add("    cores busy during the max run: " + row.get("coresUsed"));
            Map<String, Object> plainMax = maxRow(a, b, List.of(plainSender), List.of(plainRx), maxSeconds);
            plain.put("max", plainMax);
            tableRow("no library max: " + plainMax.get("msgPerSec") + " msg/s", plainMax);
            table.add("    cores busy during the max run: " + plainMax.get("coresUsed"));
            Double maxRatio = ratio(row.get("msgPerSec"), plainMax.get("msgPerSec"));
            row.put("ratioToNoLibrary", maxRatio);
            table.add("    ratio wskit ÷ no library, max msg/s: " + (maxRatio == null ? "-" : maxRatio));

            // several independent pairs, each with its own channel and window: the ceiling of the servers rather
            // than of one sender/receiver pair
            if (pairs > 1) {
                try (WsClient more = new WsClient(2)) {
                    Map<String, Object> many = pairsRow(a, b, more, "/publish/e2e-", "/bench/e2e-", pairs,
                            maxSeconds);
                    section.put("max" + pairs + "Pairs", many);
                    tableRow("max, " + pairs + " pairs: " + many.get("msgPerSec") + " msg/s", many);
                    table.add("    cores busy during the max run: " + many.get("coresUsed"));
                    Map<String, Object> plainMany = pairsRow(a, b, more, "/plainpub/e2e-", "/plain/e2e-", pairs,
                            maxSeconds);
                    plain.put("max" + pairs + "Pairs", plainMany);
                    tableRow("no library max, " + pairs + " pairs: " + plainMany.get("msgPerSec") + " msg/s",
                            plainMany);
                    table.add("    cores busy during the max run: " + plainMany.get("coresUsed"));
                    Double r = ratio(many.get("msgPerSec"), plainMany.get("msgPerSec"));
                    many.put("ratioToNoLibrary", r);
                    table.add("    ratio wskit ÷ no library, max msg/s: " + (r == null ? "-" : r));
                }
            }
            table.add(String.format(Locale.ROOT, "  %-56s", "hops, per message, from the actual send (µs)"));
            table.addAll(hopLines);

            String[] after = stats(a, b);
            Map<String, Object> servers = new LinkedHashMap<>();
            servers.put("publishFailuresA", delta(after[0], before[0], 7));
            servers.put("closedForOverflowB", delta(after[1], before[1], 3));
            servers.put("droppedB", delta(after[1], before[1], 4));
            section.put("servers", servers);
            if (!servers.values().stream().allMatch(v -> ((Long) v) == 0)) {
                table.add("  server counters over the runs: " + servers);
            }
            section.put("noLibrary", plain);
            receiver.close();
            sender.close();
            plainReceiver.close();
            plainSender.close();
        }
        results.put("ws", section);
    }

    /** Send probes until the first message reaches the receiving client (its server subscribes in the background). */
    private static void awaitFirst(WsClient.Conn sender, Recorder rx, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rx.count() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no message reached " + what + "; see bench/target/logs");
            }
            sender.sendText("0:probe");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** A sending connection and the recorder of its receiving one. */
    private record Path(WsClient.Conn sender, Recorder rx) {
    }

    /**
     * One fixed-rate run per path at the same rate, interleaved: {@code slices} slices of {@code seconds / slices}
     * each, the paths in turn, each slice drained before the next; then each path's row, with its per-hop attribution
     * (see {@link #hops}). The cores busy are over the runs of all paths.
     */
    private List<Map<String, Object>> fixedRateRows(Bench.Child a, Bench.Child b, List<Path> paths, int rate,
            int seconds, int slices) throws IOException {
        a.command("HOPS RESET");
        b.command("HOPS RESET");
        for (Path path : paths) {
            path.rx().resetCapturing((int) Math.min((long) rate * seconds + 1_000, HopProbe.CAPACITY));
        }
        long[] sent = new long[paths.size()];
        long[] received = new long[paths.size()];
        CpuMeter cpu = new CpuMeter(url, a, b);
        long start = System.nanoTime();
        for (int slice = 0; slice < slices; slice++) {
            for (int p = 0; p < paths.size(); p++) {
                Path path = paths.get(p);
                sent[p] += fixedRate(path.sender(), rate, (double) seconds / slices, Wire.PLAIN);
                received[p] = drain(path.rx(), sent[p], 5);
            }
        }
        Map<String, Object> cores = cpu.coresUsed((System.nanoTime() - start) / 1e9, "serverA", "serverB");
        Stamps atA = seen(a);
        Stamps atB = seen(b);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int p = 0; p < paths.size(); p++) {
            Recorder rx = paths.get(p).rx();
            Map<String, Object> row = histogramRow(rx, sent[p], received[p]);
            row.put("ratePerSec", rate);
            row.put("seconds", seconds);
            row.put("slices", slices);
            row.put("coresUsed", cores);
            row.put("hops", hops(atA, atB, rx));
            rx.reset();
            rows.add(row);
        }
        return rows;
    }

    /**
     * The per-hop attribution of a path's last fixed-rate run: each message's time seen in A's endpoint and on B's arrival
     * from Redis ({@link HopProbe}, fetched from the servers) joined with its actual send and receive times at the
     * client by its intended send time. Hops: client → A's endpoint (the client's write, the container's read,
     * framing and dispatch to the endpoint), A's endpoint → B's arrival (A's publish, Redis, B's read and dispatch up
     * to the first handler), B's arrival → client (the rest of B's dispatch, the send, the container's framing and
     * write, the client's read). Percentiles of each hop over the messages; they do not add up to the total's.
     */
    private static Map<String, Object> hops(Stamps atA, Stamps atB, Recorder rx) {
        long[][] c = rx.captured();
        Histogram toA = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram aToB = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram bToClient = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram late = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long joined = 0;
        for (int i = 0; i < c[0].length; i++) {
            long ta = atA.get(c[0][i]);
            long tb = atB.get(c[0][i]);
            if (ta < 0 || tb < 0 || c[1][i] <= 0) {
                continue;
            }
            joined++;
            late.recordValue(clamp(c[1][i] - c[0][i], late));
            toA.recordValue(clamp(ta - c[1][i], toA));
            aToB.recordValue(clamp(tb - ta, aToB));
            bToClient.recordValue(clamp(c[2][i] - tb, bToClient));
        }
        Map<String, Object> hops = new LinkedHashMap<>();
        hops.put("messages", joined);
        hops.put("receivedByClient", c[0].length);
        hops.put("senderLate", percentiles(late));
        hops.put("clientToA", percentiles(toA));
        hops.put("aToB", percentiles(aToB));
        hops.put("bToClient", percentiles(bToClient));
        return hops;
    }

    /** What a server's probe saw since its reset: intended send time → time seen. */
    private static Stamps seen(Bench.Child server) throws IOException {
        java.nio.file.Path file = java.nio.file.Path.of("bench", "target", "hops-" + ProcessHandle.current().pid()
                + ".bin").toAbsolutePath();
        String answer = server.command("HOPS DUMP " + file);
        if (!answer.startsWith("HOPS ")) {
            throw new IllegalStateException("a server answered " + answer + " to HOPS DUMP");
        }
        java.nio.ByteBuffer pairs = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.file.Files.delete(file);
        Stamps seen = new Stamps(pairs.remaining() / 16);
        while (pairs.remaining() >= 16) {
            seen.put(pairs.getLong(), pairs.getLong());
        }
        return seen;
    }

    /** A map of positive longs to longs, open addressing, no boxing (millions of messages per run). */
    static final class Stamps {

        private final long[] keys;
        private final long[] values;
        private final int mask;

        Stamps(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2 + 1)) << 1;
            keys = new long[capacity];
            values = new long[capacity];
            mask = capacity - 1;
        }

        /** Keep {@code value} for {@code key} (positive); a key seen twice keeps the first value. */
        void put(long key, long value) {
            int i = slot(key);
            while (keys[i] != 0 && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
            }
        }

        /** The value of a key, or -1. */
        long get(long key) {
            int i = slot(key);
            while (keys[i] != 0) {
                if (keys[i] == key) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }

        private int slot(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }
    }

    private static long clamp(long nanos, Histogram h) {
        return Math.max(0, Math.min(nanos, h.getHighestTrackableValue()));
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        putPercentiles(p, h);
        return p;
    }

    /** The hop lines of a row for the table. */
    @SuppressWarnings("unchecked")
    private static void hopLines(List<String> lines, String label, Map<String, Object> row) {
        Map<String, Object> hops = (Map<String, Object>) row.get("hops");
        String[][] names = {{"clientToA", "client → A's endpoint"}, {"aToB", "A's endpoint → B's arrival from Redis"},
            {"bToClient", "B's arrival → client"}, {"senderLate", "(sender late: intended → actual send)"}};
        for (String[] name : names) {
            Map<String, Object> h = (Map<String, Object>) hops.get(name[0]);
            lines.add(String.format(Locale.ROOT, "    %-54s %10d %10.1f %10.1f %10.1f", label + ": " + name[1],
                    (Long) hops.get("messages"), h.get("p50Micros"), h.get("p99Micros"), h.get("p999Micros")));
        }
    }

    /** The ratio lines under a row, aligned with its p50, p99 and p99.9. */
    static void ratioLines(List<String> table, String label, Map<String, Object> r) {
        if (r == null) {
            return;
        }
        table.add(String.format(Locale.ROOT, "  %-38s %10s %10s %10s %10s %10s", "  " + label, "", "",
                format(r.get("p50Micros")), format(r.get("p99Micros")), format(r.get("p999Micros"))));
        table.add(String.format(Locale.ROOT, "  %-38s %10s %10s %10s %10s %10s", "  same, from the actual send", "",
                "", format(r.get("fromActualSend.p50Micros")), format(r.get("fromActualSend.p99Micros")),
                format(r.get("fromActualSend.p999Micros"))));
    }

    private static String format(Object ratio) {
        return ratio instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : "-";
    }

    private static Double ratio(Object ours, Object theirs) {
        return ours instanceof Number o && theirs instanceof Number t && t.doubleValue() > 0
                ? Math.round(o.doubleValue() / t.doubleValue() * 100) / 100.0 : null;
    }

    /**
     * A window-limited run over one or more sender/receiver pairs (each with its own window of {@value #WINDOW}):
     * msg/s = received during the run / its duration; the latency is time in flight (send time = actual send).
     */
    private Map<String, Object> maxRow(Bench.Child a, Bench.Child b, List<WsClient.Conn> senders,
            List<Recorder> receivers, int seconds) throws IOException {
        return maxRow(url, a, b, senders, receivers, seconds, Wire.PLAIN);
    }

    static Map<String, Object> maxRow(String url, Bench.Child a, Bench.Child b, List<WsClient.Conn> senders,
            List<Recorder> receivers, int seconds, Wire wire) throws IOException {
        for (Recorder rx : receivers) {
            rx.reset();
        }
        CpuMeter cpu = new CpuMeter(url, a, b);
        long start = System.nanoTime();
        long[] sentEach = window(senders, receivers, seconds, wire);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long receivedInTime = 0;
        for (Recorder rx : receivers) {
            receivedInTime += rx.count();
        }
        Map<String, Object> cores = cpu.coresUsed(elapsed, "serverA", "serverB");
        long received = 0;
        long sent = 0;
        Histogram[] h = null;
        for (int k = 0; k < receivers.size(); k++) {
            received += drain(receivers.get(k), sentEach[k], 5);
            sent += sentEach[k];
        }
        for (Recorder rx : receivers) {
            Histogram[] one = rx.snapshot();
            if (h == null) {
                h = one;
            } else {
                h[0].add(one[0]);
                h[1].add(one[1]);
            }
        }
        Map<String, Object> row = histogramRow(h, sent, received);
        row.put("pairs", senders.size());
        row.put("windowMessages", WINDOW);
        row.put("seconds", round(elapsed));
        row.put("msgPerSec", Math.round(receivedInTime / elapsed));
        row.put("latencyNote", "window-limited: send time = actual send, not a schedule; not comparable to the"
                + " fixed rates");
        row.put("coresUsed", cores);
        return row;
    }

    /** The max run over {@code pairs} pairs: sender k on A at {@code sendPath + k}, receiver k on B at its own. */
    private Map<String, Object> pairsRow(Bench.Child a, Bench.Child b, WsClient client, String sendPath,
            String receivePath, int pairs, int seconds) throws IOException {
        List<WsClient.Conn> senders = new ArrayList<>();
        List<Recorder> receivers = new ArrayList<>();
        List<WsClient.Conn> conns = new ArrayList<>();
        try {
            for (int k = 0; k < pairs; k++) {
                Recorder rx = new Recorder();
                conns.add(client.connect(address(b), receivePath + k, rx));
                WsClient.Conn s = client.connect(address(a), sendPath + k, (c, buf, off, len) -> { });
                conns.add(s);
                awaitFirst(s, rx, "the receiver of pair " + k);
                senders.add(s);
                receivers.add(rx);
            }
            for (int k = 0; k < pairs; k++) {
                drain(receivers.get(k), Long.MAX_VALUE, 1);
            }
            return maxRow(a, b, senders, receivers, seconds);
        } finally {
            for (WsClient.Conn c : conns) {
                c.close();
            }
        }
    }

    /**
     * How a 64-byte payload travels in a text message: as it is ({@link #PLAIN}, to the library's endpoints) or inside
     * a protocol's envelope (a socket.io event, {@code 42["m","<payload>"]}).
     */
    record Wire(byte[] prefix, byte[] suffix) {

        static final Wire PLAIN = new Wire(new byte[0], new byte[0]);

        /** A message of this wire with a payload of {@value #PAYLOAD} x, to be stamped at {@link #prefix}'s end. */
        byte[] message() {
            byte[] message = new byte[prefix.length + PAYLOAD + suffix.length];
            System.arraycopy(prefix, 0, message, 0, prefix.length);
            Arrays.fill(message, prefix.length, prefix.length + PAYLOAD, (byte) 'x');
            System.arraycopy(suffix, 0, message, prefix.length + PAYLOAD, suffix.length);
            return message;
        }
    }

    /**
     * Send at a fixed rate; each payload carries its intended send time and the time it was written (the actual
     * send). Returns the number sent.
     */
    static long fixedRate(WsClient.Conn sender, int rate, double seconds, Wire wire) throws IOException {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) (rate * seconds);
        byte[] payload = wire.message();
        int at = wire.prefix().length;
        int frameSize = payload.length + 14;
        int maxBatch = 64;
        byte[] frames = new byte[frameSize * maxBatch];
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long i = 0;
        while (i < total) {
            long intended = start + i * period;
            long now;
            while ((now = System.nanoTime()) < intended) {
                if (intended - now > 60_000) {
                    LockSupport.parkNanos(intended - now - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            // everything due goes out in one write: when the sender is late it catches up without a write per message
            int n = 0;
            int end = 0;
            do {
                stamp(payload, at, start + i * period, now);
                end = WsClient.encodeText(frames, end, payload, 0, payload.length,
                        ThreadLocalRandom.current().nextInt());
                n++;
                i++;
            } while (i < total && n < maxBatch && start + i * period <= now);
            sender.write(frames, 0, end);
        }
        return total;
    }

    /** Send as fast as the window allows for some seconds; stamps are the actual send times. Returns the number sent. */
    static long window(WsClient.Conn sender, Recorder rx, double seconds, Wire wire) throws IOException {
        return window(List.of(sender), List.of(rx), seconds, wire)[0];
    }

    /**
     * The same over several pairs, each sender with a window of its own to its receiver, from this one thread: a
     * sender whose window is full is skipped. Returns the number each sent.
     */
    static long[] window(List<WsClient.Conn> senders, List<Recorder> receivers, double seconds, Wire wire)
            throws IOException {
        byte[] payload = wire.message();
        int at = wire.prefix().length;
        int maxBatch = 128;
        byte[] frames = new byte[(payload.length + 14) * maxBatch];
        int n = senders.size();
        long[] sent = new long[n];
        long[] base = new long[n];
        for (int k = 0; k < n; k++) {
            base[k] = receivers.get(k).count();
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long now;
        while ((now = System.nanoTime()) < end) {
            boolean any = false;
            for (int k = 0; k < n; k++) {
                long allowed = Math.min(WINDOW - (sent[k] - (receivers.get(k).count() - base[k])), maxBatch);
                if (allowed < 16) {
                    continue;
                }
                any = true;
                stamp(payload, at, now, now);
                int len = 0;
                for (int j = 0; j < allowed; j++) {
                    len = WsClient.encodeText(frames, len, payload, 0, payload.length,
                            ThreadLocalRandom.current().nextInt());
                }
                senders.get(k).write(frames, 0, len);
                sent[k] += allowed;
            }
            if (!any) {
                LockSupport.parkNanos(20_000);
            }
        }
        return sent;
    }

    /** Wait until {@code expected} messages arrived, or nothing arrived for {@code quietSeconds}. */
    static long drain(Recorder rx, long expected, int quietSeconds) {
        return quiet(rx::count, expected, quietSeconds);
    }

    /** Wait until the count reaches {@code expected}, or has not changed for {@code quietSeconds}; return it. */
    private static long quiet(java.util.function.LongSupplier counter, long expected, int quietSeconds) {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long count = counter.getAsLong();
            if (count >= expected) {
                return count;
            }
            if (count != last) {
                last = count;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(quietSeconds)) {
                return count;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(expected == Long.MAX_VALUE ? 100 : 5));
        }
    }

    static Map<String, Object> histogramRow(Recorder rx, long sent, long received) {
        return histogramRow(rx.snapshot(), sent, received);
    }

    /** Counts and percentiles of a row: {@code h[0]} from the intended send time, {@code h[1]} from the actual. */
    static Map<String, Object> histogramRow(Histogram[] h, long sent, long received) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sent", sent);
        row.put("received", received);
        row.put("lost", sent - received);
        putPercentiles(row, h[0]);
        Map<String, Object> actual = new LinkedHashMap<>();
        putPercentiles(actual, h[1]);
        row.put("fromActualSend", actual);
        return row;
    }

    /** p50Micros, p99Micros, p999Micros and maxMicros of a histogram of nanoseconds. */
    static void putPercentiles(Map<String, Object> row, Histogram h) {
        row.put("p50Micros", h.getValueAtPercentile(50) / 1000.0);
        row.put("p99Micros", h.getValueAtPercentile(99) / 1000.0);
        row.put("p999Micros", h.getValueAtPercentile(99.9) / 1000.0);
        row.put("maxMicros", h.getMaxValue() / 1000.0);
    }

    private void tableRow(String label, Map<String, Object> row) {
        tableRow(table, label, row);
    }

    /** The row's counts and percentiles from the intended send time, then a line from the actual send time. */
    @SuppressWarnings("unchecked")
    static void tableRow(List<String> table, String label, Map<String, Object> row) {
        table.add(String.format(Locale.ROOT, "  %-38s %10d %10d %10.1f %10.1f %10.1f %10.1f", label,
                (Long) row.get("received"), (Long) row.get("lost"), row.get("p50Micros"), row.get("p99Micros"),
                row.get("p999Micros"), row.get("maxMicros")));
        Map<String, Object> actual = (Map<String, Object>) row.get("fromActualSend");
        table.add(String.format(Locale.ROOT, "  %-38s %10s %10s %10.1f %10.1f %10.1f %10.1f", "  from the actual send",
                "", "", actual.get("p50Micros"), actual.get("p99Micros"), actual.get("p999Micros"),
                actual.get("maxMicros")));
    }

    /**
     * Receives messages on its selector thread: counts them and records now − the stamps in front of the payload
     * (intended send time, then actual send time).
     */
    static class Recorder implements WsClient.Handler {

        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private final Histogram fromActual = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private final AtomicLong count = new AtomicLong();
        /** Per message (intended, actual, received) while capturing, for the per-hop attribution; else null. */
        private volatile long[][] capture;
        private int captured;

        @Override
        public void onMessage(WsClient.Conn conn, byte[] buf, int off, int len) {
            long now = System.nanoTime();
            long stamp = parseStamp(buf, off, len);
            if (stamp > 0) {
                int second = off + digits(stamp) + 1;
                long actual = parseStamp(buf, second, len - (second - off));
                synchronized (histogram) {
                    histogram.recordValue(Math.max(0, Math.min(now - stamp, histogram.getHighestTrackableValue())));
                    if (actual > 0) {
                        fromActual.recordValue(Math.max(0, Math.min(now - actual,
                                fromActual.getHighestTrackableValue())));
                    }
                    long[][] c = capture;
                    if (c != null && captured < c[0].length) {
                        c[0][captured] = stamp;
                        c[1][captured] = actual;
                        c[2][captured] = now;
                        captured++;
                    }
                }
            }
            count.lazySet(count.get() + 1); // single writer: this connection's selector thread
        }

        long count() {
            return count.get();
        }

        void reset() {
            synchronized (histogram) {
                histogram.reset();
                fromActual.reset();
                capture = null;
                captured = 0;
            }
            count.set(0);
        }

        /** Reset, and keep every message's stamps and receive time (at most {@code capacity}) until the next reset. */
        void resetCapturing(int capacity) {
            synchronized (histogram) {
                histogram.reset();
                fromActual.reset();
                capture = new long[3][capacity];
                captured = 0;
            }
            count.set(0);
        }

        /** The captured messages: {intended, actual, received}, each trimmed to the count. */
        long[][] captured() {
            synchronized (histogram) {
                long[][] c = capture;
                if (c == null) {
                    return new long[3][0];
                }
                return new long[][] {Arrays.copyOf(c[0], captured), Arrays.copyOf(c[1], captured),
                        Arrays.copyOf(c[2], captured)};
            }
        }

        /** From the intended and from the actual send time. */
        Histogram[] snapshot() {
            synchronized (histogram) {
                return new Histogram[] {histogram.copy(), fromActual.copy()};
            }
        }
    }

    // ---------------------------------------------------------------- 4. fan-out

    void fanout() throws Exception {
        int sessions = Integer.getInteger("bench.fanout.sessions", smoke ? 1_000 : 10_000);
        long fds = maxFileDescriptors();
        if (fds > 0 && fds < sessions + 1_000L) {
            int fit = (int) Math.max(100, fds - 1_000);
            System.out.println("fanout: the open-file limit is " + fds + " (ulimit -n); running " + fit
                    + " sessions instead of " + sessions + " (bench/run.sh raises the limit to the hard limit)");
            sessions = fit;
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("sessions", sessions);
        table.add(String.format(Locale.ROOT, "%-58s %10s %10s %10s %10s", "fan-out: " + sessions
                + " sessions, one channel, one server (ms)", "first p50", "last p50", "last p99", "last max"));
        // -Dbench.fanout.repeat=N: the whole sequence N times, alternating, so that a change of the machine's load
        // during the run falls on every kind of server alike; the first pass's rows are the usual keys
        int repeat = Math.max(1, Integer.getInteger("bench.fanout.repeat", 1));
        Map<String, Object> passes = new LinkedHashMap<>(); // pass number → rows (the JSON writer knows no lists)
        try (RedisPubSub pubsub = Bench.connect(url, "bench-fanout-publisher");
                Jedis jedis = new Jedis(URI.create(url), DefaultJedisClientConfig.builder()
                        .autoNegotiateProtocol(false).clientName("bench-fanout-plain-publisher").build())) {
            FanoutPublisher library = (text, failures) -> pubsub.publish("fanout", text).whenComplete((ok, e) -> {
                if (e != null) {
                    failures.increment();
                }
            });
            for (int pass = 0; pass < repeat; pass++) {
                Map<String, Object> rows = pass == 0 ? section : new LinkedHashMap<>();
                if (repeat > 1) {
                    table.add("  pass " + (pass + 1) + " of " + repeat);
                }
                rows.put("library", fanoutRun("library", "/bench/fanout", sessions, library));
                // -Dbench.fanout.libraryVariants="opts;opts": the library's run again, for each, with those JVM
                // options added to the server's (e.g. -Dwskit.redis.websocket.delivery-parallelism=1)
                String variants = System.getProperty("bench.fanout.libraryVariants", "");
                Map<String, Object> variantResults = new LinkedHashMap<>();
                for (String variant : variants.split(";")) {
                    if (variant.isBlank()) {
                        continue;
                    }
                    List<String> jvm = new ArrayList<>(Bench.Child.ownJvmArgs());
                    jvm.addAll(Arrays.asList(variant.trim().split("\\s+")));
                    variantResults.put(variant.trim(), fanoutRun("library [" + variant.trim() + "]",
                            "/bench/fanout", sessions, jvm, library));
                }
                if (!variantResults.isEmpty()) {
                    rows.put("libraryVariants", variantResults);
                }
                // the same with no library on the server: a plain endpoint and a plain Jedis subscriber
                // (WsServer.PlainEndpoint)
                rows.put("baselineNoLibrary", fanoutRun("baseline, no library", "/plain/fanout", sessions,
                        (text, failures) -> jedis.publish("plain:fanout", text)));
                if (Boolean.getBoolean("bench.fanout.rawFrames")) {
                    // the experiment of WsServer.rawFrames: each message framed once, written with sendRawFrame
                    rows.put("noLibraryFrameOnce", fanoutRun("no library, framed once (Tyrus sendRawFrame)",
                            "/plain/fanout", sessions, (text, failures) -> jedis.publish("raw:fanout", text)));
                }
                Map<String, Object> ratios = ratios(rows);
                rows.put("libraryToBaseline", ratios);
                table.add("    library ÷ baseline: " + ratios);
                if (pass > 0) {
                    passes.put(Integer.toString(pass + 1), rows);
                }
            }
        }
        if (!passes.isEmpty()) {
            section.put("furtherPasses", passes);
        }
        results.put("fanout", section);
    }

    /** The library's figures ÷ the baseline's of the same pass: last-session p50 and p99, deliveries/s. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratios(Map<String, Object> rows) {
        Map<String, Object> lib = (Map<String, Object>) rows.get("library");
        Map<String, Object> base = (Map<String, Object>) rows.get("baselineNoLibrary");
        Map<String, Object> libLat = (Map<String, Object>) lib.get("publishToLastSession");
        Map<String, Object> baseLat = (Map<String, Object>) base.get("publishToLastSession");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("lastP50", round((Double) libLat.get("lastP50Millis") / (Double) baseLat.get("lastP50Millis")));
        r.put("lastP99", round((Double) libLat.get("lastP99Millis") / (Double) baseLat.get("lastP99Millis")));
        r.put("deliveriesPerSec", round(((Number) ((Map<String, Object>) lib.get("sustained")).get("deliveriesPerSec"))
                .doubleValue() / ((Number) ((Map<String, Object>) base.get("sustained")).get("deliveriesPerSec"))
                .doubleValue()));
        return r;
    }

    /** Publishes one fan-out message; counts what failed. */
    @FunctionalInterface
    private interface FanoutPublisher {
        void publish(String text, LongAdder failures);
    }

    /** One fan-out run on a fresh server process: sessions on {@code path}, messages one at a time, then sustained. */
    private Map<String, Object> fanoutRun(String label, String path, int sessions, FanoutPublisher publisher)
            throws Exception {
        return fanoutRun(label, path, sessions, null, publisher);
    }

    /** The same, with the server's JVM options ({@code null}: this JVM's own). */
    private Map<String, Object> fanoutRun(String label, String path, int sessions, List<String> serverJvm,
            FanoutPublisher publisher) throws Exception {
        int rounds = smoke ? 20 : 200;
        int sustainSeconds = smoke ? 2 : 10;
        Map<String, Object> section = new LinkedHashMap<>();
        int clientThreads = Integer.getInteger("bench.fanout.clientThreads", 2);
        try (Bench.Child server = Bench.Child.start(WsServer.class, List.of(url, "bench-fanout", "fanout"),
                serverJvm);
                WsClient client = new WsClient(clientThreads)) {
            FanoutCounter counter = new FanoutCounter();
            InetSocketAddress address = address(server);
            long connectStart = System.nanoTime();
            List<WsClient.Conn> conns = connectAll(client, address, path, sessions, counter);
            counter.track(conns);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Long.parseLong(server.command("STATS").split(" ")[1]) < sessions) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not open all " + sessions + " sessions");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            String padding = "x".repeat(44);
            LongAdder failures = new LongAdder();
            server.command("PROBE-HANDED"); // server-side times of the one-at-a-time messages: see WsServer.Probe

            // warm-up rounds, also proving that the channel's subscription is in place
            Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Histogram mid = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            int warm = smoke ? 5 : 50;
            int timeouts = 0;
            int consecutiveTimeouts = 0;
            for (int r = -warm; r < rounds; r++) {
                if (r == 0) {
                    server.command("TIMES"); // forget the warm-up's
                }
                counter.arm(sessions);
                long t0 = System.nanoTime();
                publisher.publish(t0 + ":" + padding, failures);
                if (!counter.await(TimeUnit.SECONDS.toNanos(r < 0 ? 10 : 5))) {
                    if (r >= 0) {
                        timeouts++;
                    }
                    if (++consecutiveTimeouts == 3) {
                        throw new IllegalStateException("three messages in a row did not reach all " + sessions
                                + " sessions within seconds; server: " + server.command("STATS"));
                    }
                    continue;
                }
                consecutiveTimeouts = 0;
                if (r >= 0) {
                    last.recordValue(counter.lastNanos - t0);
                    first.recordValue(counter.firstNanos - t0);
                    mid.recordValue(counter.midNanos - t0);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            section.put("connectSeconds", round(connectSeconds));
            Map<String, Object> lat = new LinkedHashMap<>();
            lat.put("rounds", rounds);
            lat.put("incomplete", timeouts);
            lat.put("lastP50Millis", last.getValueAtPercentile(50) / 1e6);
            lat.put("lastP99Millis", last.getValueAtPercentile(99) / 1e6);
            lat.put("lastMaxMillis", last.getMaxValue() / 1e6);
            lat.put("firstP50Millis", first.getValueAtPercentile(50) / 1e6);
            lat.put("halfP50Millis", mid.getValueAtPercentile(50) / 1e6);
            // TIMES n arrivedP50 arrivedP99 handedP50 handedP99 (µs after the publish call), see WsServer.Probe
            String[] times = server.command("TIMES").split(" ");
            Map<String, Object> serverSide = new LinkedHashMap<>();
            serverSide.put("messages", Long.parseLong(times[1]));
            serverSide.put("arrivedP50Millis", Double.parseDouble(times[2]) / 1e3);
            serverSide.put("arrivedP99Millis", Double.parseDouble(times[3]) / 1e3);
            serverSide.put("handedP50Millis", Double.parseDouble(times[4]) / 1e3);
            serverSide.put("handedP99Millis", Double.parseDouble(times[5]) / 1e3);
            lat.put("server", serverSide);
            section.put("publishToLastSession", lat);
            table.add(String.format(Locale.ROOT, "  %-56s %10.2f %10.2f %10.2f %10.2f", label + ": publish → session, "
                    + rounds + " messages one at a time" + (timeouts > 0 ? ", " + timeouts + " incomplete" : ""),
                    lat.get("firstP50Millis"), lat.get("lastP50Millis"), lat.get("lastP99Millis"),
                    lat.get("lastMaxMillis")));
            table.add(String.format(Locale.ROOT, "    in the server: message arrived p50 %.2f ms, every session's send"
                    + " called and returned p50 %.2f (p99 %.2f); client side: half the sessions had it p50 %.2f ms",
                    serverSide.get("arrivedP50Millis"), serverSide.get("handedP50Millis"),
                    serverSide.get("handedP99Millis"), lat.get("halfP50Millis")));

            // sustained: at most `window` messages between published and delivered to the slowest session, far below
            // the 1024 a session's outbound queue holds, so no queue can overflow
            String[] before = server.command("STATS").split(" ");
            int window = 10;
            long expectedPer = sessions;
            long published = 0;
            failures.reset();
            long base = counter.delivered.get();
            counter.startCountingRounds();
            CpuMeter cpu = new CpuMeter(url, server);
            ThreadCpu serverThreads = ThreadCpu.of(server.pid());
            ThreadCpu ownThreads = ThreadCpu.of(ProcessHandle.current().pid());
            long startMillis = System.currentTimeMillis(); // to find the run in a profile (JFR's times are wall-clock)
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(sustainSeconds);
            while (System.nanoTime() < end) {
                if (published >= window && !counter.awaitAllReceived(published - window + 1, end)) {
                    continue;
                }
                publisher.publish("0:" + padding, failures);
                published++;
            }
            long deliveredInWindow = counter.delivered.get() - base;
            double elapsed = (System.nanoTime() - start) / 1e9;
            Map<String, Object> cores = cpu.coresUsed(elapsed, "server");
            Map<String, Object> serverThreadCores = serverThreads.coresSince(elapsed);
            Map<String, Object> clientThreadCores = ownThreads.coresSince(elapsed);
            long expected = published * expectedPer;
            long delivered = quiet(() -> counter.delivered.get() - base, expected, 3);
            String[] after = server.command("STATS").split(" ");
            int open = 0;
            for (WsClient.Conn c : conns) {
                if (!c.isClosed()) {
                    open++;
                }
            }
            Map<String, Object> sus = new LinkedHashMap<>();
            sus.put("seconds", round(elapsed));
            sus.put("startEpochMillis", startMillis);
            sus.put("published", published);
            sus.put("deliveriesPerSec", Math.round(deliveredInWindow / elapsed));
            sus.put("expectedDeliveries", expected);
            sus.put("delivered", delivered);
            sus.put("lost", expected - delivered);
            sus.put("publishFailures", failures.sum());
            sus.put("closedForOverflow", Long.parseLong(after[3]) - Long.parseLong(before[3]));
            sus.put("sessionsStillOpen", open);
            sus.put("coresUsed", cores);
            sus.put("serverThreads", serverThreadCores);
            sus.put("clientThreads", clientThreadCores);
            // CPU per delivery: less sensitive than deliveries/s to what else the machine runs
            Map<String, Object> perDelivery = new LinkedHashMap<>();
            perDelivery.put("server", microsPerDelivery(serverThreadCores, deliveredInWindow / elapsed));
            perDelivery.put("clients", microsPerDelivery(clientThreadCores, deliveredInWindow / elapsed));
            sus.put("cpuMicrosPerDelivery", perDelivery);
            sus.put("clientSelectorThreads", clientThreads);
            section.put("sustained", sus);
            table.add(String.format(Locale.ROOT, "  %-56s %14s %12s %8s", label + ": sustained, window " + window
                    + " messages per session", "deliveries/s", "delivered", "lost"));
            table.add(String.format(Locale.ROOT, "  %-56s %14d %12d %8d", published + " messages × " + sessions
                    + " sessions in " + round(elapsed) + " s", sus.get("deliveriesPerSec"), delivered,
                    expected - delivered));
            table.add("    cores busy during the sustained run: " + cores);
            table.add("    CPU µs per delivery (user / kernel): " + perDelivery);
            table.add("    server threads (user / kernel): " + serverThreadCores);
            table.add("    harness threads (" + clientThreads + " client selector threads): " + clientThreadCores);
            for (WsClient.Conn c : conns) {
                c.close();
            }
        }
        return section;
    }

    /** {@code {user, sys}} µs of CPU per delivery from the {@code total} of {@link ThreadCpu#coresSince}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> microsPerDelivery(Map<String, Object> threadCores, double perSecond) {
        Map<String, Object> total = (Map<String, Object>) threadCores.get("total");
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("user", "sys")) {
            m.put(k, round((Double) total.get(k) * 1e6 / Math.max(1, perSecond)));
        }
        return m;
    }

    /** Open n connections, eight handshakes at a time. */
    private static List<WsClient.Conn> connectAll(WsClient client, InetSocketAddress address, String path, int n,
            WsClient.Handler handler) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<WsClient.Conn>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> client.connect(address, path, handler)));
            }
            List<WsClient.Conn> conns = new ArrayList<>(n);
            for (Future<WsClient.Conn> f : futures) {
                conns.add(f.get(60, TimeUnit.SECONDS));
            }
            return conns;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Counts deliveries over all sessions; for one message at a time, notes the first, the middle and the last
     * arrival; in the sustained run, how many sessions received their k-th message, so that the publisher learns in
     * constant time whether every session has received a given message (no scan of 10,000 counters).
     */
    private static final class FanoutCounter implements WsClient.Handler {

        /** Most messages of a sustained run that are followed (each session's k-th, k below this). */
        private static final int MAX_ROUNDS = 1 << 16;

        final AtomicLong delivered = new AtomicLong();
        private int sessions;
        private volatile Rounds rounds;
        private volatile long roundStart;
        private volatile long roundMid;
        private volatile long roundEnd = Long.MAX_VALUE;
        volatile long firstNanos;
        volatile long midNanos;
        volatile long lastNanos;
        private volatile boolean done;
        /** The thread waiting in {@link #await} or {@link #awaitAllReceived}, and for which message. */
        private volatile Thread waiter;
        private volatile long awaited;

        /** Per session: messages received since the start (written by its selector thread only); per k: sessions. */
        private record Rounds(int[] perSession, AtomicIntegerArray reached) {
        }

        /** Number the connections (as attachments), to count per connection in the sustained run. */
        void track(List<WsClient.Conn> conns) {
            sessions = conns.size();
            for (int i = 0; i < conns.size(); i++) {
                conns.get(i).attachment = i;
            }
        }

        /** Count each session's messages from now on (nothing is in flight). */
        void startCountingRounds() {
            rounds = new Rounds(new int[sessions], new AtomicIntegerArray(MAX_ROUNDS));
        }

        /** Whether every session received its k-th message (k ≥ 1) since {@link #startCountingRounds()}. */
        boolean allReceived(long k) {
            return k < MAX_ROUNDS && rounds.reached().get((int) k) >= sessions;
        }

        /**
         * Wait (parked until the selector thread that completes it unparks this one, at most 10 ms at a time) until
         * every session received its k-th message or the deadline passed: polling every few microseconds would take
         * CPU from the server on a small machine. Returns whether they all did.
         */
        boolean awaitAllReceived(long k, long deadline) {
            awaited = k;
            waiter = Thread.currentThread();
            try {
                while (!allReceived(k)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
                }
                return true;
            } finally {
                waiter = null;
            }
        }

        void arm(int sessions) {
            done = false;
            long base = delivered.get();
            roundStart = base + 1;
            roundMid = base + sessions / 2;
            roundEnd = base + sessions;
        }

        /** Wait until the round's last delivery (the selector thread that sees it unparks this thread), bounded. */
        boolean await(long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            waiter = Thread.currentThread();
            try {
                while (!done) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        // resynchronise: late deliveries of this round must not count for the next
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                        roundEnd = Long.MAX_VALUE;
                        return false;
                    }
                    LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
                }
                return true;
            } finally {
                waiter = null;
            }
        }

        @Override
        public void onMessage(WsClient.Conn conn, byte[] buf, int off, int len) {
            Rounds r = rounds;
            if (r != null && conn.attachment instanceof Integer i) {
                int k = ++r.perSession()[i]; // single writer: the connection's selector thread
                if (k < MAX_ROUNDS && r.reached().incrementAndGet(k) == sessions && k == awaited) {
                    wake();
                }
            }
            long d = delivered.incrementAndGet();
            if (d == roundStart) {
                firstNanos = System.nanoTime();
            }
            if (d == roundMid) {
                midNanos = System.nanoTime();
            }
            if (d == roundEnd) {
                lastNanos = System.nanoTime();
                done = true;
                wake();
            }
        }

        private void wake() {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * CPU time of the server processes, of this process (the clients; the harness itself idles) and of Redis over a
     * run, as cores busy on average. On a shared machine this tells whether the load generator or something else took
     * the CPU. Redis's figure includes other users of the same Redis.
     */
    static final class CpuMeter {

        private final String url;
        private final Bench.Child[] servers;
        private final double[] serverStart;
        private final double ownStart;
        private final double redisStart;
        private final double machineStart;

        CpuMeter(String url, Bench.Child... servers) {
            this.url = url;
            this.servers = servers;
            this.serverStart = new double[servers.length];
            for (int i = 0; i < servers.length; i++) {
                serverStart[i] = servers[i].cpuSeconds();
            }
            this.ownStart = Bench.ownCpuSeconds();
            this.redisStart = Bench.redisCpuSeconds(url);
            this.machineStart = Bench.machineBusySeconds();
        }

        Map<String, Object> coresUsed(double elapsedSeconds, String... names) {
            Map<String, Object> cores = new LinkedHashMap<>();
            for (int i = 0; i < servers.length; i++) {
                cores.put(names[i], round((servers[i].cpuSeconds() - serverStart[i]) / elapsedSeconds));
            }
            cores.put("clients", round((Bench.ownCpuSeconds() - ownStart) / elapsedSeconds));
            cores.put("redis", round((Bench.redisCpuSeconds(url) - redisStart) / elapsedSeconds));
            // every process on the machine: what is not the run's own is other work sharing the cores
            cores.put("machine", round((Bench.machineBusySeconds() - machineStart) / elapsedSeconds));
            return cores;
        }
    }

    /**
     * Write {@code intended:actual:} at {@code at} in the message (nanoTime is positive on Linux); the rest of the
     * payload stays {@code x} (the stamps keep their length within a run).
     */
    static void stamp(byte[] message, int at, long intended, long actual) {
        int next = stamp(message, at, intended);
        stamp(message, next, actual);
    }

    /** Write {@code value:} at {@code at}; returns the index after the colon. */
    private static int stamp(byte[] message, int at, long value) {
        int digits = digits(value);
        long v = value;
        for (int i = digits - 1; i >= 0; i--) {
            message[at + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        message[at + digits] = ':';
        return at + digits + 1;
    }

    /** The number of decimal digits of a positive value. */
    private static int digits(long value) {
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10) {
            digits++;
        }
        return digits;
    }

    /** The stamp in front of a payload, or -1. */
    static long parseStamp(byte[] buf, int off, int len) {
        long value = 0;
        for (int i = 0; i < Math.min(len, 20); i++) {
            byte c = buf[off + i];
            if (c == ':') {
                return i == 0 ? -1 : value;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return -1;
    }

    static InetSocketAddress address(Bench.Child server) {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(server.ready.substring("READY ".length()).trim()));
    }

    private static String[] stats(Bench.Child a, Bench.Child b) throws IOException {
        return new String[] {a.command("STATS"), b.command("STATS")};
    }

    private static long delta(String after, String before, int field) {
        return Long.parseLong(after.split(" ")[field]) - Long.parseLong(before.split(" ")[field]);
    }

    private static long maxFileDescriptors() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
