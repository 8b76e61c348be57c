package org.chatrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: CPU, cores, memory, kernel, JDK, nginx, and how busy the machine was. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = grep("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        long memKb = grep("/proc/meminfo", "MemTotal").map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        return String.format("%s, %d cores, %.1f GiB RAM, Linux %s; %s %s (%s); %s; Jetty 12.0.30",
                cpu, cores(), memKb / 1024.0 / 1024.0, read("/proc/sys/kernel/osrelease").trim(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), nginx());
    }

    /** The machine's cores, not just the ones this JVM is pinned to. */
    static int cores() {
        return countLines("/proc/cpuinfo", "processor");
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String[] f = read("/proc/loadavg").trim().split(" ");
        return f[0] + " / " + f[1] + " / " + f[2];
    }

    static double load1() {
        return Double.parseDouble(read("/proc/loadavg").trim().split(" ")[0]);
    }

    /** The cores this process may run on (its taskset), e.g. "0". */
    static String affinity(long pid) {
        return grep("/proc/" + pid + "/status", "Cpus_allowed_list").map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    }

    private static String nginx() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/nginx", "-v").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v.replace("nginx version: ", "");
        } catch (IOException | InterruptedException e) {
            return "nginx ?";
        }
    }

    private static int countLines(String file, String prefix) {
        return (int) lines(file).stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static java.util.Optional<String> grep(String file, String prefix) {
        return lines(file).stream().filter(l -> l.startsWith(prefix)).findFirst();
    }

    private static List<String> lines(String file) {
        return List.of(read(file).split("\n"));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
