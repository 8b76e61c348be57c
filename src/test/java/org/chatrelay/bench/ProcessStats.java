package org.chatrelay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a process costs, read from /proc and from the JVM's own diagnostic commands ({@code jcmd}). */
final class ProcessStats {
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private ProcessStats() {
    }

    /** Resident set size in KiB (VmRSS). */
    static long rssKb(long pid) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** Open file descriptors (sockets included). */
    static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process's limit on open files (the soft RLIMIT_NOFILE). */
    static int openFilesLimit(long pid) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                return Integer.parseInt(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no open-files limit for " + pid);
    }

    /**
     * User plus system CPU time the process and its children (nginx's workers) used so far, in milliseconds
     * (from /proc/PID/stat, in clock ticks of 10 ms).
     */
    static long cpuMillis(long pid) {
        long ticks = 0;
        for (long p : family(pid)) {
            String stat = lines(Path.of("/proc", Long.toString(p), "stat")).get(0);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks * 10;
    }

    /**
     * CPU, in milliseconds, the JVM's JIT compiler threads used so far (0 for a process that has none, e.g. nginx). The
     * relays run with {@code -XX:-UseDynamicNumberOfCompilerThreads}, so no compiler thread exits and takes its count
     * with it.
     */
    static long jitCpuMillis(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException gone) {
                    // the thread ended while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks * 10;
    }

    /**
     * CPU, in milliseconds, of the PostgreSQL server listening on {@code port}: its postmaster (found by the
     * {@code -p PORT} of its command line: embedded PostgreSQL's postmaster is re-parented to init, so it is no child of
     * this JVM) and its live children, the backends and background workers.
     */
    static long postgresCpuMillis(int port) {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        long postmaster = -1;
        String flag = "-p\0" + port + "\0";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (!stat.contains("(postgres)")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parent.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    if (Files.readString(p.resolve("cmdline")).contains(flag)) {
                        postmaster = pid;
                    }
                } catch (IOException gone) {
                    // exited while listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : ticks.entrySet()) {
            if (e.getKey() == postmaster || parent.get(e.getKey()) == postmaster) {
                total += e.getValue();
            }
        }
        return total * 10;
    }

    /** The process and its direct children. */
    private static List<Long> family(long pid) {
        List<Long> out = new java.util.ArrayList<>(List.of(pid));
        for (String line : lines(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"))) {
            for (String child : line.trim().split("\\s+")) {
                if (!child.isEmpty()) {
                    out.add(Long.parseLong(child));
                }
            }
        }
        return out;
    }

    /**
     * Live heap in KiB: {@code jcmd PID GC.class_histogram} runs a full collection first and ends with the total size of
     * the objects left, whatever the collector.
     */
    static long heapAfterGcKb(long pid) {
        Matcher m = HISTOGRAM_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read the class histogram of " + pid);
        }
        return Long.parseLong(m.group(1)) / 1024;
    }

    static String jcmd(long pid, String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
