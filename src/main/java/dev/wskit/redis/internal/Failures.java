package dev.wskit.redis.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Short, credential-free descriptions of connection failures, for messages that list several nodes.
 */
final class Failures {

    private Failures() {
    }

    /** A short reason such as {@code connection refused}, never credentials. */
    static String reason(Throwable t) {
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
    static Throwable rootCause(Throwable t) {
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
}
