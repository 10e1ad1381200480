package dev.wskit.redis;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One rule that {@link RedisPubSubOptions.Builder#build()} found broken; see
 * {@link InvalidOptionsException#problems()}.
 *
 * <p>{@link #message()} reads {@code <option> <rule>, was <value>[; <hint>]}, for example {@code port must be
 * between 1 and 65535, was 70000}, or {@code maxReconnectDelay must be at least reconnectDelay (100 ms), was
 * 50 ms}. Options are named as the setters of {@link RedisPubSubOptions.Builder} are;
 * {@link #message(UnaryOperator)} names them differently, for a caller that reads the options from its own
 * configuration keys:
 * <pre>{@code
 * catch (InvalidOptionsException e) {
 *     for (OptionProblem problem : e.problems()) {
 *         log.error(problem.message(option -> "app.redis." + option));
 *     }
 * }
 * }</pre>
 *
 * <p>The value is shown as in the message, never as the object that was set: text quoted and escaped (and
 * shortened after 64 characters), durations in milliseconds, a password only as {@code ***}, and in every text or
 * URL the secrets masked by one rule: the user info before the last {@code @} (its password, or all of it without
 * a {@code :}), in a URL without user info a port that is not a number, and the value of every query parameter,
 * each shown as {@code ***} ({@code redis://app:***@h}, {@code redis-sentinel://s1?sentinels=***&password=***},
 * a host {@code "user:***@h"}). A list with an entry holding {@code @} or {@code ?} is shown joined with commas
 * and masked as one value. So a problem never contains a secret and can be logged as it is.
 *
 * <p>Instances are immutable and thread-safe; two are equal when they report the same.
 *
 * @since 0.1
 */
public final class OptionProblem implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The option that breaks the rule. */
    private final String option;
    /** The rule, a template: an option name in braces refers to that option, two opening braces are one. */
    private final String rule;
    /** The value as shown; can be {@code null}. */
    private final String value;
    /** The hint, a template like the rule; can be {@code null}. */
    private final String hint;

    OptionProblem(String option, String rule, String value, String hint) {
        this.option = option;
        this.rule = rule;
        this.value = value;
        this.hint = hint;
    }

    /**
     * Return the option that breaks the rule, as named by its setter in {@link RedisPubSubOptions.Builder}, such
     * as {@code port}.
     * A problem inside the URL is reported for {@code url}, one with an entry of {@code sentinels} or
     * {@code clusterNodes} for that list, and a conflict between two options for one of them, whose rule names
     * the other.
     *
     * @return the option name; never {@code null}
     */
    public String option() {
        return option;
    }

    /**
     * Return the rule that was broken, such as {@code must be between 1 and 65535}, naming other options as their
     * setters do; inside a URL it starts with the part of the URL, such as {@code port must be between 1 and
     * 65535}.
     *
     * @return the rule; never {@code null}
     */
    public String rule() {
        return render(rule, UnaryOperator.identity());
    }

    /**
     * Return the rejected value as the message shows it: quoted, shortened or masked as the class doc says.
     *
     * @return the value; {@code null} if the problem shows none (an option that must not be {@code null} shows
     *         none)
     */
    public String value() {
        return value;
    }

    /**
     * Return what to do about the problem, such as {@code use one or the other}.
     *
     * @return the hint; {@code null} if there is none
     */
    public String hint() {
        return hint == null ? null : render(hint, UnaryOperator.identity());
    }

    /**
     * Return the problem as one sentence: {@code <option> <rule>, was <value>[; <hint>]}.
     *
     * @return the message; never {@code null}
     */
    public String message() {
        return message(UnaryOperator.identity());
    }

    /**
     * Return the problem as one sentence, with every option named by {@code naming}: the option that breaks the
     * rule and the options the rule and the hint refer to. The value is never renamed.
     *
     * @param naming maps an option name, as {@link #option()} gives it, to the name to show; a {@code null}
     *        result keeps the option name; must not be {@code null}
     * @return the message; never {@code null}
     * @throws IllegalArgumentException if {@code naming} is {@code null}
     */
    public String message(UnaryOperator<String> naming) {
        if (naming == null) {
            throw new IllegalArgumentException("naming must not be null");
        }
        StringBuilder sb = new StringBuilder(rule.length() + 64).append(name(option, naming)).append(' ')
                .append(render(rule, naming));
        if (value != null) {
            sb.append(", was ").append(value);
        }
        if (hint != null) {
            sb.append("; ").append(render(hint, naming));
        }
        return sb.toString();
    }

    private static String name(String option, UnaryOperator<String> naming) {
        String name = naming.apply(option);
        return name == null ? option : name;
    }

    private static String render(String template, UnaryOperator<String> naming) {
        if (template.indexOf('{') < 0) {
            return template;
        }
        StringBuilder sb = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            int end = c == '{' ? template.indexOf('}', i) : -1;
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (end > i) {
                sb.append(name(template.substring(i + 1, end), naming));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OptionProblem p && option.equals(p.option) && rule.equals(p.rule)
                && Objects.equals(value, p.value) && Objects.equals(hint, p.hint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(option, rule, value, hint);
    }

    /**
     * Return {@link #message()}.
     *
     * @return the message; never {@code null}
     */
    @Override
    public String toString() {
        return message();
    }
}
