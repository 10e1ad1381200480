package dev.wskit.redis.internal.cdi;

import java.util.List;

/**
 * Thrown when the MicroProfile Config of the library breaks rules; carries every problem, each naming the key, the
 * rule and the value (never a password).
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The problems; an immutable list, which is serializable. */
    private final List<String> problems;

    /**
     * Create an exception.
     *
     * @param problems the problems; must not be {@code null} or empty
     */
    public InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Return the problems, in the order of the keys.
     *
     * @return the problems; never {@code null} or empty
     */
    public List<String> problems() {
        return problems;
    }
}
