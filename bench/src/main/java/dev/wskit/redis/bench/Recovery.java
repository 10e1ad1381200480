package dev.wskit.redis.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.history.HistoryKeys;
import dev.wskit.redis.internal.history.HistoryScripts;
import dev.wskit.redis.internal.history.HistorySettings;

/**
 * The {@code recovery} scenario: what channels with history cost next to plain ones, in the same run, on the same
 * machine, through the same code paths as {@code publish} and {@code latency} ({@link Bench#runPublish},
 * {@link Bench#fixedRate}, {@link Bench#latencyRuns}, the {@link Receiver} child):
 * <ol>
 * <li>publish throughput, 64 B, 8 threads, counted by a receiver process: {@code publishWithHistory} (received with
 * {@code subscribeWithHistory}) vs {@code publish} (received with {@code subscribe}); ratio, target ≥ 0.5;</li>
 * <li>publish → handler latency at 1k and 10k msg/s, the same pairs, plain and with history alternating per rate;
 * p50 difference, target ≤ +50 µs;</li>
 * <li>replay: N messages published with history, then a fresh {@code subscribeWithHistory} from the position
 * before them on another instance (a {@link Receiver} child subscribed to nothing): messages/s until it handled the
 * last of them;</li>
 * <li>Redis memory per kept message: {@code MEMORY USAGE <stream> SAMPLES 0} / the N 64 B messages that stream
 * keeps (and the {@code INFO memory} {@code used_memory} delta, which other clients of a shared Redis disturb).</li>
 * </ol>
 * Channels {@code rec-*} in the namespace {@code bench}; the history keys it created are deleted at the end. It never
 * reconfigures Redis ({@code CONFIG GET} only).
 */
final class Recovery {

    /** The plain channel of the throughput and latency runs. */
    private static final String PLAIN = "rec";
    /** The channel with history of the throughput and latency runs. */
    private static final String HISTORY = "rec-h";
    /** The channel of the replay and memory runs, which the receivers are not subscribed to. */
    private static final String REPLAY = "rec-replay";
    /** The targets of issue 14. */
    private static final double THROUGHPUT_TARGET = 0.5;
    private static final double P50_TARGET_MICROS = 50;

    private final Bench bench;
    private final String url;
    private final boolean smoke;
    private final Map<String, Object> results;
    private final List<String> table;

    Recovery(Bench bench, String url, boolean smoke, Map<String, Object> results, List<String> table) {
        this.bench = bench;
        this.url = url;
        this.smoke = smoke;
        this.results = results;
        this.table = table;
    }

    void run() throws Exception {
        Map<String, Object> section = new LinkedHashMap<>();
        // in the results at once: a part that fails leaves those before it
        results.put("recovery", section);
        // two receiver processes for the whole scenario (each child JVM pre-touches its heap): one subscribed to the
        // plain channel, one with history to the channel with history; the latter is also the resuming instance of
        // the replay runs (another channel, on which it had no subscription)
        try (Bench.Child plainReceiver = Bench.Child.start(Receiver.class, List.of(url, PLAIN), null);
                Bench.Child historyReceiver = Bench.Child.start(Receiver.class, List.of(url, HISTORY, "history"),
                        null)) {
            throughput(section, plainReceiver, historyReceiver);
            latency(section, plainReceiver, historyReceiver);
            replayAndMemory(section, historyReceiver);
        } finally {
            deleteHistoryKeys();
        }
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(Map<String, Object> section, Bench.Child plainReceiver, Bench.Child reliableReceiver)
            throws Exception {
        int n = smoke ? 20_000 : 2_000_000;
        int warmUp = smoke ? 5_000 : 300_000;
        String payload = "x".repeat(64);
        Bench.PublishCall plain = (pubsub, m) -> pubsub.publish(PLAIN, m);
        Bench.PublishCall reliable = (pubsub, m) -> pubsub.publishWithHistory(HISTORY, m);
        table.add(String.format(Locale.ROOT, "%-58s %14s %12s", "recovery: publish throughput, 64 B, 8 threads", "msg/s",
                "received"));
        bench.runPublish(plainReceiver, payload, warmUp, 8, plain);
        bench.runPublish(reliableReceiver, payload, warmUp, 8, reliable);
        Map<String, Object> plainCores = new LinkedHashMap<>();
        Map<String, Object> historyCores = new LinkedHashMap<>();
        double[] p = cores(plainReceiver, plainCores, () -> bench.runPublish(plainReceiver, payload, n, 8, plain));
        double[] r = cores(reliableReceiver, historyCores,
                () -> bench.runPublish(reliableReceiver, payload, n, 8, reliable));
        String[] lost = reliableReceiver.command("LOST").split(" ");
        double ratio = r[0] / p[0];
        // what Redis itself does on one connection (the library publishes over one): PUBLISH, and the history script
        // with the arguments the library sends (EVAL, the same keys and channel, so the receiver with history gets
        // them too); the ratio of the two is about the ceiling of the library's ratio on this Redis
        int benchmarkN = smoke ? 20_000 : 1_000_000;
        double redisPlain = bench.redisBenchmark(List.of("PUBLISH", "bench:" + PLAIN, payload), benchmarkN, 256, 1);
        List<String> eval = new ArrayList<>(List.of("EVAL"));
        byte[][] one = HistoryScripts.publishArgs(HistoryKeys.of("bench:" + HISTORY),
                ("bench:" + HISTORY).getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8),
                new HistorySettings(RedisPubSubOptions.DEFAULT_HISTORY_SIZE,
                        RedisPubSubOptions.DEFAULT_HISTORY_TTL.toMillis(),
                        RedisPubSubOptions.DEFAULT_HISTORY_META_TTL.toMillis()), false);
        // the script of a publish sent alone (consecutive publishes of a batch are one call of the batch script)
        for (byte[] arg : one) {
            eval.add(new String(arg, StandardCharsets.UTF_8));
        }
        double redisScript = bench.redisBenchmark(eval, benchmarkN / 4, 256, 1);
        double redisRatio = redisScript / redisPlain;
        // the same by its SHA: what sending the script's text with every call costs Redis (hashing it each time)
        List<String> evalsha = new ArrayList<>(eval);
        try (Jedis jedis = jedis()) {
            evalsha.set(0, "EVALSHA");
            evalsha.set(1, jedis.scriptLoad(eval.get(1)));
        }
        double redisScriptSha = bench.redisBenchmark(evalsha, benchmarkN / 4, 256, 1);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("payloadBytes", 64);
        row.put("threads", 8);
        row.put("messages", n);
        row.put("plainMsgPerSec", Math.round(p[0]));
        row.put("plainReceived", Math.round(p[1]));
        row.put("historyMsgPerSec", Math.round(r[0]));
        row.put("historyReceived", Math.round(r[1]));
        row.put("historyLossesReported", Long.parseLong(lost[1]));
        row.put("historyMessagesReportedLost", Long.parseLong(lost[2]));
        row.put("historySize", "default (1000)");
        row.put("ratioHistoryToPlain", Bench.round(ratio));
        row.put("target", "≥ " + THROUGHPUT_TARGET);
        row.put("met", ratio >= THROUGHPUT_TARGET);
        row.put("plainCoresBusy", plainCores);
        row.put("historyCoresBusy", historyCores);
        row.put("redisBenchmarkPublishOneConnectionP256", Math.round(redisPlain));
        row.put("redisBenchmarkHistoryScriptOneConnectionP256", Math.round(redisScript));
        row.put("redisBenchmarkRatio", Bench.round(redisRatio));
        row.put("redisBenchmarkHistoryScriptEvalshaOneConnectionP256", Math.round(redisScriptSha));
        row.put("redisBenchmarkEvalshaRatio", Bench.round(redisScriptSha / redisPlain));
        section.put("throughput64B", row);
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12.0f", "plain: publish → subscribe", p[0], p[1]));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12.0f", "with history: publishWithHistory → subscribeWithHistory",
                r[0], r[1]));
        if (Long.parseLong(lost[1]) > 0) {
            table.add(String.format(Locale.ROOT, "  %-56s %14s", "  losses reported by the history receiver",
                    lost[1] + " (" + lost[2] + " msgs)"));
        }
        table.add(String.format(Locale.ROOT, "  %-56s %14.2f %12s", "  ratio with history / plain (target ≥ 0.5)", ratio,
                ratio >= THROUGHPUT_TARGET ? "met" : "not met"));
        table.add(String.format(Locale.ROOT, "  %-56s %14s", "  cores busy, plain: publisher, receiver, Redis",
                plainCores.get("publisher") + ", " + plainCores.get("receiver") + ", " + plainCores.get("redis")));
        table.add(String.format(Locale.ROOT, "  %-56s %14s", "  cores busy, with history: publisher, receiver, Redis",
                historyCores.get("publisher") + ", " + historyCores.get("receiver") + ", " + historyCores.get("redis")));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark -c 1 -P 256 PUBLISH, 64 B", redisPlain,
                "-"));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark -c 1 -P 256 EVAL <history script>, 64 B",
                redisScript, "-"));
        table.add(String.format(Locale.ROOT, "  %-56s %14.2f", "  ratio script / PUBLISH (Redis alone)", redisRatio));
        table.add(String.format(Locale.ROOT, "  %-56s %14.0f %12s", "redis-benchmark -c 1 -P 256 EVALSHA <the same>, 64 B",
                redisScriptSha, "-"));
        table.add(String.format(Locale.ROOT, "  %-56s %14.2f", "  ratio EVALSHA / PUBLISH (Redis alone)",
                redisScriptSha / redisPlain));
    }

    /** Something that throws. */
    @FunctionalInterface
    private interface Run<T> {
        T run() throws Exception;
    }

    /**
     * Run {@code run} and put into {@code cores} the cores the harness (the publisher), the receiver and Redis kept
     * busy meanwhile: CPU seconds / wall seconds (the receiver's drain included).
     */
    private <T> T cores(Bench.Child receiver, Map<String, Object> cores, Run<T> run) throws Exception {
        double own = Bench.ownCpuSeconds();
        double child = receiver.cpuSeconds();
        double redis = Bench.redisCpuSeconds(url);
        long start = System.nanoTime();
        T result = run.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        cores.put("publisher", Bench.round((Bench.ownCpuSeconds() - own) / seconds));
        cores.put("receiver", Bench.round((receiver.cpuSeconds() - child) / seconds));
        cores.put("redis", Bench.round((Bench.redisCpuSeconds(url) - redis) / seconds));
        cores.put("seconds", Bench.round(seconds));
        return result;
    }

    // ---------------------------------------------------------------- latency

    private void latency(Map<String, Object> section, Bench.Child plainReceiver, Bench.Child reliableReceiver)
            throws Exception {
        int seconds = smoke ? 1 : 10;
        int warmUp = smoke ? 1 : 3;
        Map<String, Object> plainRows = new LinkedHashMap<>();
        Map<String, Object> historyRows = new LinkedHashMap<>();
        Map<String, Object> deltas = new LinkedHashMap<>();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("plain", plainRows);
        latency.put("history", historyRows);
        latency.put("historyMinusPlainMicros", deltas);
        section.put("latency", latency);
        table.add(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s", "recovery: latency publish → handler (µs)",
                "count", "p50", "p99", "p99.9", "max"));
        try (RedisPubSub pubsub = Bench.connect(url, "bench-latency")) {
            Bench.FixedRateSender plain = (rate, secs) -> Bench.fixedRate(rate, secs,
                    m -> pubsub.publish(PLAIN, m));
            Bench.FixedRateSender reliable = (rate, secs) -> Bench.fixedRate(rate, secs,
                    m -> pubsub.publishWithHistory(HISTORY, m));
            plain.send(10_000, warmUp);
            reliable.send(10_000, warmUp);
            // alternating per rate, so that a change of the machine's load falls on both kinds alike
            for (int rate : new int[] {1_000, 10_000}) {
                bench.latencyRuns(plainReceiver, plain, seconds, plainRows, "",
                        r -> "plain: " + r + " msg/s for " + seconds + " s", rate);
                bench.latencyRuns(reliableReceiver, reliable, seconds, historyRows, "",
                        r -> "with history: " + r + " msg/s, " + seconds + " s", rate);
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) plainRows.get(rate + "/s");
                @SuppressWarnings("unchecked")
                Map<String, Object> h = (Map<String, Object>) historyRows.get(rate + "/s");
                @SuppressWarnings("unchecked")
                Map<String, Object> pa = (Map<String, Object>) p.get("fromActualSend");
                @SuppressWarnings("unchecked")
                Map<String, Object> ha = (Map<String, Object>) h.get("fromActualSend");
                String[] keys = {"p50Micros", "p99Micros", "p999Micros", "maxMicros"};
                double[] d = new double[4];
                double[] da = new double[4];
                Map<String, Object> delta = new LinkedHashMap<>();
                Map<String, Object> deltaActual = new LinkedHashMap<>();
                for (int i = 0; i < keys.length; i++) {
                    d[i] = Bench.round((Double) h.get(keys[i]) - (Double) p.get(keys[i]));
                    da[i] = Bench.round((Double) ha.get(keys[i]) - (Double) pa.get(keys[i]));
                    delta.put(keys[i], d[i]);
                    deltaActual.put(keys[i], da[i]);
                }
                delta.put("fromActualSend", deltaActual);
                delta.put("p50Target", "≤ +" + (int) P50_TARGET_MICROS);
                delta.put("p50Met", d[0] <= P50_TARGET_MICROS);
                deltas.put(rate + "/s", delta);
                table.add(String.format(Locale.ROOT, "  %-38s %10s %+10.1f %+10.1f %+10.1f %+10.1f",
                        "  with history − plain (p50 ≤ +50: " + (d[0] <= P50_TARGET_MICROS ? "met" : "not met") + ")",
                        "", d[0], d[1], d[2], d[3]));
                table.add(String.format(Locale.ROOT, "  %-38s %10s %+10.1f %+10.1f %+10.1f %+10.1f",
                        "    the same from the actual send", "", da[0], da[1], da[2], da[3]));
            }
            String[] lost = reliableReceiver.command("LOST").split(" ");
            latency.put("historyLossesReportedLastRun", Long.parseLong(lost[1]));
        }
    }

    // ---------------------------------------------------------------- replay and memory

    private void replayAndMemory(Map<String, Object> section, Bench.Child resumer) throws Exception {
        int n = smoke ? 5_000 : 100_000;
        int runs = smoke ? 1 : 3;
        HistoryKeys keys = HistoryKeys.of("bench:" + REPLAY);
        try (Jedis jedis = jedis()) {
            // a stream left by an interrupted run would count in the memory figure
            jedis.del(keys.stream(), keys.meta());
            Map<String, String> streamConfig = new LinkedHashMap<>();
            for (String name : new String[] {"stream-node-max-bytes", "stream-node-max-entries"}) {
                streamConfig.putAll(jedis.configGet(name));
            }
            long usedBefore = usedMemory(jedis);
            try (RedisPubSub publisher = Bench.connect(url, "bench-replay-publisher", b -> b.historySize(n))) {
                StreamPosition before = publisher.history(REPLAY, null, 0).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS).position();
                long publishNanos = publishHistory(publisher, n);
                StreamPosition after = publisher.history(REPLAY, null, 0).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS).position();
                if (!after.epoch().equals(before.epoch()) || after.offset() != before.offset() + n) {
                    throw new IllegalStateException("the history went from " + before + " to " + after + " for " + n
                            + " messages");
                }
                long usedAfter = usedMemory(jedis);
                long entries = jedis.xlen(keys.stream());
                Long streamBytes = jedis.memoryUsage(keys.stream(), 0);
                Long metaBytes = jedis.memoryUsage(keys.meta(), 0);
                Map<String, Object> memory = new LinkedHashMap<>();
                memory.put("payloadBytes", 64);
                memory.put("messages", n);
                memory.put("entries", entries);
                memory.put("streamKey", keys.stream());
                memory.put("memoryUsageStreamBytes", streamBytes);
                memory.put("bytesPerEntry", Bench.round((double) streamBytes / n));
                memory.put("method", "MEMORY USAGE <stream> SAMPLES 0 (every node counted) / messages kept, stream of "
                        + n + " messages of 64 B in " + entries + " entries (one per run of consecutive messages"
                        + " published together, ids <first offset>-0, a field p per message)");
                memory.put("metaKeyBytes", metaBytes);
                memory.put("usedMemoryDeltaBytes", usedAfter - usedBefore);
                memory.put("usedMemoryDeltaPerEntry", Bench.round((double) (usedAfter - usedBefore) / n));
                memory.put("usedMemoryNote", "INFO memory used_memory after − before publishing; the Redis is shared,"
                        + " other clients' allocations count in it");
                memory.put("redisStreamConfig", streamConfig);
                section.put("memoryPerEntry", memory);

                List<Map<String, Object>> replays = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    String[] a = resumer.command("REPLAY " + REPLAY + " " + before + " " + after.offset()).split(" ");
                    long delivered = Long.parseLong(a[1]);
                    long nanos = Long.parseLong(a[2]);
                    if (nanos < 0) {
                        throw new IllegalStateException("the resuming subscriber did not catch up: " + delivered
                                + " of " + n + " delivered, " + a[4] + " losses");
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("run", run);
                    row.put("delivered", delivered);
                    row.put("seconds", Math.round(nanos / 1e6) / 1000.0);
                    row.put("msgPerSec", Math.round(delivered / (nanos / 1e9)));
                    row.put("firstMessageMillis", Bench.round(Long.parseLong(a[3]) / 1e6));
                    row.put("losses", Long.parseLong(a[4]));
                    row.put("outOfOrder", Long.parseLong(a[5]));
                    replays.add(row);
                }
                Map<String, Object> replay = new LinkedHashMap<>();
                replay.put("messages", n);
                replay.put("payloadBytes", 64);
                replay.put("from", before.toString());
                replay.put("publishWithHistoryOneThreadMsgPerSec", Math.round(n / (publishNanos / 1e9)));
                replay.put("method", "the receiver process of the rows with history (another instance, not"
                        + " subscribed to this channel); each run a fresh subscribeWithHistory(channel, String.class,"
                        + " position before the messages, handler), timed from the call until the handler got the last"
                        + " message, then closed");
                replay.put("runs", replays);
                section.put("replay", replay);

                table.add(String.format(Locale.ROOT, "%-58s %14s %12s", "recovery: replay to a resuming subscriber",
                        "msg/s", "delivered"));
                for (Map<String, Object> row : replays) {
                    table.add(String.format(Locale.ROOT, "  %-56s %14d %12d", "run " + row.get("run") + " of " + n
                            + " messages, "
                            + row.get("seconds") + " s, first after " + row.get("firstMessageMillis") + " ms",
                            (long) row.get("msgPerSec"), (long) row.get("delivered")));
                    if ((long) row.get("losses") > 0 || (long) row.get("outOfOrder") > 0) {
                        table.add("    losses " + row.get("losses") + ", out of order " + row.get("outOfOrder"));
                    }
                }
                table.add(String.format(Locale.ROOT, "%-58s %14s", "recovery: Redis memory per kept message, 64 B",
                        "bytes"));
                table.add(String.format(Locale.ROOT, "  %-56s %14.1f", "MEMORY USAGE of the stream / " + n + " messages ("
                        + entries + " entries)", memory.get("bytesPerEntry")));
                table.add(String.format(Locale.ROOT, "  %-56s %14.1f", "  INFO used_memory delta / messages (shared Redis)",
                        memory.get("usedMemoryDeltaPerEntry")));
            }
        }
    }

    /** Publish n 64-byte payloads with history from one thread, at most 4,096 in flight; returns the nanoseconds. */
    private static long publishHistory(RedisPubSub publisher, int n) {
        Semaphore inFlight = new Semaphore(4096);
        AtomicLong failures = new AtomicLong();
        String padding = "x".repeat(56);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquireUninterruptibly();
            // 64 bytes, each different (a counter), as a stream of real messages
            publisher.publishWithHistory(REPLAY, String.format(Locale.ROOT, "%08d", i) + padding)
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            failures.incrementAndGet();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquireUninterruptibly(4096);
        long elapsed = System.nanoTime() - start;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " publishes with history failed");
        }
        return elapsed;
    }

    /** Delete the history keys this scenario created (their stream and hash), nothing else. */
    private void deleteHistoryKeys() {
        try (Jedis jedis = jedis()) {
            for (String channel : new String[] {HISTORY, REPLAY}) {
                HistoryKeys keys = HistoryKeys.of("bench:" + channel);
                jedis.del(keys.stream(), keys.meta());
            }
        } catch (RuntimeException e) {
            System.out.println("recovery: could not delete the history keys: " + e);
        }
    }

    private Jedis jedis() {
        return new Jedis(URI.create(url), DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .clientName("bench-recovery").build());
    }

    private static long usedMemory(Jedis jedis) {
        for (String line : jedis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }
}
