package dev.wskit.redis.internal.config;

import dev.wskit.redis.OptionProblem;
import java.io.Serializable;
import java.util.function.UnaryOperator;

import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.support.Masking;

/**
 * One problem of the configuration: the key, the rule it breaks, the value as shown (quoted, escaped, shortened and
 * with its secrets masked, as {@link Masking#quote(String)} does; never a password) and what to do about it. The one
 * form in which both layers that read MicroProfile Config report a problem, as
 * {@link OptionProblem} is for the options.
 *
 * <p>{@link #message()} is {@code <key> <rule>[, was <value>][ (<detail>)][; <hint>]}.
 *
 * @param key the key that breaks the rule, such as {@code wskit.redis.port}; never {@code null}
 * @param rule the rule, such as {@code must be between 1 and 65535}, naming other keys by their keys; never
 *     {@code null}
 * @param value the value as shown; {@code null} if the problem shows none
 * @param detail what was wrong with the value, such as {@code no such file}; can be {@code null}
 * @param hint what to do, such as {@code set both}; can be {@code null}
 */
public record ConfigProblem(String key, String rule, String value, String detail, String hint)
        implements Serializable {

    /**
     * Check the components.
     *
     * @param key must not be {@code null}
     * @param rule must not be {@code null}
     * @param value can be {@code null}
     * @param detail can be {@code null}
     * @param hint can be {@code null}
     * @throws IllegalArgumentException if the key or the rule is {@code null}
     */
    public ConfigProblem {
        if (key == null || rule == null) {
            throw new IllegalArgumentException("key and rule must not be null");
        }
    }

    /**
     * A problem with a value as configured, shown by {@link Masking#quote(String)}.
     *
     * @param key the key; must not be {@code null}
     * @param rule the rule; must not be {@code null}
     * @param configured the value as configured; must not be {@code null}
     * @return the problem; never {@code null}
     */
    public static ConfigProblem of(String key, String rule, String configured) {
        return new ConfigProblem(key, rule, Masking.quote(configured), null, null);
    }

    /**
     * A problem with a value as configured, shown by {@link Masking#quote(String)}, and a hint.
     *
     * @param key the key; must not be {@code null}
     * @param rule the rule; must not be {@code null}
     * @param configured the value as configured; must not be {@code null}
     * @param hint what to do; can be {@code null}
     * @return the problem; never {@code null}
     */
    public static ConfigProblem of(String key, String rule, String configured, String hint) {
        return new ConfigProblem(key, rule, Masking.quote(configured), null, hint);
    }

    /**
     * A problem of the options, with the options named by their keys: the option that breaks the rule and the
     * options its rule and hint refer to ({@code maxReconnectDelay must be at least reconnectDelay (100 ms), was
     * 50 ms} becomes {@code wskit.redis.reconnect.max-delay-ms must be at least
     * wskit.redis.reconnect.initial-delay-ms (100 ms), was 50 ms}). Its {@link #message()} is the problem's
     * {@link OptionProblem#message(UnaryOperator) message} with that naming.
     *
     * @param problem the problem of the options; must not be {@code null}
     * @param naming the key of an option, or {@code null} to keep the option's name; must not be {@code null}
     * @return the problem; never {@code null}
     */
    public static ConfigProblem ofOption(OptionProblem problem, UnaryOperator<String> naming) {
        String option = problem.option();
        String named = naming.apply(option);
        String key = named == null ? option : named;
        String message = problem.message(naming);
        // message = key + " " + rule + [", was " + value] + ["; " + hint]; renaming adds no separator, as keys have
        // none: the rule has as many ", was " and the hint as many "; " as before renaming
        String rest = message.substring(key.length() + 1);
        String value = problem.value();
        String hint = null;
        String rule;
        if (value != null) {
            int end = nth(rest, ", was ", count(problem.rule(), ", was "));
            rule = rest.substring(0, end);
            String after = rest.substring(end + ", was ".length() + value.length());
            hint = after.isEmpty() ? null : after.substring("; ".length());
        } else if (problem.hint() != null) {
            int end = nthFromEnd(rest, "; ", count(problem.hint(), "; "));
            rule = rest.substring(0, end);
            hint = rest.substring(end + "; ".length());
        } else {
            rule = rest;
        }
        return new ConfigProblem(key, rule, value, null, hint);
    }

    /**
     * Return the problem as one sentence: {@code <key> <rule>[, was <value>][ (<detail>)][; <hint>]}.
     *
     * @return the message; never {@code null}
     */
    public String message() {
        StringBuilder sb = new StringBuilder(key.length() + rule.length() + 64).append(key).append(' ').append(rule);
        if (value != null) {
            sb.append(", was ").append(value);
        }
        if (detail != null) {
            sb.append(" (").append(detail).append(')');
        }
        if (hint != null) {
            sb.append("; ").append(hint);
        }
        return sb.toString();
    }

    /** Returns {@link #message()}. */
    @Override
    public String toString() {
        return message();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** The index of the occurrence of {@code part} after {@code skip} others, from the start. */
    private static int nth(String text, String part, int skip) {
        int i = text.indexOf(part);
        for (int n = 0; n < skip; n++) {
            i = text.indexOf(part, i + part.length());
        }
        return i;
    }

    /** The index of the occurrence of {@code part} before {@code skip} others, from the end. */
    private static int nthFromEnd(String text, String part, int skip) {
        int i = text.lastIndexOf(part);
        for (int n = 0; n < skip; n++) {
            i = text.lastIndexOf(part, i - 1);
        }
        return i;
    }
}
