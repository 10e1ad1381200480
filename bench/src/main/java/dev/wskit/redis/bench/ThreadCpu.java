package dev.wskit.redis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of a process's threads in user space and in the kernel, from {@code /proc/<pid>/task/<tid>/stat} (Linux;
 * elsewhere empty), grouped by thread name with trailing digits and punctuation removed (the kernel keeps the first 15
 * characters of a Java thread's name). Over a run it tells, per kind of thread, how much of a core went to the
 * process's own code and how much to system calls (here mostly socket writes and reads on loopback, where the kernel
 * also does the receiving side's TCP work and wakes the reader).
 */
final class ThreadCpu {

    /** Clock ticks per second of {@code /proc} times ({@code sysconf(_SC_CLK_TCK)}, 100 on Linux). */
    private static final double TICKS = 100.0;

    private final Map<Long, long[]> start;

    private final long pid;

    private ThreadCpu(long pid) {
        this.pid = pid;
        this.start = read(pid);
    }

    /** Start measuring a process. */
    static ThreadCpu of(long pid) {
        return new ThreadCpu(pid);
    }

    /**
     * Cores busy per thread group since the start, user and kernel: {@code {group: {user, sys}}}, groups sorted by
     * name, then {@code total}.
     */
    Map<String, Object> coresSince(double elapsedSeconds) {
        Map<Long, long[]> now = read(pid);
        Map<String, double[]> groups = new TreeMap<>();
        Map<Long, String> names = names(pid);
        double user = 0;
        double sys = 0;
        for (Map.Entry<Long, long[]> e : now.entrySet()) {
            long[] before = start.getOrDefault(e.getKey(), new long[2]);
            double u = (e.getValue()[0] - before[0]) / TICKS / elapsedSeconds;
            double s = (e.getValue()[1] - before[1]) / TICKS / elapsedSeconds;
            if (u + s <= 0) {
                continue;
            }
            String group = names.getOrDefault(e.getKey(), "?").replaceAll("[-_ #.()0-9]+$", "");
            double[] g = groups.computeIfAbsent(group, k -> new double[2]);
            g[0] += u;
            g[1] += s;
            user += u;
            sys += s;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            if (e.getValue()[0] + e.getValue()[1] >= 0.005) {
                out.put(e.getKey(), userSys(e.getValue()[0], e.getValue()[1]));
            }
        }
        out.put("total", userSys(user, sys));
        return out;
    }

    private static Map<String, Object> userSys(double user, double sys) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", WsBench.round(user));
        m.put("sys", WsBench.round(sys));
        return m;
    }

    private static Map<Long, long[]> read(long pid) {
        Map<Long, long[]> times = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    // fields after the name, which is in parentheses and may hold spaces
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // f[0] is field 3 (state): utime is field 14, stime field 15
                    times.put(Long.parseLong(task.getFileName().toString()),
                            new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux, or the process ended
        }
        return times;
    }

    private static Map<Long, String> names(long pid) {
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    names.put(Long.parseLong(task.getFileName().toString()),
                            Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).trim());
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux, or the process ended
        }
        return names;
    }
}
