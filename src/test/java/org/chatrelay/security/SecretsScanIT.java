package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.HttpCapture;
import org.chatrelay.testing.LogCapture;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.TestApp;
import org.chatrelay.testing.TestSecrets;
import org.junit.jupiter.api.Test;

/**
 * docs/security-checklist.md S14 and the secrets part of the issue: no configured API key or password in anything the
 * test suite was served or logged. Runs after every other integration test (its own failsafe execution,
 * post-integration-test) and searches: each test class's output (failsafe's *-output.txt: the embedded apps' logs),
 * every response a ChatClient read (pages, JSON and error bodies, SSE frames: target/http-capture), the standalone
 * nodes' and nginx's logs, plus a crawl of its own: every page, every static file in the WAR, an error body of each
 * kind and each kind of stream. The values come from target/test-secrets (every key and password a test configured),
 * plus anything shaped like a provider key ({@code sk-…}, {@code sk-ant-…}).
 */
class SecretsScanIT {
    static final String KEY = "sk-ant-SCAN-canary-5f8e2a91c4d7";
    static final String DB_PASSWORD = "db-password-SCAN-canary-7731";
    static final Pattern KEY_SHAPED = Pattern.compile("(?<![A-Za-z0-9])sk-(?:ant-)?[A-Za-z0-9_-]{6,}");

    @Test
    void no_page_script_frame_error_body_or_log_line_of_the_whole_run_holds_a_key_or_a_password() throws Exception {
        String ownLog = crawl();
        Set<String> secrets = secrets();
        assertTrue(secrets.contains(KEY) && secrets.size() >= 3, "the secrets the tests configured: " + secrets.size());

        List<Path> files = corpus();
        long bytes = 0;
        List<String> hits = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            bytes += text.length();
            scan(f.toString(), text, secrets, hits);
        }
        scan("this test's own log", ownLog, secrets, hits);
        String captured = String.join("\n", read(HttpCapture.DIR));
        System.out.printf("[SecretsScanIT] %d secrets searched in %d files, %.1f MB, and this test's log: %d hits%n",
                secrets.size(), files.size(), bytes / 1e6, hits.size());
        assertEquals(List.of(), hits);
        // The search must have had something to search: logs of the other tests, pages, frames and error bodies.
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("-output.txt")), "no test output to search: " + files);
        for (String served : List.of("event: done", "event: error", "csrf-token", "\"code\":\"rate_limited\"", "\"code\":\"upstream_auth\"",
                "export function", "content-security-policy")) {
            assertTrue(captured.contains(served), "nothing like '" + served + "' was captured");
        }
        assertTrue(ownLog.contains("chatrelay.answer"), "the app's log was not captured");
    }

    /** Serves everything there is to serve once, with distinctive secrets configured; returns the app's log meanwhile. */
    private static String crawl() throws Exception {
        try (LogCapture log = LogCapture.start();
             AppUnderTest app = AppUnderTest.start("secrets-scan", Map.of("chatrelay.upstream.api.key", KEY,
                     "chatrelay.db.password", DB_PASSWORD, "chatrelay.rate.limit.per.minute", "6"))) {
            ChatClient visitor = app.visitor();
            String conversation = visitor.chat(null, "hello").first("start").data().get("conversationId").asText();
            visitor.chat(conversation, "[cut]");
            visitor.chat(null, "[error]");
            app.upstream.plan("denied", Reply.status(401));
            visitor.chat(null, "[plan:denied]");
            visitor.get("c/" + conversation);
            visitor.get("c/00000000-0000-4000-8000-000000000000");
            visitor.get("api/conversations/" + conversation);
            for (String path : staticFiles()) {
                visitor.get(path);
            }
            visitor.get("no-such-page");
            visitor.get("api/no-such");
            visitor.send(visitor.post("api/chat", "{oops").build());
            visitor.send(visitor.post("api/chat", "{}").setHeader("X-CSRF-Token", "forged").build());
            visitor.send(visitor.post("api/chat", "x").setHeader("Content-Type", "text/plain").build());
            visitor.send(visitor.post("api/chat", ChatClient.body(null, "x".repeat(40_000))).build());
            visitor.send(HttpRequest.newBuilder(app.base().resolve("api/chat")).DELETE().build());
            for (int i = 0; i < 3; i++) {
                visitor.send(visitor.post("api/chat", ChatClient.body(null, "until rate limited")).build());
            }
            visitor.get("healthz");
            visitor.get("metrics");
            assertEquals("Bearer " + KEY, app.upstream.authorizations.get(0), "the key was in use: a clean scan means something");
            return log.text();
        }
    }

    private static List<String> staticFiles() throws IOException {
        List<String> paths = new ArrayList<>();
        try (ZipFile war = new ZipFile(TestApp.warFile())) {
            for (Enumeration<? extends ZipEntry> e = war.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith("/") && !name.startsWith("WEB-INF/") && !name.startsWith("META-INF/")) {
                    paths.add(name);
                }
            }
        }
        assertTrue(paths.contains("js/chat.js"), "the WAR's static files: " + paths);
        return paths;
    }

    private static Set<String> secrets() throws IOException {
        Set<String> values = new LinkedHashSet<>();
        for (String file : read(TestSecrets.DIR)) {
            file.lines().filter(l -> !l.isBlank()).forEach(values::add);
        }
        return values;
    }

    private static List<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("failsafe-reports", "failsafe-reports-postgres", "http-capture", "it-jetty", "it-nginx")) {
            Path root = Path.of("target", dir);
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".log"))
                            .filter(p -> !p.getFileName().toString().startsWith("org.chatrelay.security.SecretsScanIT"))
                            .forEach(files::add);
                }
            }
        }
        return files;
    }

    private static List<String> read(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : (Iterable<Path>) list::iterator) {
                    out.add(Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void scan(String where, String text, Set<String> secrets, List<String> hits) {
        for (String secret : secrets) {
            int at = text.indexOf(secret);
            if (at >= 0) {
                hits.add(where + ": a configured secret at " + at + ": …" + context(text, at) + "…");
            }
        }
        Matcher m = KEY_SHAPED.matcher(text);
        while (m.find()) {
            hits.add(where + ": something shaped like a key: …" + context(text, m.start()) + "…");
        }
    }

    /** Where a hit is, without repeating the whole secret in the failure message. */
    private static String context(String text, int at) {
        return text.substring(Math.max(0, at - 60), at).replace('\n', ' ') + "[HIT]";
    }
}
