package dev.wskit.redis.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import dev.wskit.redis.internal.websocket.delivery.CloseReasons;

/**
 * Thrown by {@link RedisPubSubEndpoint#mayJoin(jakarta.websocket.Session, String)} to refuse a join with a close
 * reason of its own; returning {@code false} refuses with 1008 "Policy Violation" instead.
 *
 * <pre>{@code
 * @Override
 * protected boolean mayJoin(Session session, String channel) {
 *     if (session.getUserPrincipal() == null) {
 *         throw new JoinRefusedException(new CloseReason(CloseCodes.getCloseCode(4401), "login required"));
 *     }
 *     return !channel.startsWith("admin:") || isAdmin(session);
 * }
 * }</pre>
 *
 * <p>A reason phrase longer than the 123 UTF-8 bytes a close frame allows is shortened.
 *
 * @since 0.1
 */
public class JoinRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CloseReason closeReason;

    /**
     * Create an exception refusing with 1008 "Policy Violation" and a reason phrase.
     *
     * @param reasonPhrase the reason phrase sent to the client; must not be {@code null}
     * @throws IllegalArgumentException if {@code reasonPhrase} is {@code null}
     */
    public JoinRefusedException(String reasonPhrase) {
        this(CloseCodes.VIOLATED_POLICY, reasonPhrase);
    }

    /**
     * Create an exception refusing with a close code and a reason phrase.
     *
     * @param closeCode the close code sent to the client, such as 1008 or an application code 4000 to 4999; must not
     *     be {@code null}
     * @param reasonPhrase the reason phrase sent to the client; must not be {@code null}
     * @throws IllegalArgumentException if an argument is {@code null}
     */
    public JoinRefusedException(CloseReason.CloseCode closeCode, String reasonPhrase) {
        this(CloseReasons.of(require(closeCode, "closeCode"), require(reasonPhrase, "reasonPhrase")));
    }

    /**
     * Create an exception refusing with a close reason.
     *
     * @param closeReason the close reason sent to the client; must not be {@code null}
     * @throws IllegalArgumentException if {@code closeReason} is {@code null}
     */
    public JoinRefusedException(CloseReason closeReason) {
        super(require(closeReason, "closeReason").getReasonPhrase());
        this.closeReason = closeReason;
    }

    /**
     * Return the close reason the session is closed with.
     *
     * @return the close reason; never {@code null}
     */
    public CloseReason closeReason() {
        return closeReason;
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
