package dev.wskit.redis.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads typed values from a {@link ConfigLookup}, noting each problem as a {@link ConfigProblem} instead of failing at
 * the first, so that a reader reports every problem at once ({@link #throwIfInvalid(String)}). Both layers read
 * through it: the core's {@code wskit.redis.*} keys (the CDI layer's {@code ConfigReader}) and the WebSocket layer's
 * {@code wskit.redis.websocket.*} keys ({@code WebSocketSettings}).
 *
 * <p>Two conventions, each kept as its layer documents it. The core's keys follow MicroProfile Config: an empty
 * value counts as not set, a string is taken as it is, numbers and booleans are trimmed, a boolean is one of the
 * MicroProfile spellings ({@code true}, {@code yes}, {@code y}, {@code on}, {@code 1} and their opposites), numbers
 * may have a sign. The WebSocket layer's keys are trimmed first, and a blank value counts as not set
 * ({@link #trimmed(String)}); its numbers are unsigned and bounded ({@link #boundedInt}), its booleans {@code true} or
 * {@code false} ({@link #trueOrFalse}).
 *
 * <p>Not thread-safe: one reader per reading.
 */
public final class ConfigValues {

    private static final Set<String> TRUE = Set.of("true", "yes", "y", "on", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "off", "0");

    private final ConfigLookup lookup;
    private final List<ConfigProblem> problems = new ArrayList<>();

    /**
     * Create a reader.
     *
     * @param lookup where the values come from; must not be {@code null}
     */
    public ConfigValues(ConfigLookup lookup) {
        if (lookup == null) {
            throw new IllegalArgumentException("lookup must not be null");
        }
        this.lookup = lookup;
    }

    /**
     * Note a problem.
     *
     * @param problem the problem; must not be {@code null}
     */
    public void problem(ConfigProblem problem) {
        problems.add(problem);
    }

    /**
     * Return the problems noted so far, in the order they were found.
     *
     * @return a copy; never {@code null}
     */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Throw if any problem was noted.
     *
     * @param prefix the start of the exception's message; must not be {@code null}
     * @throws InvalidValuesException listing every problem, if there is any
     */
    public void throwIfInvalid(String prefix) {
        if (!problems.isEmpty()) {
            throw new InvalidValuesException(prefix, problems);
        }
    }

    // ---- the core's keys: MicroProfile Config's conventions

    /**
     * Return a value as configured.
     *
     * @param key the key; must not be {@code null}
     * @return the value, untrimmed; {@code null} if unset or empty
     */
    public String string(String key) {
        return lookup.value(key).filter(v -> !v.isEmpty()).orElse(null);
    }

    /**
     * Return a comma-separated list, each entry trimmed; empty entries stay, for the rules to report.
     *
     * @param key the key; must not be {@code null}
     * @return the entries; {@code null} if unset
     */
    public List<String> list(String key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : raw.split(",", -1)) {
            entries.add(entry.trim());
        }
        return entries;
    }

    /**
     * Return a whole number that fits an {@code int}.
     *
     * @param key the key; must not be {@code null}
     * @return the number; {@code null} if unset or invalid (then noted)
     */
    public Integer integer(String key) {
        Long value = whole(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return value == null ? null : value.intValue();
    }

    /**
     * Return a whole number that fits a {@code long}.
     *
     * @param key the key; must not be {@code null}
     * @return the number; {@code null} if unset or invalid (then noted)
     */
    public Long longValue(String key) {
        return whole(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Return a whole number of milliseconds, written without a unit.
     *
     * @param key the key; must not be {@code null}
     * @return the duration; {@code null} if unset or invalid (then noted)
     */
    public Duration millis(String key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim();
        if (!isInteger(text)) {
            problems.add(ConfigProblem.of(key, "must be a whole number of milliseconds", raw,
                    "write the number alone, without a unit"));
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            problems.add(ConfigProblem.of(key, "must be between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    + " milliseconds", raw));
            return null;
        }
    }

    /**
     * Return a boolean in one of MicroProfile Config's spellings, in any case.
     *
     * @param key the key; must not be {@code null}
     * @return the boolean; {@code null} if unset or invalid (then noted)
     */
    public Boolean bool(String key) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(text)) {
            return Boolean.FALSE;
        }
        problems.add(ConfigProblem.of(key, "must be true or false", raw));
        return null;
    }

    /** A whole number between min and max; null if unset or invalid (then noted). */
    private Long whole(String key, long min, long max) {
        String raw = string(key);
        if (raw == null) {
            return null;
        }
        String text = raw.trim();
        if (!isInteger(text)) {
            problems.add(ConfigProblem.of(key, "must be an integer", raw));
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // out of range, reported below
        }
        problems.add(ConfigProblem.of(key, "must be between " + min + " and " + max, raw));
        return null;
    }

    private static boolean isInteger(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // ---- the WebSocket layer's keys: trimmed, blank is unset

    /**
     * Return a value trimmed.
     *
     * @param key the key; must not be {@code null}
     * @return the trimmed value; empty if unset or blank
     */
    public Optional<String> trimmed(String key) {
        return lookup.value(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Return an unsigned decimal integer between {@code min} and {@code max} (at most 9 digits).
     *
     * @param key the key; must not be {@code null}
     * @param min the least value, at least 0
     * @param max the greatest value, less than 10<sup>9</sup>
     * @param unit what follows the range in the rule, such as {@code " bytes"}; must not be {@code null}
     * @param otherwise the value if unset or invalid
     * @return the value; {@code otherwise} if unset or invalid (then noted)
     */
    public int boundedInt(String key, int min, int max, String unit, int otherwise) {
        Optional<String> text = trimmed(key);
        if (text.isEmpty()) {
            return otherwise;
        }
        long value = parseUnsigned(text.get());
        if (value < min || value > max) {
            problems.add(ConfigProblem.of(key, "must be an integer between " + min + " and " + max + unit,
                    text.get()));
            return otherwise;
        }
        return (int) value;
    }

    /**
     * Return {@code true} or {@code false}, in any case.
     *
     * @param key the key; must not be {@code null}
     * @param otherwise the value if unset or invalid
     * @return the value; {@code otherwise} if unset or invalid (then noted)
     */
    public boolean trueOrFalse(String key, boolean otherwise) {
        Optional<String> text = trimmed(key);
        if (text.isEmpty()) {
            return otherwise;
        }
        String normalized = text.get().toLowerCase(Locale.ROOT);
        if (normalized.equals("true") || normalized.equals("false")) {
            return normalized.equals("true");
        }
        problems.add(ConfigProblem.of(key, "must be true or false", text.get()));
        return otherwise;
    }

    /**
     * Return one of the constants of an enum, by its configuration value, in any case.
     *
     * @param <E> the enum
     * @param key the key; must not be {@code null}
     * @param constants the constants, in the order the rule lists them; must not be {@code null}
     * @param configValue the configuration value of a constant, lower case; must not be {@code null}
     * @param normalize applied to the lower-case value before comparing; must not be {@code null}
     * @param otherwise the value if unset or invalid
     * @return the constant; {@code otherwise} if unset or invalid (then noted)
     */
    public <E extends Enum<E>> E oneOf(String key, E[] constants, Function<E, String> configValue,
            UnaryOperator<String> normalize, E otherwise) {
        Optional<String> text = trimmed(key);
        if (text.isEmpty()) {
            return otherwise;
        }
        String normalized = normalize.apply(text.get().toLowerCase(Locale.ROOT));
        List<String> names = new ArrayList<>(constants.length);
        for (E constant : constants) {
            if (configValue.apply(constant).equals(normalized)) {
                return constant;
            }
            names.add(configValue.apply(constant));
        }
        problems.add(ConfigProblem.of(key, "must be one of " + String.join(", ", names), text.get()));
        return otherwise;
    }

    /** Parse a decimal integer of at most 9 digits; -1 if not one. */
    private static long parseUnsigned(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
