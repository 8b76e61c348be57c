package org.chatrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Jetty node exactly as docs/deployment.md builds one: jetty-home (unpacked by Maven into
 * target/), a jetty.base made of jetty-config's start.d, webapps and resources plus the built WAR, started with
 * {@code java -jar start.jar} as a child process on a free loopback port. Configuration is the environment.
 */
public final class JettyNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public final String name;
    public final Path base;
    public final int port;
    private final Map<String, String> env;
    private Process process;
    private long lastStartMillis;

    private JettyNode(String name, Map<String, String> env) throws IOException {
        this.name = name;
        // As TestApp's defaults: detached answers end at once unless the test sets a grace (issue 16).
        Map<String, String> all = new java.util.HashMap<>(Map.of("CHATRELAY_DETACHED_GRACE_MS", "0"));
        all.putAll(env);
        this.env = Map.copyOf(all);
        TestSecrets.rememberFrom(env);
        this.base = Path.of("target", "it-jetty", name + "-" + System.nanoTime()).toAbsolutePath();
        Path config = Path.of(System.getProperty("chatrelay.jetty.config", "jetty-config"));
        for (String dir : List.of("start.d", "webapps", "resources")) {
            copyTree(config.resolve(dir), base.resolve(dir));
        }
        Files.copy(TestApp.warFile().toPath(), base.resolve("webapps/chatrelay.war"));
        // The extracted WAR goes here rather than /tmp: a node killed with -9 leaves it behind.
        Files.createDirectories(base.resolve("tmp"));
        this.port = FreePort.next();
    }

    /** Builds the base and starts the node; returns once {@code /readyz} answers 200. */
    public static JettyNode start(String name, Map<String, String> env) throws Exception {
        JettyNode node = create(name, env);
        node.launch();
        return node;
    }

    /** Builds the base without starting the node. */
    public static JettyNode create(String name, Map<String, String> env) throws IOException {
        return new JettyNode(name, env);
    }

    /** Starts (or restarts, after {@link #kill()}) the node on the same base and port; waits until it is ready. */
    public void launch() throws Exception {
        launch(List.of(), List.of());
    }

    /**
     * {@link #launch()} with a command in front of {@code java} (the benchmark's {@code taskset -c 1}) and JVM options.
     * The server runs in that JVM (start.jar forks only for JVM arguments in the base, and this base has none), so
     * {@link #process()} is the server's own process.
     */
    public void launch(List<String> wrapper, List<String> jvmOptions) throws Exception {
        Path startJar = home().resolve("start.jar");
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djava.io.tmpdir=" + base.resolve("tmp"), "-jar", startJar.toString(), "jetty.http.port=" + port));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(base.resolve("jetty.log").toFile()));
        // Only what the test gives: a developer's own CHATRELAY_* settings must not leak in.
        pb.environment().keySet().removeIf(k -> k.startsWith("CHATRELAY_"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        process = ChildProcesses.track(pb.start());
        awaitReady(Duration.ofSeconds(90));
        lastStartMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** From process start to {@code /readyz} 200, for the last start. */
    public long lastStartMillis() {
        return lastStartMillis;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public Process process() {
        return process;
    }

    /** kill -9: no shutdown hook, no drain, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as systemd stops a service; returns the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + name + " did not stop within " + timeout + "\n" + logTail());
        }
        return process.exitValue();
    }

    /** Everything the node wrote to stdout and stderr (Jetty's log and the app's SLF4J log). */
    public String log() {
        try {
            return Files.readString(base.resolve("jetty.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail() {
        String log = log();
        return log.length() <= 6000 ? log : "…" + log.substring(log.length() - 6000);
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base().resolve("readyz")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Jetty node " + name + " exited with code " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Jetty node " + name + " not ready within " + timeout + ":\n" + logTail());
    }

    static Path home() {
        Path home = Path.of(System.getProperty("chatrelay.jetty.home", "target/jetty-home-12.0.30"));
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            throw new AssertionError(home + "/start.jar is missing: run the deployment tests through 'mvn verify', "
                    + "whose pre-integration-test phase unpacks org.eclipse.jetty:jetty-home there");
        }
        return home;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** SIGTERM and wait (the drain is bounded by the node's grace); kill -9 if it hangs. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
