package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestApp;
import org.chatrelay.testing.TestDb;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The relay against a fake upstream, through real HTTP, on embedded Jetty 12 with the built WAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RelayIT {
    static final String KEY = "sk-test-relay-it-0123456789";
    static FakeUpstream upstream;
    static Rows rows;

    @ArquillianResource
    URL base;
    ChatClient client;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        upstream = new FakeUpstream();
        String db = TestDb.selectedUrl("relay-it");
        rows = new Rows(db);
        TestApp.configure(Map.of(
                "chatrelay.upstream.url", upstream.baseUrl(),
                "chatrelay.upstream.api.key", KEY,
                "chatrelay.model", "deepseek-v3.2",
                "chatrelay.db.url", db,
                "chatrelay.heartbeat.ms", "1000",
                "chatrelay.first.token.timeout.ms", "3000",
                // The fake's 429 says Retry-After: 7; above this cap the relay answers at once instead of waiting.
                "chatrelay.retry.after.cap.ms", "5000"));
        return TestApp.war();
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @BeforeEach
    void visitor() throws Exception {
        client = new ChatClient(URI.create(base.toString())).open();
    }

    @Test
    void a_complete_answer_is_start_tokens_done_byte_for_byte() throws Exception {
        SseStream s = client.chat(null, "hi");
        assertEquals(200, s.status);
        String normalized = s.raw.toString()
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\"t\":\\d+", "\"t\":<t>")
                .replaceAll("\"(ttftMs|totalMs)\":\\d+", "\"$1\":<ms>")
                .replaceAll("\"tokensPerSecond\":[0-9.]+", "\"tokensPerSecond\":<tps>");
        // Each event's id is its position (issue 16): reasoning and text characters delivered up to and including it.
        String expected = """
                id: 0.0
                event: start
                data: {"conversationId":"<id>","messageId":"<id>","userMessageId":"<id>","model":"deepseek-v3.2","provider":"127.0.0.1","demo":false}

                id: 0.3
                event: token
                data: {"text":"Hel","t":<t>}

                id: 0.5
                event: token
                data: {"text":"lo","t":<t>}

                id: 0.11
                event: token
                data: {"text":" world","t":<t>}

                id: 0.11
                event: done
                data: {"messageId":"<id>","finishReason":"stop","endReason":"completed","usage":{"promptTokens":12,"completionTokens":3,"source":"provider","reasoningTokens":null,"reasoningSource":null},"ttftMs":<ms>,"firstReasoningMs":null,"thinkingMs":null,"totalMs":<ms>,"tokensPerSecond":<tps>,"costUsd":0.000005}

                """;
        assertEquals(expected, normalized);
    }

    @Test
    void the_stream_has_event_stream_headers() throws Exception {
        var r = client.send(client.post("api/chat", ChatClient.body(null, "headers please")).build());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("no", r.headers().firstValue("X-Accel-Buffering").orElseThrow());
    }

    @Test
    void tokens_arrive_over_time_not_all_at_the_end() throws Exception {
        SseStream s = client.chat(null, "pace [slow:10:100]");
        List<SseStream.Event> tokens = s.events.stream().filter(e -> e.name().equals("token")).toList();
        assertEquals(10, tokens.size());
        long spreadMs = (tokens.get(9).arrivedNanos() - tokens.get(0).arrivedNanos()) / 1_000_000;
        // 9 gaps of 100 ms upstream: relayed as they came, the browser sees them spread over ~900 ms, not in one burst.
        assertTrue(spreadMs >= 700, "tokens arrived within " + spreadMs + " ms");
        long distinctGaps = 0;
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).arrivedNanos() - tokens.get(i - 1).arrivedNanos() > 50_000_000L) {
                distinctGaps++;
            }
        }
        assertTrue(distinctGaps >= 7, "only " + distinctGaps + " of 9 gaps were over 50 ms");
    }

    @Test
    void a_complete_answer_is_stored_with_the_providers_usage_model_and_cost() throws Exception {
        SseStream s = client.chat(null, "store me");
        String messageId = s.first("start").data().get("messageId").asText();
        String conversationId = s.first("start").data().get("conversationId").asText();
        Map<String, Object> u = rows.endedUsage(messageId, 5000);
        assertEquals("completed", u.get("end_reason"));
        assertEquals("completed", u.get("message_status"));
        assertEquals("Hello world", u.get("message_content"));
        assertEquals("fake-model-2025", u.get("model_reported"));
        assertEquals("deepseek-v3.2", u.get("model_requested"));
        assertEquals("provider", u.get("usage_source"));
        assertEquals(12, u.get("prompt_tokens"));
        assertEquals(3, u.get("completion_tokens"));
        // 12 × $0.28/M + 3 × $0.42/M = 4.62 µ$ -> 5 µ$ (rounded half up).
        assertEquals(5L, ((Number) u.get("cost_micros")).longValue());
        assertEquals("stop", u.get("finish_reason"));
        assertTrue(((Number) u.get("ttft_ms")).intValue() >= 0);
        Map<String, Object> user = rows.one("SELECT content, status FROM message WHERE conversation_id = ? AND role = 'user'", conversationId);
        assertEquals("store me", user.get("content"));
        JsonNode api = client.getJson("api/conversations/" + conversationId);
        assertEquals(2, api.get("messages").size());
        assertEquals("Hello world", api.get("messages").get(1).get("content").asText());
    }

    @Test
    void the_key_goes_upstream_as_a_bearer_token_and_nowhere_else() throws Exception {
        int before = upstream.authorizations.size();
        SseStream s = client.chat(null, "key check");
        assertEquals("Bearer " + KEY, upstream.authorizations.get(before));
        assertFalse(s.raw.toString().contains(KEY));
        assertFalse(client.get("").body().contains(KEY));
    }

    @Test
    void every_request_streams_with_usage_and_carries_the_earlier_turns() throws Exception {
        SseStream first = client.chat(null, "first question");
        String conversationId = first.first("start").data().get("conversationId").asText();
        client.chat(conversationId, "second question");
        JsonNode sent = upstream.requests.get(upstream.requests.size() - 1);
        assertTrue(sent.get("stream").asBoolean());
        assertTrue(sent.get("stream_options").get("include_usage").asBoolean());
        assertEquals("deepseek-v3.2", sent.get("model").asText());
        JsonNode messages = sent.get("messages");
        assertEquals(3, messages.size(), messages.toString());
        assertEquals("first question", messages.get(0).get("content").asText());
        assertEquals("assistant", messages.get(1).get("role").asText());
        assertEquals("Hello world", messages.get(1).get("content").asText());
        assertEquals("second question", messages.get(2).get("content").asText());
    }

    @Test
    void a_cut_stream_ends_with_an_error_event_and_is_stored_as_upstream_cut() throws Exception {
        SseStream s = client.chat(null, "cut me [cut]");
        assertEquals(List.of("start", "token", "error"), s.shape());
        assertEquals("One two three", s.text());
        assertEquals("upstream_cut", s.last().data().get("code").asText());
        assertEquals(0, s.count("done"), "a cut stream must never look complete");
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals("upstream_cut", u.get("end_reason"));
        assertEquals("upstream_cut", u.get("message_status"));
        assertEquals("One two three", u.get("message_content"));
        assertEquals("estimated", u.get("usage_source"));
        assertTrue(((Number) u.get("completion_tokens")).intValue() > 0);
    }

    @Test
    void an_error_object_mid_stream_ends_with_an_error_event_and_keeps_the_partial_answer() throws Exception {
        int requests = upstream.requests.size();
        SseStream s = client.chat(null, "fail midway [error]");
        assertEquals(List.of("start", "token", "error"), s.shape());
        assertEquals("Partial answer", s.text());
        assertEquals("upstream_server_error", s.last().data().get("code").asText());
        assertFalse(s.last().data().get("retryable").asBoolean());
        assertEquals(requests + 1, upstream.requests.size(), "no retry once text was shown");
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals("upstream_error", u.get("end_reason"));
        assertEquals("Partial answer", u.get("message_content"));
    }

    @Test
    void finish_reason_without_done_is_complete_and_flagged() throws Exception {
        SseStream s = client.chat(null, "[finishnodone]");
        assertEquals("done", s.last().name());
        assertEquals("completed", s.last().data().get("endReason").asText());
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals(Boolean.TRUE, u.get("no_done"), "the missing [DONE] is stored: " + u);
        SseStream clean = client.chat(null, "hello");
        assertEquals(Boolean.FALSE, rows.endedUsage(clean.first("start").data().get("messageId").asText(), 5000).get("no_done"));
    }

    @Test
    void finish_reason_length_is_reported() throws Exception {
        SseStream s = client.chat(null, "[length]");
        assertEquals("length", s.last().data().get("endReason").asText());
    }

    @Test
    void closing_the_browser_aborts_the_upstream_request_and_stores_client_gone() throws Exception {
        int abortedBefore = upstream.aborted.get();
        SseStream s = client.chat(null, "endless [forever:0:50]", st -> st.count("token") >= 5);
        long closedAt = System.nanoTime();
        String messageId = s.first("start").data().get("messageId").asText();
        Map<String, Object> u = rows.endedUsage(messageId, 5000);
        assertEquals("client_gone", u.get("end_reason"));
        assertTrue(((String) u.get("message_content")).startsWith("tick tick tick tick tick"));
        assertEquals("estimated", u.get("usage_source"));
        assertTrue(upstream.awaitAborted(abortedBefore, 2000), "upstream request was not aborted within 2 s");
        System.out.printf("[RelayIT] browser closed -> upstream aborted in %.1f ms%n", (upstream.lastAbortNanos - closedAt) / 1e6);
    }

    @Test
    void stop_ends_the_stream_with_done_user_stop_and_aborts_upstream() throws Exception {
        int abortedBefore = upstream.aborted.get();
        String[] stopped = new String[1];
        SseStream s = client.chat(null, "stop me [forever:0:50]", st -> {
            if (st.count("token") >= 3 && stopped[0] == null) {
                String id = st.first("start").data().get("messageId").asText();
                try {
                    stopped[0] = String.valueOf(client.send(client.post("api/chat/stop", "{\"messageId\":\"" + id + "\"}").build()).statusCode());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return false;
        });
        assertEquals("204", stopped[0]);
        assertEquals("done", s.last().name());
        assertEquals("user_stop", s.last().data().get("endReason").asText());
        assertEquals("estimated", s.last().data().get("usage").get("source").asText());
        assertTrue(upstream.awaitAborted(abortedBefore, 1000), "Stop did not abort the upstream request within 1 s");
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals("user_stop", u.get("end_reason"));
        assertTrue(((String) u.get("message_content")).startsWith("tick tick tick"));
    }

    @Test
    void a_hung_upstream_gets_heartbeats_then_a_first_token_timeout() throws Exception {
        SseStream s = client.chat(null, "[hang]");
        assertTrue(s.raw.toString().contains(": hb\n\n"), "no heartbeat in " + s.raw);
        assertEquals("error", s.last().name());
        assertEquals("first_token_timeout", s.last().data().get("code").asText());
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals("timeout", u.get("end_reason"));
    }

    @Test
    void upstream_refusals_before_the_stream_are_json_errors_without_the_upstream_body() throws Exception {
        var auth = client.send(client.post("api/chat", ChatClient.body(null, "[status:401]")).build());
        assertEquals(502, auth.statusCode());
        assertTrue(auth.body().contains("\"code\":\"upstream_auth\""), auth.body());
        assertFalse(auth.body().contains("secret upstream detail"));

        var limited = client.send(client.post("api/chat", ChatClient.body(null, "[status:429]")).build());
        assertEquals(503, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());

        var notSse = client.send(client.post("api/chat", ChatClient.body(null, "[json]")).build());
        assertEquals(502, notSse.statusCode());
        assertTrue(notSse.body().contains("upstream_bad_response"));

        // The user's message is kept even though no answer came.
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(auth.body()).get("error");
        JsonNode conv = client.getJson("api/conversations/" + error.get("conversationId").asText());
        assertEquals("[status:401]", conv.get("messages").get(0).get("content").asText());
        assertEquals("upstream_error", conv.get("messages").get(1).get("status").asText());
    }

    @Test
    void nul_in_model_output_is_replaced_and_flagged_not_lost() throws Exception {
        SseStream s = client.chat(null, "[nul]");
        assertEquals("a\u0000b", s.text());
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
        assertEquals("a\uFFFDb", u.get("message_content"));
        assertEquals("nul_replaced", u.get("content_flags"));
    }

    @Test
    void another_visitors_conversation_is_a_404_and_gets_nothing_appended() throws Exception {
        SseStream mine = client.chat(null, "private");
        String conversationId = mine.first("start").data().get("conversationId").asText();
        ChatClient stranger = new ChatClient(URI.create(base.toString())).open();
        int requests = upstream.requests.size();
        var r = stranger.send(stranger.post("api/chat", ChatClient.body(conversationId, "let me in")).build());
        assertEquals(404, r.statusCode());
        assertEquals(404, stranger.get("api/conversations/" + conversationId).statusCode());
        assertEquals(404, stranger.get("c/" + conversationId).statusCode());
        assertEquals(requests, upstream.requests.size());
        assertEquals(2L, ((Number) rows.one("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ?", conversationId).get("n")).longValue());
    }

    @Test
    void bad_input_is_refused_with_a_json_error_and_nothing_goes_upstream() throws Exception {
        int requests = upstream.requests.size();
        String stored = rows.one("SELECT (SELECT COUNT(*) FROM conversation) AS c, (SELECT COUNT(*) FROM message) AS m").toString();
        assertError(415, "unsupported_media_type", client.post("api/chat", "{\"message\":\"x\"}").setHeader("Content-Type", "text/plain"));
        assertError(400, "invalid_request", client.post("api/chat", "{not json"));
        assertError(400, "invalid_request", client.post("api/chat", "{\"message\":\"x\",\"model\":\"y\"}"));
        assertError(400, "invalid_request", client.post("api/chat", "{\"message\":42}"));
        assertError(400, "invalid_request", client.post("api/chat", "{\"message\":\"   \"}"));
        assertError(400, "invalid_characters", client.post("api/chat", "{\"message\":\"a\\u0000b\"}"));
        assertError(400, "invalid_characters", client.post("api/chat", "{\"message\":\"a\\ud800b\"}"));
        assertError(413, "message_too_large", client.post("api/chat", ChatClient.body(null, "x".repeat(32_769))));
        assertError(413, "too_large", client.post("api/chat", ChatClient.body(null, "y".repeat(300_000))));
        assertError(404, "not_found", client.post("api/chat", ChatClient.body("not-a-uuid", "x")));
        assertError(404, "not_found", client.post("api/chat", ChatClient.body("00000000-0000-4000-8000-000000000000", "x")));
        assertError(403, "csrf", client.post("api/chat", ChatClient.body(null, "x")).setHeader("X-CSRF-Token", "forged"));
        assertError(403, "csrf", client.post("api/chat", ChatClient.body(null, "x")).setHeader("Origin", "https://evil.example"));
        assertEquals(requests, upstream.requests.size(), "a refused request must not reach upstream");
        assertEquals(stored, rows.one("SELECT (SELECT COUNT(*) FROM conversation) AS c, (SELECT COUNT(*) FROM message) AS m").toString(),
                "a refused request must not be stored");
    }

    private void assertError(int status, String code, java.net.http.HttpRequest.Builder request) throws Exception {
        var r = client.send(request.build());
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        assertNull(error.get("stack"));
    }
}
