package org.chatrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx with the shipped jetty-config/nginx files, as a child process ({@code daemon off}) on a free
 * loopback port. Only the addresses change: the upstream's server lines point at the test's nodes and
 * {@code listen 80} becomes the test port; a test may also override single directives (e.g. a short
 * {@code proxy_read_timeout}). Every substitution must match, so the test fails if the shipped file changes shape.
 */
public final class Nginx implements AutoCloseable {
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^\\s*server 127\\.0\\.0\\.1:\\d+( [^;]*)?;\\n");
    private static final Pattern UPSTREAM_OPEN = Pattern.compile("(?m)^upstream chatrelay \\{\\n");

    public final Path prefix;
    public final int port;
    private final Process process;

    private Nginx(Path prefix, int port, Process process) {
        this.prefix = prefix;
        this.port = port;
        this.process = process;
    }

    public static Nginx start(List<URI> nodes, Map<String, String> directives) throws Exception {
        return start(nodes, directives, Map.of(), List.of());
    }

    /**
     * {@link #start(List, Map)} that may also override directives of the main nginx.conf ({@code mainDirectives}, e.g.
     * the benchmark's {@code worker_processes 1}) and put a command in front of nginx ({@code wrapper}, e.g.
     * {@code taskset -c 1}).
     */
    public static Nginx start(List<URI> nodes, Map<String, String> directives, Map<String, String> mainDirectives, List<String> wrapper)
            throws Exception {
        Path config = Path.of(System.getProperty("chatrelay.jetty.config", "jetty-config"), "nginx");
        Path prefix = Path.of("target", "it-nginx", "nginx-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        Files.writeString(prefix.resolve("nginx.conf"), override(Files.readString(config.resolve("nginx.conf")), mainDirectives));
        int port = FreePort.next();
        Files.writeString(prefix.resolve("chatrelay.conf"), adapt(Files.readString(config.resolve("chatrelay.conf")), nodes, port, directives));
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(binary(), "-g", "daemon off;", "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
                "-e", prefix.resolve("logs/error.log").toString()));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(prefix.resolve("logs/stdout.log").toFile()))
                .start();
        Nginx nginx = new Nginx(prefix, port, ChildProcesses.track(p));
        nginx.awaitListening();
        return nginx;
    }

    static String adapt(String conf, List<URI> nodes, int port, Map<String, String> directives) {
        Matcher first = SERVER_LINE.matcher(conf);
        if (!first.find()) {
            throw new AssertionError("chatrelay.conf has no 'server 127.0.0.1:PORT …;' line in its upstream block");
        }
        String params = first.group(1) == null ? "" : first.group(1);
        StringBuilder servers = new StringBuilder();
        for (URI n : nodes) {
            servers.append("    server 127.0.0.1:").append(n.getPort()).append(params).append(";\n");
        }
        String out = SERVER_LINE.matcher(conf).replaceAll("");
        out = replaceOnce(out, UPSTREAM_OPEN, "upstream chatrelay {\n" + servers);
        out = replaceOnce(out, Pattern.compile("(?m)^(\\s*)listen 80;"), "$1listen 127.0.0.1:" + port + ";");
        return override(out, directives);
    }

    private static String override(String conf, Map<String, String> directives) {
        String out = conf;
        for (Map.Entry<String, String> d : directives.entrySet()) {
            out = replaceOnce(out, Pattern.compile("(?m)^(\\s*)" + Pattern.quote(d.getKey()) + "\\s[^;]*;"),
                    "$1" + d.getKey() + " " + Matcher.quoteReplacement(d.getValue()) + ";");
        }
        return out;
    }

    private static String replaceOnce(String text, Pattern p, String replacement) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError("chatrelay.conf has no match for " + p.pattern());
        }
        return m.replaceFirst(replacement);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The master process; its workers are its children. */
    public long pid() {
        return process.pid();
    }

    public String errorLog() {
        try {
            return Files.readString(prefix.resolve("logs/error.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with code " + process.exitValue() + ":\n" + errorLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port + " within 20 s:\n" + errorLog());
    }

    static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("nginx is missing: apt-get install nginx-light (or nginx); .ci/run installs it");
    }

    /** SIGTERM: nginx's fast shutdown. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
