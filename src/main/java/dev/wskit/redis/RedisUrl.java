package dev.wskit.redis;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.wskit.redis.OptionProblem;
import dev.wskit.redis.RedisPubSubOptions.Topology;
import dev.wskit.redis.internal.support.Masking;

/**
 * The parts of a Redis URL ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}, {@code redis-cluster://}
 * and their TLS forms), and the parser that reads them; see {@link RedisPubSubOptions.Builder#url(String)} for the
 * syntax. A broken rule is added to the caller's list as a {@link OptionProblem} of the option {@code url},
 * showing the URL
 * masked.
 */
final class RedisUrl {

    /** The scheme, lower case. */
    String scheme;
    Topology topology = Topology.STANDALONE;
    boolean tls;
    /** The host (without brackets) and port of the single or first host. */
    String host;
    int port = RedisPubSubOptions.DEFAULT_PORT;
    /** With Sentinel or Cluster, the hosts as {@code host:port}, without duplicates. */
    List<String> hosts = List.of();
    String username;
    String password;
    /** -1 when the URL names no database. */
    int db = -1;
    String master;
    Boolean sharded;

    private RedisUrl() {
    }

    /** One host and port, {@code host} without brackets. */
    record HostPort(String host, int port) {
        String format() {
            return OptionText.hostPort(host, port);
        }
    }

    /**
     * Parse a URL.
     *
     * @param url the URL; must not be {@code null}
     * @param errors receives the problem, if any
     * @return the parts; {@code null} after adding a problem
     */
    static RedisUrl parse(String url, List<OptionProblem> errors) {
        String masked = Masking.maskUrl(url);
        if (url.isEmpty()) {
            errors.add(new OptionProblem("url", "must not be empty", "\"\"", "leave it unset to use host and port"));
            return null;
        }
        int sep = url.indexOf("://");
        if (sep <= 0) {
            errors.add(new OptionProblem("url", "must start with redis:// or rediss://", masked, null));
            return null;
        }
        RedisUrl parsed = new RedisUrl();
        if (!parsed.scheme(url.substring(0, sep).toLowerCase(Locale.ROOT), masked, errors)) {
            return null;
        }
        if (OptionText.hasWhitespaceOrControl(url)) {
            errors.add(new OptionProblem("url", "must not contain whitespace or control characters", masked,
                    "percent-encode them in the password"));
            return null;
        }
        String rest = url.substring(sep + 3);
        int authorityEnd = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        String authority = rest.substring(0, authorityEnd);
        String path = rest.substring(authorityEnd);
        if (path.indexOf('#') >= 0) {
            errors.add(new OptionProblem("url", "must not have a fragment", masked, null));
            return null;
        }
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
            if (parsed.topology == Topology.STANDALONE) {
                errors.add(new OptionProblem("url", "must not have a query string", masked,
                        "set options with the builder"));
                return null;
            }
        }
        int at = authority.lastIndexOf('@');
        boolean ok = (at < 0 || parsed.userInfo(authority.substring(0, at), masked, errors))
                && parsed.hosts(authority.substring(at + 1), masked, errors)
                && parsed.database(path, masked, errors)
                && (query == null || parsed.query(query, masked, errors));
        return ok ? parsed : null;
    }

    /** Read the scheme; false after adding a problem. */
    private boolean scheme(String name, String masked, List<OptionProblem> errors) {
        scheme = name;
        switch (name) {
            case "redis", "rediss" -> topology = Topology.STANDALONE;
            case "redis-sentinel", "rediss-sentinel" -> topology = Topology.SENTINEL;
            case "redis-cluster", "rediss-cluster" -> topology = Topology.CLUSTER;
            default -> {
                errors.add(new OptionProblem("url", "scheme " + OptionText.literal(Masking.escape(name))
                        + " is not supported", masked, "use redis://, rediss://, redis-sentinel://,"
                                + " rediss-sentinel://, redis-cluster:// or rediss-cluster://"));
                return false;
            }
        }
        tls = name.startsWith("rediss");
        return true;
    }

    /** Read {@code [user]:password}; false after adding a problem. */
    private boolean userInfo(String userInfo, String masked, List<OptionProblem> errors) {
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            errors.add(new OptionProblem("url", "user info must have the form [user]:password", masked,
                    "write " + scheme + "://:password@host for a password alone"));
            return false;
        }
        String user = percentDecode(userInfo.substring(0, colon));
        String pass = percentDecode(userInfo.substring(colon + 1));
        if (user == null || pass == null) {
            errors.add(new OptionProblem("url", "user info must be validly percent-encoded UTF-8", masked, null));
            return false;
        }
        username = user.isEmpty() ? null : user;
        password = pass.isEmpty() ? null : pass;
        return true;
    }

    /** Read the one host, or the comma-separated hosts of Sentinel or Cluster; false after adding a problem. */
    private boolean hosts(String hostList, String masked, List<OptionProblem> errors) {
        if (topology == Topology.STANDALONE && hostList.indexOf(',') >= 0) {
            errors.add(new OptionProblem("url", "must name a single host", masked,
                    "use redis-sentinel:// or redis-cluster:// for several hosts"));
            return false;
        }
        int defaultPort = topology == Topology.SENTINEL
                ? RedisPubSubOptions.DEFAULT_SENTINEL_PORT
                : RedisPubSubOptions.DEFAULT_PORT;
        List<String> all = new ArrayList<>();
        for (String entry : hostList.split(",", -1)) {
            HostPort hp = hostPort(entry, defaultPort, "url", "", masked, scheme + "://[::1]:" + defaultPort,
                    errors);
            if (hp == null) {
                return false;
            }
            if (all.isEmpty()) {
                host = hp.host();
                port = hp.port();
            }
            String formatted = hp.format();
            if (!all.contains(formatted)) {
                all.add(formatted);
            }
        }
        hosts = topology == Topology.STANDALONE ? List.of() : List.copyOf(all);
        return true;
    }

    /** Read the database of the path; false after adding a problem. */
    private boolean database(String path, String masked, List<OptionProblem> errors) {
        if (path.length() <= 1) {
            return true;
        }
        int d = parseDigits(path.substring(1), 9);
        if (d < 0) {
            errors.add(new OptionProblem("url", "database must be a number of at least 0", masked, null));
            return false;
        }
        if (topology == Topology.CLUSTER && d != 0) {
            errors.add(new OptionProblem("url", "database must be 0 for a cluster", masked,
                    "Redis Cluster has only database 0"));
            return false;
        }
        db = d;
        return true;
    }

    /** Read the parameters of a Sentinel or Cluster URL; false after adding a problem. */
    private boolean query(String query, String masked, List<OptionProblem> errors) {
        String accepted = topology == Topology.SENTINEL ? "sentinels=NAME or master=NAME" : "sharded=true";
        if (query.isEmpty()) {
            errors.add(new OptionProblem("url", "must not have an empty query string", masked, "use " + accepted));
            return false;
        }
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                // not echoed: a parameter without '=' may be a secret put in the wrong place
                errors.add(new OptionProblem("url", "parameters must have the form name=value", masked,
                        "use " + accepted));
                return false;
            }
            String name = param.substring(0, eq);
            String value = percentDecode(param.substring(eq + 1));
            boolean known = topology == Topology.SENTINEL
                    ? name.equals("sentinels") || name.equals("master")
                    : name.equals("sharded");
            if (!known) {
                errors.add(new OptionProblem("url", "parameter \"" + OptionText.literal(Masking.escape(name))
                        + "\" is not supported", masked, "use " + accepted));
                return false;
            }
            if (value == null || value.isEmpty()) {
                errors.add(new OptionProblem("url", "parameter " + name + " must have a value", masked,
                        "use " + accepted));
                return false;
            }
            if (!parameter(value, masked, errors)) {
                return false;
            }
        }
        return true;
    }

    /** Take the value of a known parameter; false after adding a problem. */
    private boolean parameter(String value, String masked, List<OptionProblem> errors) {
        if (topology == Topology.SENTINEL) {
            if (master != null && !master.equals(value)) {
                errors.add(new OptionProblem("url", "must name one Sentinel master", masked,
                        "give sentinels=NAME or master=NAME once"));
                return false;
            }
            master = value;
            return true;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            errors.add(new OptionProblem("url", "parameter sharded must be true or false", masked, null));
            return false;
        }
        sharded = lower.equals("true");
        return true;
    }

    /**
     * Parse {@code host[:port]} (an IPv6 address in brackets); {@code option}, {@code part} (such as
     * {@code "entry"}, or empty) and {@code shown} name the option, the part of it and the value in problems.
     *
     * @return the host and port; {@code null} after adding a problem
     */
    static HostPort hostPort(String hostPort, int defaultPort, String option, String part, String shown,
            String ipv6Example, List<OptionProblem> errors) {
        String subject = part.isEmpty() ? "" : part + " ";
        String hostText;
        String portText = null;
        String problem = null;
        String hint = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            hostText = close < 0 ? "" : hostPort.substring(1, close);
            String after = close < 0 ? "" : hostPort.substring(close + 1);
            if (close < 0) {
                problem = "host must close the IPv6 address with ']'";
            } else if (!after.isEmpty() && after.charAt(0) != ':') {
                problem = "host must be followed by :port";
            } else if (!OptionText.isIpv6(hostText)) {
                problem = "host must be an IPv6 address inside brackets";
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            hostText = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
            if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                problem = "host must be in brackets when it is an IPv6 address";
                hint = "write " + OptionText.literal(ipv6Example);
            } else if (!hostText.isEmpty() && !OptionText.isHostName(hostText)) {
                problem = "host must contain only letters, digits, '-', '.' and '_'";
            }
        }
        int p = portText == null ? defaultPort : parseDigits(portText, 5);
        if (problem == null && hostText.isEmpty()) {
            problem = "must name a host";
        } else if (problem == null && (p < 1 || p > 65535)) {
            problem = "port must be between 1 and 65535";
        }
        if (problem != null) {
            errors.add(new OptionProblem(option, subject + problem, shown, hint));
            return null;
        }
        return new HostPort(hostText, p);
    }

    /** Parse at most {@code maxDigits} ASCII digits; -1 if empty, too long or not digits. */
    private static int parseDigits(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Decode %XX sequences as UTF-8 ('+' stays '+'); null if malformed. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) ((hi << 4) | lo));
                i += 2;
            } else {
                int end = s.indexOf('%', i);
                end = end < 0 ? s.length() : end;
                bytes.put(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
