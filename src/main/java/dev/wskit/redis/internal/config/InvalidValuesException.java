package dev.wskit.redis.internal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Thrown when configuration values break rules; carries every problem. The message is the prefix followed by the
 * {@linkplain ConfigProblem#message() messages} of the problems joined with {@code "; "}.
 */
public class InvalidValuesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The problems; an immutable list, which is serializable. */
    private final List<ConfigProblem> problems;

    /**
     * Create an exception.
     *
     * @param prefix the start of the message, such as {@code "invalid WebSocket configuration: "}; must not be
     *     {@code null}
     * @param problems the problems; must not be {@code null} or empty
     */
    public InvalidValuesException(String prefix, List<ConfigProblem> problems) {
        super(prefix + String.join("; ", messages(problems)));
        this.problems = List.copyOf(problems);
    }

    /**
     * Return the problems, in the order of the keys.
     *
     * @return an immutable list; never {@code null} or empty
     */
    public final List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * Return the {@linkplain ConfigProblem#message() messages} of the problems, in the same order.
     *
     * @return an immutable list; never {@code null} or empty
     */
    public final List<String> messages() {
        return messages(problems);
    }

    private static List<String> messages(List<ConfigProblem> problems) {
        List<String> messages = new ArrayList<>(problems.size());
        for (ConfigProblem problem : problems) {
            messages.add(problem.message());
        }
        return List.copyOf(messages);
    }
}
