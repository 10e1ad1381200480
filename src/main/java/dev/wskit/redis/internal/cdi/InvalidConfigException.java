package dev.wskit.redis.internal.cdi;

import java.util.List;

import dev.wskit.redis.internal.config.ConfigProblem;
import dev.wskit.redis.internal.config.InvalidValuesException;

/**
 * Thrown when the MicroProfile Config of the library ({@code wskit.redis.*}) breaks rules; carries every problem,
 * each naming the key, the rule and the value (never a password): {@link #problems()} as parts,
 * {@link #messages()} as sentences. The message joins the sentences with {@code "; "}.
 */
public final class InvalidConfigException extends InvalidValuesException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception.
     *
     * @param problems the problems, in the order of the keys; must not be {@code null} or empty
     */
    public InvalidConfigException(List<ConfigProblem> problems) {
        super("", problems);
    }
}
