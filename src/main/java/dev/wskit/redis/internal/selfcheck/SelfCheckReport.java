package dev.wskit.redis.internal.selfcheck;

import java.util.List;

/**
 * The result of one self-check: what Redis is, the problems found (each one line naming the setting and the fix)
 * and the notes (what could not be checked, or matters only for some uses).
 *
 * @param redis the version and mode, such as {@code Redis 7.0.15 (standalone)}; {@code null} if unknown
 * @param problems the problems, one line each; empty if none
 * @param notes the notes, one line each; empty if none
 */
public record SelfCheckReport(String redis, List<String> problems, List<String> notes) {

    /**
     * Copy the lists.
     *
     * @param redis see the record
     * @param problems see the record
     * @param notes see the record
     */
    public SelfCheckReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /**
     * Tell whether the check found no problem.
     *
     * @return {@code true} if passed
     */
    public boolean passed() {
        return problems.isEmpty();
    }

    /**
     * Return the summary as the health data and the MBean show it: {@code passed}, or {@code N problem(s): ...}.
     *
     * @return the text; never {@code null}
     */
    public String summary() {
        if (problems.isEmpty()) {
            return "passed";
        }
        return problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + String.join(" | ", problems);
    }
}
