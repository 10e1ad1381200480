package dev.wskit.redis.internal.support;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import dev.wskit.redis.RedisPubSubException;

import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Short, credential-free descriptions of connection failures, for messages that list several nodes.
 */
public final class Failures {

    private Failures() {
    }

    /** A short reason such as {@code connection refused}, never credentials. */
    public static String reason(Throwable t) {
        Throwable root = rootCause(t);
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host";
        }
        if (root instanceof SocketTimeoutException) {
            return "timed out";
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /** The innermost cause; Jedis reports a refused connection as a suppressed exception, so look there too. */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        for (int depth = 0; depth < 16; depth++) {
            Throwable next = root.getCause();
            if ((next == null || next == root) && root.getSuppressed().length > 0) {
                next = root.getSuppressed()[0];
            }
            if (next == null || next == root) {
                break;
            }
            root = next;
        }
        return root;
    }

    /**
     * Turn a connection failure into a message naming the endpoint and the likely reason, never credentials.
     *
     * @param what the connection, for example {@code "subscriber connection"}
     * @param endpoint the node or deployment the connection is to, without credentials
     */
    public static RedisPubSubException describe(Throwable t, String what, String endpoint) {
        Throwable root = Failures.rootCause(t);
        String reason;
        if (t instanceof JedisAccessControlException || isAuthError(t)) {
            reason = "Redis at " + endpoint + " refused the credentials (" + t.getMessage()
                    + "); check username and password";
        } else if (t instanceof IllegalArgumentException || t instanceof RedisPubSubException) {
            reason = t.getMessage();
        } else if (root instanceof ConnectException) {
            reason = "Redis is unreachable at " + endpoint + " (connection refused)";
        } else if (root instanceof UnknownHostException) {
            reason = "Redis is unreachable at " + endpoint + " (unknown host)";
        } else if (root instanceof SocketTimeoutException) {
            reason = "Redis at " + endpoint + " did not answer in time (" + what + " timed out)";
        } else if (t instanceof JedisConnectionException) {
            reason = "connection to Redis at " + endpoint + " lost (" + what + ": " + t.getMessage() + ")";
        } else if (t instanceof JedisDataException) {
            reason = "Redis at " + endpoint + " answered with an error: " + t.getMessage();
        } else {
            reason = "Redis " + what + " to " + endpoint + " failed: " + t;
        }
        return new RedisPubSubException(reason, t);
    }

    private static boolean isAuthError(Throwable t) {
        String message = t.getMessage();
        return t instanceof JedisDataException && message != null
                && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                        || message.contains("invalid password") || message.contains("invalid username-password"));
    }
}
