package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment of docs/deployment.md, for real: jetty-home 12.0.30 unpacked by Maven, a jetty.base from
 * jetty-config/, the built WAR in its webapps/, {@code java -jar start.jar} as a separate process on a random port,
 * configured by environment variables only.
 */
class StandaloneJettyIT {
    static final String KEY = "sk-standalone-it-4242424242";
    static final String DB_PASSWORD = "db-pass-standalone-it-77";
    static FakeUpstream upstream;
    static JettyNode node;

    @BeforeAll
    static void deploy() throws Exception {
        upstream = new FakeUpstream();
        node = JettyNode.start("standalone", Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_UPSTREAM_API_KEY", KEY,
                "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_DB_URL", TestDb.h2File("standalone"),
                "CHATRELAY_DB_PASSWORD", DB_PASSWORD,
                "CHATRELAY_NODE_ID", "standalone-1"));
        System.out.printf("[StandaloneJettyIT] java -jar start.jar -> /readyz 200 in %d ms%n", node.lastStartMillis());
    }

    @AfterAll
    static void undeploy() throws Exception {
        if (node != null) {
            node.close();
        }
        upstream.close();
    }

    @Test
    void the_war_deployed_from_jetty_config_streams_a_chat() throws Exception {
        SseStream s = new ChatClient(node.base()).open().chat(null, "hello from the standalone test");
        assertEquals(200, s.status);
        assertEquals(List.of("start", "token", "done"), s.shape());
        assertEquals("Hello world", s.text());
        assertEquals("completed", s.last().data().get("endReason").asText());
    }

    @Test
    void no_response_names_the_server_or_its_version() throws Exception {
        ChatClient client = new ChatClient(node.base());
        for (String path : List.of("", "healthz", "no-such-page")) {
            HttpResponse<String> r = client.get(path);
            assertFalse(r.headers().firstValue("Server").isPresent(), path + " sent Server: " + r.headers().firstValue("Server"));
            assertFalse(r.headers().firstValue("X-Powered-By").isPresent(), path + " sent X-Powered-By");
        }
    }

    @Test
    void behind_a_tls_proxy_responses_carry_hsts_and_over_plain_http_they_do_not() throws Exception {
        ChatClient client = new ChatClient(node.base());
        for (String path : List.of("", "js/chat.js", "no-such-page")) {
            // forwarded.ini: Jetty believes nginx's X-Forwarded-Proto, so the app sees request.isSecure().
            HttpResponse<String> tls = client.send(java.net.http.HttpRequest.newBuilder(node.base().resolve(path))
                    .header("X-Forwarded-Proto", "https").build());
            assertEquals("max-age=31536000; includeSubDomains", tls.headers().firstValue("Strict-Transport-Security").orElse(null), path);
            assertFalse(client.get(path).headers().firstValue("Strict-Transport-Security").isPresent(), path);
        }
    }

    @Test
    void healthz_says_alive_and_readyz_says_ready() throws Exception {
        ChatClient client = new ChatClient(node.base());
        HttpResponse<String> alive = client.get("healthz");
        assertEquals(200, alive.statusCode());
        assertEquals("ok\n", alive.body());
        HttpResponse<String> ready = client.get("readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("ready\n", ready.body());
        assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void metrics_count_answers_by_end_reason_with_latency_histograms_streams_attempts_errors_and_the_pool() throws Exception {
        ChatClient client = new ChatClient(node.base()).open();
        double completedBefore = sample(scrape(client), "chatrelay_answers_total", "end_reason=\"completed\"");
        double cutBefore = sample(scrape(client), "chatrelay_upstream_errors_total", "kind=\"upstream_cut\"");
        client.chat(null, "one");
        client.chat(null, "two [cut]");

        String m = scrape(client);
        assertEquals(completedBefore + 1, sample(m, "chatrelay_answers_total", "end_reason=\"completed\",model=\"deepseek-v3.2\",provider=\"127.0.0.1\""));
        assertEquals(cutBefore + 1, sample(m, "chatrelay_upstream_errors_total", "kind=\"upstream_cut\",provider=\"127.0.0.1\""));
        assertTrue(sample(m, "chatrelay_upstream_attempts_total", "provider=\"127.0.0.1\"") >= 2);
        assertTrue(sample(m, "chatrelay_completion_tokens_total", "provider=\"127.0.0.1\"") >= 3);
        // Histograms: cumulative buckets up to +Inf, whose count is every answer with a first token.
        double ttftCount = sample(m, "chatrelay_answer_ttft_seconds_count", "provider=\"127.0.0.1\"");
        assertTrue(ttftCount >= 2);
        assertEquals(ttftCount, sample(m, "chatrelay_answer_ttft_seconds_bucket", "provider=\"127.0.0.1\",le=\"+Inf\""));
        assertTrue(sample(m, "chatrelay_answer_ttft_seconds_bucket", "provider=\"127.0.0.1\",le=\"60.0\"") >= 2);
        assertTrue(sample(m, "chatrelay_answer_duration_seconds_bucket", "end_reason=\"completed\",provider=\"127.0.0.1\",le=\"+Inf\"") >= 1);
        assertEquals(0, sample(m, "chatrelay_streams_active", ""));
        assertEquals(0, sample(m, "chatrelay_draining", ""));
        assertTrue(sample(m, "hikaricp_connections_max", "pool=\"chatrelay\"") > 0);
        assertTrue(m.contains("hikaricp_connections_active{pool=\"chatrelay\"}"), "no pool usage gauge");
        assertTrue(m.contains("jvm_memory_used_bytes"), "no JVM memory");
    }

    @Test
    void each_answer_logs_one_line_with_ids_figures_and_no_key_password_cookie_or_content() throws Exception {
        ChatClient client = new ChatClient(node.base()).open();
        String marker = "private words " + System.nanoTime();
        SseStream s = client.chat(null, marker);
        String messageId = s.first("start").data().get("messageId").asText();

        String log = node.log();
        List<String> lines = log.lines().filter(l -> l.contains("msg=" + messageId)).toList();
        assertEquals(1, lines.size(), "answer lines for " + messageId + ": " + lines);
        Matcher line = Pattern.compile("chatrelay\\.answer - answer req=[0-9a-f]{8} msg=" + messageId
                + " arm=main provider=127\\.0\\.0\\.1 attempts=1 model=deepseek-v3\\.2 reported=fake-model-2025 end=completed code=null"
                + " ttftMs=\\d+ totalMs=\\d+ promptTokens=12 completionTokens=3 usage=provider costMicros=\\d+").matcher(lines.get(0));
        assertTrue(line.find(), lines.get(0));
        for (String secret : List.of(KEY, DB_PASSWORD, marker, client.cookie("cr_visitor"), client.csrfToken(), "Hello")) {
            assertFalse(log.contains(secret), "the node's log contains '" + secret + "'");
        }
    }

    @Test
    void a_configuration_error_stops_the_node_with_the_setting_named_in_the_log() throws Exception {
        JettyNode bad = JettyNode.create("bad-config", Map.of(
                "CHATRELAY_DB_URL", TestDb.h2File("bad-config"),
                "CHATRELAY_HEARTBEAT_MS", "0"));
        AssertionError failed = assertThrows(AssertionError.class, bad::launch);
        assertTrue(failed.getMessage().contains("exited with code"), failed.getMessage());
        assertTrue(bad.log().contains("ChatRelay configuration error: CHATRELAY_HEARTBEAT_MS must be positive, got 0"), bad.logTail());
    }

    static String scrape(ChatClient client) throws Exception {
        HttpResponse<String> r = client.get("metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        return r.body();
    }

    /** The value of the sample {@code name{labels}}, or 0 when it is not there yet. */
    static double sample(String metrics, String name, String labels) {
        String prefix = labels.isEmpty() ? name + " " : name + "{" + labels;
        return metrics.lines().filter(l -> l.startsWith(prefix) && (labels.isEmpty() || l.substring(prefix.length()).matches(",?[^}]*} .*")))
                .findFirst().map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }
}
