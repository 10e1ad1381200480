package dev.wskit.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Thrown by {@link RedisPubSubOptions.Builder#build()} when options break rules; lists every problem.
 *
 * <p>The message joins the {@linkplain OptionProblem#message() messages} of the problems with
 * {@code "; "}, for example {@code port must be between 1 and 65535, was 70000; namespace must not end with ':', was
 * "ws:"; the ':' separator is added automatically}. Read {@link #problems()} rather than parsing the message, for
 * example to report each problem under a configuration key of your own. Neither contains a password.
 *
 * @since 0.1
 */
public final class InvalidOptionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The problems; an immutable list, which is serializable. */
    private final List<OptionProblem> problems;

    InvalidOptionsException(List<OptionProblem> problems) {
        super(join(problems));
        this.problems = List.copyOf(problems);
    }

    private static String join(List<OptionProblem> problems) {
        List<String> messages = new ArrayList<>(problems.size());
        for (OptionProblem problem : problems) {
            messages.add(problem.message());
        }
        return String.join("; ", messages);
    }

    /**
     * Return the problems, in the order the options are checked.
     *
     * @return an immutable list; never {@code null} or empty
     */
    public List<OptionProblem> problems() {
        return problems;
    }
}
