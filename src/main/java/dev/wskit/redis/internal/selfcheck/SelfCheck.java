package dev.wskit.redis.internal.selfcheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.history.HistoryKeys;
import dev.wskit.redis.internal.support.Failures;

import redis.clients.jedis.Connection;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The checks of the start-up self-check, over one connection: a pure sequence of commands and answers, so that unit
 * tests can script the answers.
 *
 * <p>What is "low" for {@code client-output-buffer-limit pubsub}: a hard limit below {@value #LOW_HARD_LIMIT} bytes
 * (32 MiB) or a soft limit below {@value #LOW_SOFT_LIMIT} bytes (8 MiB), the Redis defaults ({@code pubsub 32mb 8mb
 * 60}). Redis disconnects a subscriber whose unsent output exceeds them, and every message in it is lost; the
 * library's own limit for one message ({@code maxReceivedMessageBytes}) is 64 MiB by default. A limit of 0 (none) is
 * noted, not a problem.
 */
public final class SelfCheck {

    /** A {@code pubsub} hard limit below this is low: 32 MiB, the Redis default. */
    public static final long LOW_HARD_LIMIT = 32L * 1024 * 1024;
    /** A {@code pubsub} soft limit below this is low: 8 MiB, the Redis default. */
    public static final long LOW_SOFT_LIMIT = 8L * 1024 * 1024;
    static final int SLOTS = 16384;

    /** Sends one command and returns its answer; an error answer is thrown as a {@link JedisDataException}. */
    @FunctionalInterface
    public interface Redis {

        /**
         * Run a command.
         *
         * @param args the command and its arguments
         * @return the answer: {@code byte[]}, {@code Long}, {@code List} or {@code null}
         */
        Object call(String... args);
    }

    private final RedisPubSubOptions options;
    private final Redis redis;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private SelfCheck(RedisPubSubOptions options, Redis redis) {
        this.options = options;
        this.redis = redis;
    }

    /**
     * Run every check on a connection.
     *
     * @param options the instance's options; must not be {@code null}
     * @param connection an open connection to a data node; must not be {@code null}
     * @return the report; never {@code null}
     */
    public static SelfCheckReport run(RedisPubSubOptions options, Connection connection) {
        return run(options, args -> run0(connection, args));
    }

    /** Send one command on a connection and read its answer. */
    static Object run0(Connection connection, String... args) {
        String name = args[0];
        ProtocolCommand command = () -> name.getBytes(StandardCharsets.UTF_8);
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        connection.sendCommand(command, rest);
        return connection.getOne();
    }

    /**
     * Check that every sentinel knows the master and names the same address: a sentinel that does not know it (a
     * wrong master name, a sentinel of another deployment) or that disagrees cannot help a failover or this library
     * find the master.
     *
     * @param options the options of a Sentinel topology; must not be {@code null}
     * @param sentinel asks one sentinel ({@code host:port} as in the options); throws if it cannot be reached
     * @param report the report of the data node's checks; must not be {@code null}
     * @return the report with the sentinels' findings added; never {@code null}
     */
    public static SelfCheckReport withSentinels(RedisPubSubOptions options,
            Function<String, Redis> sentinel, SelfCheckReport report) {
        List<String> problems = new ArrayList<>(report.problems());
        List<String> notes = new ArrayList<>(report.notes());
        String master = options.sentinelMaster();
        Map<String, String> answers = new LinkedHashMap<>();
        for (String address : options.sentinels()) {
            Object reply;
            try {
                reply = sentinel.apply(address).call("SENTINEL", "get-master-addr-by-name", master);
            } catch (RuntimeException e) {
                notes.add("sentinel " + address + " could not be asked for master " + master + " ("
                        + Failures.reason(e) + "): it cannot help find the master"
                        + " after a failover; check it, or remove it from the sentinels (key wskit.redis.sentinel.nodes)");
                continue;
            }
            if (reply instanceof List<?> list && list.size() >= 2) {
                answers.put(address, text(list.get(0)) + ":" + text(list.get(1)));
            } else {
                problems.add("sentinel " + address + " does not monitor a master named " + master + "; fix: correct"
                        + " the master name (key wskit.redis.sentinel.master, or ?sentinels= in the url) or add"
                        + " 'sentinel monitor " + master + " <host> <port> <quorum>' to that sentinel");
            }
        }
        if (new HashSet<>(answers.values()).size() > 1) {
            problems.add("the sentinels disagree on the master of " + master + ": " + answers + "; fix: check that"
                    + " they monitor the same deployment (a failover may also be in progress)");
        }
        String redis = report.redis();
        if (redis != null && answers.size() > 0) {
            redis = redis + ", master " + master + " at " + answers.values().iterator().next();
        }
        return new SelfCheckReport(redis, problems, notes);
    }

    /**
     * Run every check through a command function.
     *
     * @param options the instance's options; must not be {@code null}
     * @param redis runs the commands; must not be {@code null}
     * @return the report; never {@code null}
     */
    public static SelfCheckReport run(RedisPubSubOptions options, Redis redis) {
        return new SelfCheck(options, redis).runAll();
    }

    private SelfCheckReport runAll() {
        String info = text(redis.call("INFO", "server"));
        String version = field(info, "redis_version");
        String mode = field(info, "redis_mode");
        int major = major(version);
        String described = "Redis " + (version == null ? "(version unknown)" : version)
                + (mode == null ? "" : " (" + mode + ")");
        checkMode(mode);
        boolean cluster = "cluster".equals(mode);
        if (options.shardedPubSub() && major >= 0 && major < 7) {
            problems.add("sharded pub/sub (option shardedPubSub, key wskit.redis.cluster.sharded-pubsub) needs Redis"
                    + " 7 or later, was " + version + "; fix: upgrade Redis or turn sharded pub/sub off");
        }
        if (cluster) {
            checkSlots();
        }
        checkAcl(major, version);
        checkOutputBufferLimit();
        checkEvictionPolicy();
        return new SelfCheckReport(described, problems, notes);
    }

    /** The options' topology against what the server says it is. */
    private void checkMode(String mode) {
        if (mode == null || options.client() != null) {
            return;
        }
        if ("sentinel".equals(mode)) {
            problems.add("the options connect to a Sentinel as if it were a Redis server (redis_mode is sentinel);"
                    + " fix: use a redis-sentinel:// url (key wskit.redis.url) naming the master, or the sentinels"
                    + " and the master name (keys wskit.redis.sentinel.nodes, wskit.redis.sentinel.master)");
        } else if ("cluster".equals(mode) && options.topology() != RedisPubSubOptions.Topology.CLUSTER) {
            notes.add("the server is a cluster node (redis_mode is cluster) but the options connect to it as "
                    + options.topology().name().toLowerCase(Locale.ROOT) + ": classic pub/sub works, channels with"
                    + " history whose slot is elsewhere fail with MOVED; use a redis-cluster:// url (key"
                    + " wskit.redis.url) to follow the cluster");
        }
    }

    /** Every hash slot must have a master: else channels (sharded) and history keys of those slots fail. */
    private void checkSlots() {
        Object reply;
        try {
            reply = redis.call("CLUSTER", "SLOTS");
        } catch (JedisDataException e) {
            problems.add("cluster slots cannot be read: CLUSTER SLOTS failed (" + message(e) + "); the library reads"
                    + " the slot map with it; fix: allow the user CLUSTER SLOTS (ACL SETUSER <user> +cluster|slots)");
            return;
        }
        boolean[] covered = new boolean[SLOTS];
        if (reply instanceof List<?> ranges) {
            for (Object range : ranges) {
                if (range instanceof List<?> r && r.size() >= 3 && r.get(0) instanceof Long from
                        && r.get(1) instanceof Long to) {
                    for (long s = Math.max(0, from); s <= Math.min(SLOTS - 1, to); s++) {
                        covered[(int) s] = true;
                    }
                }
            }
        }
        int missing = 0;
        int first = -1;
        for (int s = 0; s < SLOTS; s++) {
            if (!covered[s]) {
                missing++;
                if (first < 0) {
                    first = s;
                }
            }
        }
        if (missing > 0) {
            problems.add("cluster slots: " + missing + " of " + SLOTS + " hash slots have no master (the first is "
                    + first + "); channels and history keys hashing to them cannot be used (sharded pub/sub, history),"
                    + " and with cluster-require-full-coverage yes the whole cluster refuses commands; fix: assign"
                    + " every slot (redis-cli --cluster fix <host:port>) and check CLUSTER INFO");
        }
    }

    /** The ACL rights of the user on the namespace's channels, by {@code ACL DRYRUN} (Redis 7+). */
    private void checkAcl(int major, String version) {
        String ns = options.namespace();
        String channel = ns + ":__wskit:selfcheck";
        if (major >= 0 && major < 7) {
            notes.add("ACL rights not checkable: Redis " + version + " has no ACL DRYRUN (Redis 7+); the user needs "
                    + requiredRights(ns));
            return;
        }
        String user;
        try {
            user = text(redis.call("ACL", "WHOAMI"));
        } catch (JedisDataException e) {
            notes.add("ACL rights not checkable: ACL WHOAMI failed (" + message(e) + "); the user needs "
                    + requiredRights(ns));
            return;
        }
        List<String[]> required = new ArrayList<>();
        required.add(new String[] {"PING"});
        required.add(new String[] {"CLIENT", "SETNAME", options.clientName()});
        if (options.shardedPubSub()) {
            required.add(new String[] {"SSUBSCRIBE", channel});
            required.add(new String[] {"SPUBLISH", channel, "x"});
        } else {
            required.add(new String[] {"SUBSCRIBE", channel});
            required.add(new String[] {"PUBLISH", channel, "x"});
        }
        if (options.topology() == RedisPubSubOptions.Topology.CLUSTER && options.client() == null) {
            required.add(new String[] {"CLUSTER", "SLOTS"});
        }
        for (String[] command : required) {
            String denied = dryRun(user, command, ns);
            if (denied == NOT_CHECKABLE) {
                return;
            }
            if (denied != null) {
                problems.add("ACL: the user may not run " + String.join(" ", command) + " (Redis says: " + denied
                        + "); fix: " + grant(command, ns));
            }
        }
        if (!options.shardedPubSub()) {
            String[] psubscribe = {"PSUBSCRIBE", ns + ":*"};
            String denied = dryRun(user, psubscribe, ns);
            if (denied == NOT_CHECKABLE) {
                return;
            }
            if (denied != null) {
                notes.add("ACL: pattern subscriptions (psubscribe) would fail: the user may not run PSUBSCRIBE " + ns
                        + ":* (Redis says: " + denied + "); fix, if the application uses them: " + grant(psubscribe,
                        ns));
            }
        }
        HistoryKeys keys = HistoryKeys.of(channel);
        String publish = options.shardedPubSub() ? "SPUBLISH" : "PUBLISH";
        String[][] history = {
            {"EVAL", "return 1", "2", keys.stream(), keys.meta()},
            {"XADD", keys.stream(), "1-0", "p", "x"},
            {"XRANGE", keys.stream(), "-", "+"},
            {"XREVRANGE", keys.stream(), "+", "-", "COUNT", "1"},
            {"HGET", keys.meta(), "e"},
            {"HSET", keys.meta(), "e", "x"},
            {"HINCRBY", keys.meta(), "o", "1"},
            {"PEXPIRE", keys.stream(), "1000"},
            {"DEL", keys.stream()},
            {publish, channel, "x"},
        };
        List<String> deniedHistory = new ArrayList<>();
        for (String[] command : history) {
            String denied = dryRun(user, command, ns);
            if (denied == NOT_CHECKABLE) {
                return;
            }
            if (denied != null && !deniedHistory.contains(command[0])) {
                deniedHistory.add(command[0]);
            }
        }
        if (!deniedHistory.isEmpty()) {
            notes.add("ACL: channels with history would fail: the user may not run " + String.join(", ", deniedHistory)
                    + " on the keys {" + ns + ":...}:h and :m; fix, if the application uses history: ACL SETUSER"
                    + " <user> +eval +xadd +xrange +xrevrange +hget +hset +hincrby +pexpire +del ~{" + ns + ":*");
        }
    }

    private static final String NOT_CHECKABLE = new String("not checkable");

    /** {@code null} if allowed, Redis's reason if denied, {@link #NOT_CHECKABLE} (noted) if it cannot be asked. */
    private String dryRun(String user, String[] command, String ns) {
        String[] args = new String[command.length + 3];
        args[0] = "ACL";
        args[1] = "DRYRUN";
        args[2] = user;
        System.arraycopy(command, 0, args, 3, command.length);
        try {
            String answer = text(redis.call(args));
            return answer == null || answer.equalsIgnoreCase("OK") ? null : answer;
        } catch (JedisDataException e) {
            notes.add("ACL rights not checkable: ACL DRYRUN failed (" + message(e) + "); allow it (ACL SETUSER"
                    + " <user> +acl|dryrun +acl|whoami) or check by hand that the user has " + requiredRights(ns));
            return NOT_CHECKABLE;
        }
    }

    /** The ACL rights the library needs, for messages. */
    private String requiredRights(String ns) {
        String pubsub = options.shardedPubSub() ? "+ssubscribe +spublish" : "+subscribe +publish (+psubscribe for"
                + " pattern subscriptions)";
        return "+ping +client|setname " + pubsub + (options.topology() == RedisPubSubOptions.Topology.CLUSTER
                ? " +cluster|slots" : "") + " &" + ns + ":*";
    }

    private static String grant(String[] command, String ns) {
        String name = command[0].toLowerCase(Locale.ROOT);
        if (command.length > 1 && (name.equals("client") || name.equals("cluster"))) {
            name = name + "|" + command[1].toLowerCase(Locale.ROOT);
        }
        boolean channel = name.endsWith("subscribe") || name.endsWith("publish");
        return "ACL SETUSER <user> +" + name + (channel ? " &" + ns + ":*" : "");
    }

    /** {@code client-output-buffer-limit} of the pubsub class. */
    private void checkOutputBufferLimit() {
        String value;
        try {
            value = configValue("client-output-buffer-limit");
        } catch (JedisDataException e) {
            notes.add("client-output-buffer-limit not checkable: CONFIG GET failed (" + message(e) + "); make sure"
                    + " its pubsub class is at least the Redis default, pubsub 32mb 8mb 60");
            return;
        }
        if (value == null) {
            return;
        }
        String[] parts = value.trim().split("\\s+");
        for (int i = 0; i + 3 < parts.length; i++) {
            if (!parts[i].equalsIgnoreCase("pubsub")) {
                continue;
            }
            long hard = bytes(parts[i + 1]);
            long soft = bytes(parts[i + 2]);
            String seconds = parts[i + 3];
            String shown = "pubsub " + parts[i + 1] + " " + parts[i + 2] + " " + seconds;
            if (hard == 0 && soft == 0) {
                notes.add("client-output-buffer-limit is " + shown + ": no limit, a subscriber that stops reading"
                        + " makes Redis hold its messages in memory without bound");
            } else if ((hard > 0 && hard < LOW_HARD_LIMIT) || (soft > 0 && soft < LOW_SOFT_LIMIT)) {
                problems.add("client-output-buffer-limit is " + shown + ", low (hard limit below 32mb or soft limit"
                        + " below 8mb): Redis disconnects a subscriber that falls that far behind in a burst, and"
                        + " its unsent messages are lost; fix: CONFIG SET client-output-buffer-limit \"pubsub 64mb"
                        + " 16mb 60\" and the same line in redis.conf");
            }
            return;
        }
    }

    /** {@code maxmemory-policy}: an allkeys policy may evict the keys of channels with history. */
    private void checkEvictionPolicy() {
        String policy;
        try {
            policy = configValue("maxmemory-policy");
        } catch (JedisDataException e) {
            return; // said once for client-output-buffer-limit
        }
        if (policy != null && policy.startsWith("allkeys-")) {
            notes.add("maxmemory-policy is " + policy + ": under memory pressure Redis may evict the history of"
                    + " channels with history (then their receivers are told of a loss); noeviction or a volatile-*"
                    + " policy keeps them (their keys have a time to live)");
        }
    }

    /** The value of one configuration parameter; {@code null} if Redis does not know it. */
    private String configValue(String name) {
        Object reply = redis.call("CONFIG", "GET", name);
        if (reply instanceof List<?> list && list.size() >= 2) {
            return text(list.get(1));
        }
        return null;
    }

    /** A limit as Redis writes it (bytes, or with a unit such as {@code 32mb}); -1 if not understood. */
    static long bytes(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
            {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            return Long.parseLong(v) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String field(String info, String name) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    static int major(String version) {
        if (version == null) {
            return -1;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return reply == null ? null : reply.toString();
    }

    private static String message(JedisDataException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
