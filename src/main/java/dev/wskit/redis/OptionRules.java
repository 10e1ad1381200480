package dev.wskit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.wskit.redis.OptionProblem;
import dev.wskit.redis.RedisPubSubOptions.Topology;
import dev.wskit.redis.internal.support.Masking;

/**
 * The rules of {@link RedisPubSubOptions.Builder#build()}: checks every option given, resolves the connection (from
 * the URL or the separate options) and reports every broken rule as a {@link OptionProblem}, in a fixed order.
 */
final class OptionRules {

    private static final int MAX_NAMESPACE_LENGTH = 256;
    private static final int MAX_CLIENT_NAME_LENGTH = 128;
    private static final long MIN_TIMEOUT_MILLIS = 10;
    private static final Duration MAX_DURATION = Duration.ofHours(24);
    private static final String ONE_OR_OTHER = "use one or the other";
    private static final String SENTINEL_ONLY = "use a redis-sentinel:// {url} or {sentinels}";

    /** The connection options as resolved from the url or the separate options. */
    static final class Resolved {
        Topology topology = Topology.STANDALONE;
        List<String> hosts = List.of();
        String host = RedisPubSubOptions.DEFAULT_HOST;
        int port = RedisPubSubOptions.DEFAULT_PORT;
        String username;
        String password;
        int db;
        boolean tls;
        String master;
        Boolean sharded;
    }

    private final OptionValues v;
    private final List<OptionProblem> errors = new ArrayList<>();
    private final Resolved r = new Resolved();

    private OptionRules(OptionValues values) {
        this.v = values;
    }

    /**
     * Check every option.
     *
     * @param values the options as given; not changed
     * @return the resolved connection
     * @throws InvalidOptionsException listing every problem, if any rule is broken
     */
    static Resolved check(OptionValues values) {
        OptionRules rules = new OptionRules(values);
        rules.checkAll();
        if (!rules.errors.isEmpty()) {
            throw new InvalidOptionsException(rules.errors);
        }
        return rules.r;
    }

    private void checkAll() {
        r.username = v.username;
        r.password = v.password;
        r.db = v.db;
        r.tls = Boolean.TRUE.equals(v.tls);
        r.master = v.sentinelMaster;
        checkCredentials();
        if (v.url != null) {
            checkUrl();
        } else if (v.sentinels != null || v.clusterNodes != null) {
            checkHostLists();
        } else {
            r.host = checkHost(v.host);
            r.port = v.port;
            if (v.port < 1 || v.port > 65535) {
                add("port", "must be between 1 and 65535", Integer.toString(v.port), null);
            }
        }
        if (v.shardedPubSub != null && r.sharded == null) {
            r.sharded = v.shardedPubSub;
        }
        checkTopology();
        checkNamespace(v.namespace);
        checkLimits();
        checkClientName(v.clientName);
    }

    private void add(String option, String rule, String value, String hint) {
        errors.add(new OptionProblem(option, rule, value, hint));
    }

    private void checkCredentials() {
        if (v.username != null && v.username.isEmpty()) {
            add("username", "must not be empty", "\"\"", "leave it unset for the default user");
        }
        if (v.password != null && v.password.isEmpty()) {
            add("password", "must not be empty", "\"\"", "leave it unset for no password");
        }
        if (v.db < 0) {
            add("db", "must be at least 0", Integer.toString(v.db), null);
        }
    }

    /** The options that a URL replaces must not be set; then the URL's parts resolve the connection. */
    private void checkUrl() {
        if (v.hostSet) {
            add("host", "must not be set together with {url}", OptionText.quote(v.host), ONE_OR_OTHER);
        }
        if (v.portSet) {
            add("port", "must not be set together with {url}", Integer.toString(v.port), ONE_OR_OTHER);
        }
        if (v.sentinels != null) {
            add("sentinels", "must not be set together with {url}", OptionText.quoteList(v.sentinels),
                    ONE_OR_OTHER);
        }
        if (v.clusterNodes != null) {
            add("clusterNodes", "must not be set together with {url}", OptionText.quoteList(v.clusterNodes),
                    ONE_OR_OTHER);
        }
        RedisUrl parsed = RedisUrl.parse(v.url, errors);
        if (parsed != null) {
            r.topology = parsed.topology;
            r.hosts = parsed.hosts;
            r.host = parsed.host;
            r.port = parsed.port;
            mergeUrlCredentials(parsed);
            mergeUrlSettings(parsed);
        }
    }

    /** A URL's user name and password, which must not be set separately as well. */
    private void mergeUrlCredentials(RedisUrl parsed) {
        if (parsed.username != null) {
            if (v.username != null) {
                add("username", "must not be set together with a {url} that has a user name",
                        OptionText.quote(v.username), ONE_OR_OTHER);
            }
            r.username = parsed.username;
        }
        if (parsed.password != null) {
            if (v.password != null) {
                add("password", "must not be set together with a {url} that has a password", Masking.MASK,
                        ONE_OR_OTHER);
            }
            r.password = parsed.password;
        }
    }

    /** A URL's database, TLS, master and sharding, which may be set separately only to the same value. */
    private void mergeUrlSettings(RedisUrl parsed) {
        if (parsed.db >= 0) {
            if (v.dbSet && v.db != parsed.db) {
                add("db", "must be the database of {url} (" + parsed.db + ") when both are set",
                        Integer.toString(v.db), ONE_OR_OTHER);
            }
            r.db = parsed.db;
        }
        if (parsed.tls) {
            if (Boolean.FALSE.equals(v.tls)) {
                add("tls", "must not be false with a " + parsed.scheme + ":// {url}", "false",
                        "use a " + parsed.scheme.substring(0, 5) + parsed.scheme.substring(6)
                                + ":// {url} for a connection without TLS");
            }
            r.tls = true;
        }
        if (parsed.master != null) {
            if (v.sentinelMaster != null && !v.sentinelMaster.equals(parsed.master)) {
                add("sentinelMaster", "must be the master named in {url} when both are set",
                        OptionText.quote(v.sentinelMaster), ONE_OR_OTHER);
            }
            r.master = parsed.master;
        }
        if (parsed.sharded != null) {
            if (v.shardedPubSub != null && !v.shardedPubSub.equals(parsed.sharded)) {
                add("shardedPubSub", "must match the sharded parameter of {url} (" + parsed.sharded
                        + ") when both are set", v.shardedPubSub.toString(), ONE_OR_OTHER);
            }
            r.sharded = parsed.sharded;
        }
    }

    /** {@code sentinels} or {@code clusterNodes} without a URL. */
    private void checkHostLists() {
        String what = v.sentinels != null ? "sentinels" : "clusterNodes";
        if (v.sentinels != null && v.clusterNodes != null) {
            add("sentinels", "must not be set together with {clusterNodes}", OptionText.quoteList(v.sentinels),
                    "a deployment is either Sentinel or Cluster");
        }
        if (v.hostSet) {
            add("host", "must not be set together with {" + what + "}", OptionText.quote(v.host), ONE_OR_OTHER);
        }
        if (v.portSet) {
            add("port", "must not be set together with {" + what + "}", Integer.toString(v.port), ONE_OR_OTHER);
        }
        if (v.sentinels != null) {
            r.topology = Topology.SENTINEL;
            r.hosts = checkHostList("sentinels", v.sentinels, RedisPubSubOptions.DEFAULT_SENTINEL_PORT);
        } else {
            r.topology = Topology.CLUSTER;
            r.hosts = checkHostList("clusterNodes", v.clusterNodes, RedisPubSubOptions.DEFAULT_PORT);
        }
    }

    /** Check the entries of {@code sentinels} or {@code clusterNodes}; the first one becomes host and port. */
    private List<String> checkHostList(String name, List<String> entries, int defaultPort) {
        if (entries.isEmpty()) {
            add(name, "must name at least one host", "[]", null);
            return List.of();
        }
        if (OptionText.hasCredentials(entries)) {
            // one problem for the whole list, masked as one value: the other entries may be pieces of a password
            add(name, "entry must be host[:port]", OptionText.quoteList(entries),
                    "give one entry per host, without scheme or credentials");
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        for (String entry : entries) {
            RedisUrl.HostPort hp = checkHostEntry(name, entries, entry, defaultPort);
            if (hp == null) {
                continue;
            }
            if (hosts.isEmpty()) {
                r.host = hp.host();
                r.port = hp.port();
            }
            String formatted = hp.format();
            if (!hosts.contains(formatted)) {
                hosts.add(formatted);
            }
        }
        return List.copyOf(hosts);
    }

    /** One entry of a host list; {@code null} after adding a problem. */
    private RedisUrl.HostPort checkHostEntry(String name, List<String> entries, String entry, int defaultPort) {
        if (entry == null) {
            add(name, "must not contain null", OptionText.quoteList(entries), null);
            return null;
        }
        if (OptionText.hasWhitespaceOrControl(entry)) {
            add(name, "entry must not contain whitespace or control characters", OptionText.quote(entry), null);
            return null;
        }
        if (entry.contains("://") || entry.indexOf('@') >= 0 || entry.indexOf(',') >= 0
                || entry.indexOf('/') >= 0) {
            add(name, "entry must be host[:port]", OptionText.quote(entry),
                    "give one entry per host, without scheme or credentials");
            return null;
        }
        return RedisUrl.hostPort(entry, defaultPort, name, "entry", OptionText.quote(entry),
                "[::1]:" + defaultPort, errors);
    }

    private String checkHost(String host) {
        if (host == null) {
            add("host", "must not be null", null, null);
            return RedisPubSubOptions.DEFAULT_HOST;
        }
        String h = host;
        if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            add("host", "must not be empty", OptionText.quote(host), null);
        } else if (OptionText.hasWhitespaceOrControl(h)) {
            add("host", "must not contain whitespace or control characters", OptionText.quote(host), null);
        } else if (!OptionText.isHostName(h) && !OptionText.isIpv6(h)) {
            add("host", "must be a host name or an IP address", OptionText.quote(host),
                    h.contains("://") ? "set a Redis URL with {url}" : "set the port with {port}");
        }
        return h;
    }

    /** The options that only fit one topology. */
    private void checkTopology() {
        if (r.topology == Topology.SENTINEL) {
            if (r.master == null) {
                add("sentinelMaster", "must be set for Sentinel", "null",
                        "add ?sentinels=NAME to the url or call sentinelMaster(NAME) with the name of"
                                + " 'sentinel monitor NAME ...'");
            } else {
                checkName("sentinelMaster", r.master);
            }
        } else if (v.sentinelMaster != null) {
            add("sentinelMaster", "must only be set for Sentinel", OptionText.quote(v.sentinelMaster),
                    SENTINEL_ONLY);
        }
        if (v.sentinelUsername != null) {
            if (v.sentinelUsername.isEmpty()) {
                add("sentinelUsername", "must not be empty", "\"\"", "leave it unset for the default user");
            } else if (r.topology != Topology.SENTINEL) {
                add("sentinelUsername", "must only be set for Sentinel", OptionText.quote(v.sentinelUsername),
                        SENTINEL_ONLY);
            }
        }
        if (v.sentinelPassword != null) {
            if (v.sentinelPassword.isEmpty()) {
                add("sentinelPassword", "must not be empty", "\"\"", "leave it unset for no password");
            } else if (r.topology != Topology.SENTINEL) {
                add("sentinelPassword", "must only be set for Sentinel", Masking.MASK, SENTINEL_ONLY);
            }
        }
        if (r.topology == Topology.CLUSTER && r.db > 0) {
            add("db", "must be 0 for a cluster", Integer.toString(r.db), "Redis Cluster has only database 0");
        }
        if (Boolean.TRUE.equals(r.sharded) && r.topology != Topology.CLUSTER) {
            add("shardedPubSub", "must only be true for a cluster", "true",
                    "use a redis-cluster:// {url} or {clusterNodes}");
        }
    }

    private void checkName(String name, String value) {
        if (value.isEmpty()) {
            add(name, "must not be empty", "\"\"", null);
        } else if (OptionText.hasWhitespaceOrControl(value)) {
            add(name, "must not contain whitespace or control characters", OptionText.quote(value), null);
        }
    }

    private void checkNamespace(String namespace) {
        if (namespace == null) {
            add("namespace", "must not be null", null, null);
        } else if (namespace.isEmpty()) {
            add("namespace", "must not be empty", "\"\"", null);
        } else if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            add("namespace", "must be at most " + MAX_NAMESPACE_LENGTH + " characters", OptionText.quote(namespace),
                    null);
        } else if (OptionText.hasWhitespaceOrControl(namespace)) {
            add("namespace", "must not contain whitespace or control characters", OptionText.quote(namespace),
                    null);
        } else if (OptionText.hasGlob(namespace)) {
            add("namespace", "must not contain the glob characters * ? [ ]", OptionText.quote(namespace), null);
        } else if (namespace.charAt(namespace.length() - 1) == ':') {
            add("namespace", "must not end with ':'", OptionText.quote(namespace),
                    "the ':' separator is added automatically");
        }
    }

    /** The durations and sizes. */
    private void checkLimits() {
        boolean delayOk = checkDuration("reconnectDelay", v.reconnectDelay, 1);
        boolean maxOk = checkDuration("maxReconnectDelay", v.maxReconnectDelay, 1);
        if (delayOk && maxOk && v.maxReconnectDelay.compareTo(v.reconnectDelay) < 0) {
            add("maxReconnectDelay", "must be at least {reconnectDelay} (" + OptionText.duration(v.reconnectDelay)
                    + ")", OptionText.duration(v.maxReconnectDelay), null);
        }
        checkDuration("pingInterval", v.pingInterval, MIN_TIMEOUT_MILLIS);
        checkDuration("pingTimeout", v.pingTimeout, MIN_TIMEOUT_MILLIS);
        checkDuration("connectTimeout", v.connectTimeout, MIN_TIMEOUT_MILLIS);
        checkDuration("commandTimeout", v.commandTimeout, MIN_TIMEOUT_MILLIS);
        checkDuration("holdPublishesWhileConnecting", v.holdPublishesWhileConnecting, 0);
        checkPositive("maxReceivedMessageBytes", v.maxReceivedMessageBytes);
        checkPositive("maxPendingPublishBytes", v.maxPendingPublishBytes);
        checkPositive("maxPendingPublishes", v.maxPendingPublishes);
        checkHistory();
        checkCanary();
        if (v.selfCheck == null) {
            add("selfCheck", "must not be null", null, "use SelfCheck.OFF to turn the self-check off");
        }
    }

    /** The history of channels with history: size and times to live. */
    private void checkHistory() {
        if (v.historySize < 1 || v.historySize > MAX_HISTORY_SIZE) {
            add("historySize", "must be between 1 and " + MAX_HISTORY_SIZE, Integer.toString(v.historySize), null);
        }
        boolean ttlOk = checkDuration("historyTtl", v.historyTtl, 1000);
        if (v.historyMetaTtl == null) {
            add("historyMetaTtl", "must not be null", null, null);
        } else if (v.historyMetaTtl.compareTo(MAX_HISTORY_META_TTL) > 0) {
            add("historyMetaTtl", "must be at most 365 days", OptionText.duration(v.historyMetaTtl), null);
        } else if (ttlOk && v.historyMetaTtl.compareTo(v.historyTtl) < 0) {
            add("historyMetaTtl", "must be at least {historyTtl} (" + OptionText.duration(v.historyTtl) + ")",
                    OptionText.duration(v.historyMetaTtl), "the epoch must outlive the history it numbers");
        }
    }

    /** The canary's interval: 0 (off) or at least the shortest timeout. */
    private void checkCanary() {
        if (checkDuration("canaryInterval", v.canaryInterval, 0) && !v.canaryInterval.isZero()
                && v.canaryInterval.compareTo(Duration.ofMillis(MIN_TIMEOUT_MILLIS)) < 0) {
            add("canaryInterval", "must be 0 (off) or at least " + MIN_TIMEOUT_MILLIS + " ms",
                    OptionText.duration(v.canaryInterval), null);
        }
    }

    private void checkPositive(String name, long value) {
        if (value < 1) {
            add(name, "must be at least 1", Long.toString(value), null);
        }
    }

    /** The most entries a channel's history may keep. */
    static final int MAX_HISTORY_SIZE = 1_000_000;
    static final Duration MAX_HISTORY_META_TTL = Duration.ofDays(365);

    private boolean checkDuration(String name, Duration value, long minMillis) {
        if (value == null) {
            add(name, "must not be null", null, null);
            return false;
        }
        if (value.compareTo(Duration.ofMillis(minMillis)) < 0) {
            add(name, "must be at least " + minMillis + " ms", OptionText.duration(value), null);
            return false;
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            add(name, "must be at most 24 h", OptionText.duration(value), null);
            return false;
        }
        return true;
    }

    private void checkClientName(String clientName) {
        if (clientName == null) {
            add("clientName", "must not be null", null, null);
        } else if (clientName.isEmpty()) {
            add("clientName", "must not be empty", "\"\"", null);
        } else if (clientName.length() > MAX_CLIENT_NAME_LENGTH) {
            add("clientName", "must be at most " + MAX_CLIENT_NAME_LENGTH + " characters",
                    OptionText.quote(clientName), null);
        } else if (OptionText.hasWhitespaceOrControl(clientName)) {
            add("clientName", "must not contain whitespace or control characters", OptionText.quote(clientName),
                    null);
        }
    }
}
