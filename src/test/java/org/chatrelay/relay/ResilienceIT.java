package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One test per upstream fault, through the built WAR with two fake providers: "primary" (3 attempts, 50-200 ms
 * back-off, Retry-After honoured up to 2 s, 1 s first-token and idle timeouts) and "backup" for the same model.
 * Each asserts what the browser saw, how many requests each provider got, what was stored, and that no text repeats.
 */
class ResilienceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path keyFile;
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("resilience-it")
            .providers(2, upstreams -> {
                keyFile = ProvidersFiles.write(ProvidersFiles.dir("resilience"), "primary.key", "sk-primary-1");
                return """
                {'defaultModel': 'chat',
                 'cooldown': {'minRequests': 100000},
                 'providers': [
                  {'name': 'primary', 'baseUrl': '%s', 'apiKey': {'file': '%s'},
                   'models': [{'name': 'chat', 'upstreamModel': 'primary-chat', 'inputPerMillion': 1, 'outputPerMillion': 2}],
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 1000, 'idleMs': 1000, 'totalMs': 30000},
                   'retry': {'maxAttempts': 3, 'baseDelayMs': 50, 'maxDelayMs': 200, 'retryAfterCapMs': 2000}},
                  {'name': 'backup', 'baseUrl': '%s', 'models': [{'name': 'chat', 'upstreamModel': 'backup-chat'}],
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 1000, 'idleMs': 1000, 'totalMs': 30000},
                   'retry': {'maxAttempts': 1}}]}
                """.formatted(upstreams.get(0).baseUrl(), keyFile, upstreams.get(1).baseUrl());
            })
            .settings(Map.of("chatrelay.heartbeat.ms", "1000"));
    static FakeUpstream primary;
    static FakeUpstream backup;
    ChatClient client;

    @BeforeAll
    static void upstreams() {
        primary = app.upstreams.get(0);
        backup = app.upstreams.get(1);
    }

    @BeforeEach
    void visitor() throws Exception {
        client = new ChatClient(app.base()).open();
    }

    /** One start, text exactly as expected (no replayed piece), and one terminal event, last. */
    static void assertOneAnswer(SseStream s, String text, String terminal) {
        assertEquals(200, s.status, s.raw.toString());
        assertEquals(1, s.count("start"), s.names().toString());
        assertEquals(text, s.text(), "text shown to the visitor");
        assertEquals(1, s.count("done") + s.count("error"), s.names().toString());
        assertEquals(terminal, s.last().name());
    }

    static String conversation(SseStream s) {
        return s.first("start").data().get("conversationId").asText();
    }

    @Test
    void a_429_with_retry_after_is_waited_for_then_the_retry_answers() throws Exception {
        primary.plan("ra", Reply.status(429).retryAfter("1"), Reply.ok());
        long t0 = System.nanoTime();
        SseStream s = client.chat(null, "hello [plan:ra]");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertOneAnswer(s, "Hello world", "done");
        assertEquals(List.of("start", "token", "done"), s.shape());
        assertEquals(2, primary.requestsFor("ra"));
        assertEquals(0, backup.requestsFor("ra"));
        assertTrue(ms >= 1000, "Retry-After: 1 was not honoured: answered after " + ms + " ms");
        assertEquals(List.of("1 primary failed 429 http_429", "2 primary answered 200 -"), app.rows.attempts(conversation(s)));
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("completed", u.get("end_reason"));
        assertEquals("primary", u.get("provider"));
        assertEquals(2, u.get("attempts"));
        assertTrue(((Number) app.rows.one("SELECT waited_ms FROM answer_attempt WHERE usage_id = ? AND attempt_no = 2", u.get("id"))
                .get("waited_ms")).intValue() >= 1000);
        System.out.printf("[ResilienceIT] 429 Retry-After 1 -> answered after %d ms, 2 attempts%n", ms);
    }

    @Test
    void a_5xx_is_retried_after_a_short_jittered_backoff_and_the_retry_answers() throws Exception {
        SseStream s = assertRecovered("5xx", List.of("1 primary failed 503 http_503", "2 primary answered 200 -"), Reply.status(503), Reply.ok());
        int waited = ((Number) app.rows.one("SELECT a.waited_ms FROM answer_attempt a JOIN answer_usage u ON u.id = a.usage_id"
                + " WHERE u.conversation_id = ? AND a.attempt_no = 2", conversation(s)).get("waited_ms")).intValue();
        assertTrue(waited < 1000, "first back-off is at most 50 ms plus scheduling, was " + waited);
    }

    @Test
    void when_the_primary_keeps_failing_the_backup_answers_and_the_record_keeps_every_attempt() throws Exception {
        SseStream s = assertRecovered("fallback", List.of("1 primary failed 502 http_502", "2 primary failed 502 http_502",
                "3 primary failed 502 http_502", "4 backup answered 200 -"), Reply.status(502));
        assertEquals("backup", s.first("start").data().get("provider").asText());
        assertEquals("chat", s.first("start").data().get("model").asText());
        assertEquals("backup-chat", backup.requests.get(backup.requests.size() - 1).get("model").asText());
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("backup", u.get("provider"));
        assertEquals("chat", u.get("model_requested"));
    }

    @Test
    void a_provider_that_never_sends_headers_times_out_and_the_retry_answers() throws Exception {
        assertRecovered("hang", List.of("1 primary failed - response_timeout", "2 primary answered 200 -"), Reply.hangBeforeHeaders(), Reply.ok());
    }

    @Test
    void a_stream_that_stalls_mid_answer_ends_with_an_idle_timeout_and_keeps_the_partial_text() throws Exception {
        SseStream s = assertFaultAfterText("stall", "Stalled here", "upstream_idle_timeout", "timeout");
        assertEquals("timeout", s.last().data().get("endReason").asText());
    }

    @Test
    void a_stream_cut_without_its_terminator_is_an_upstream_cut_never_a_done_and_never_replayed() throws Exception {
        SseStream s = assertFaultAfterText("cut", "One two three", "upstream_cut", "upstream_cut");
        assertEquals("estimated", app.rows.endedUsageOfConversation(conversation(s), 5000).get("usage_source"));
    }

    @Test
    void an_error_event_before_the_first_token_is_retried_on_the_same_open_stream() throws Exception {
        SseStream s = assertRecovered("errfirst", List.of("1 primary failed 200 provider_overloaded_error", "2 primary answered 200 -"),
                Reply.stream("errorfirst"), Reply.ok());
        assertEquals(List.of("start", "token", "done"), s.shape(), "one start, even though two streams began");
    }

    @Test
    void an_error_event_after_the_first_token_ends_the_answer_with_the_partial_text_and_no_replay() throws Exception {
        assertFaultAfterText("error", "Partial answer", "upstream_server_error", "upstream_error");
    }

    @Test
    void a_malformed_json_chunk_ends_the_answer_with_a_protocol_error() throws Exception {
        assertFaultAfterText("malformed", "Before ", "upstream_protocol", "upstream_error");
    }

    /**
     * A fault once text was shown: the browser keeps the partial text and gets one terminal error with {@code code};
     * the provider is asked once (though a second, good reply is ready); the partial text is stored.
     */
    SseStream assertFaultAfterText(String scenario, String text, String code, String endReason) throws Exception {
        String plan = "after-text-" + scenario;
        primary.plan(plan, Reply.stream(scenario), Reply.ok());
        SseStream s = client.chat(null, "hello [plan:" + plan + "]");
        assertOneAnswer(s, text, "error");
        assertEquals(code, s.last().data().get("code").asText());
        assertEquals(1, primary.requestsFor(plan), "no replay once text was shown");
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals(endReason, u.get("end_reason"));
        assertEquals(code, u.get("error_code"));
        assertEquals(text, u.get("message_content"));
        assertEquals(List.of("1 primary answered 200 " + code), app.rows.attempts(conversation(s)));
        return s;
    }

    /** A fault before any text that the relay recovers from: the visitor gets the whole answer once. */
    SseStream assertRecovered(String plan, List<String> attempts, Reply... primaryReplies) throws Exception {
        primary.plan(plan, primaryReplies);
        backup.plan(plan, Reply.ok());
        SseStream s = client.chat(null, "hello [plan:" + plan + "]");
        assertOneAnswer(s, "Hello world", "done");
        assertEquals(attempts, app.rows.attempts(conversation(s)));
        assertEquals(attempts.stream().filter(a -> a.contains(" primary ")).count(), primary.requestsFor(plan));
        assertEquals(attempts.stream().filter(a -> a.contains(" backup ")).count(), backup.requestsFor(plan));
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("completed", u.get("end_reason"));
        assertEquals(attempts.size(), u.get("attempts"));
        return s;
    }

    @Test
    void a_200_that_is_not_an_event_stream_is_a_502_with_no_retry_and_no_fallback() throws Exception {
        primary.plan("json", Reply.json200(), Reply.ok());
        backup.plan("json", Reply.ok());
        var r = client.send(client.post("api/chat", ChatClient.body(null, "hello [plan:json]")).build());
        assertEquals(502, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("upstream_bad_response", error.get("code").asText());
        assertFalse(r.body().contains("secret upstream detail"));
        assertEquals(1, primary.requestsFor("json"));
        assertEquals(0, backup.requestsFor("json"));
        String conversationId = error.get("conversationId").asText();
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversationId, 5000);
        assertEquals("upstream_error", u.get("end_reason"));
        assertEquals("none", u.get("usage_source"));
        assertEquals(List.of("1 primary failed 200 not_an_event_stream"), app.rows.attempts(conversationId));
        assertEquals("hello [plan:json]", app.rows.one("SELECT content FROM message WHERE conversation_id = ? AND role = 'user'",
                conversationId).get("content"), "the user's message is kept");
    }

    @Test
    void a_401_just_after_a_key_rotation_re_reads_the_key_and_retries_once() throws Exception {
        Files.writeString(keyFile, "sk-primary-1");
        primary.plan("rotate", Reply.status(401).before(() -> {
            try {
                Files.writeString(keyFile, "sk-primary-2");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }), Reply.ok());
        int before = primary.requests.size();
        SseStream s = client.chat(null, "hello [plan:rotate]");
        assertOneAnswer(s, "Hello world", "done");
        assertEquals(List.of("Bearer sk-primary-1", "Bearer sk-primary-2"), primary.authorizations.subList(before, before + 2));
        assertEquals(List.of("1 primary failed 401 http_401", "2 primary answered 200 -"), app.rows.attempts(conversation(s)));
        assertFalse(s.raw.toString().contains("sk-primary"), "the key never reaches the browser");
        client.chat(null, "again [plan:rotate]");
        assertEquals("Bearer sk-primary-2", primary.authorizations.get(primary.authorizations.size() - 1), "the next answer uses the new key at once");
    }

    @Test
    void a_401_with_an_unchanged_key_is_not_retried_there_and_the_backup_answers() throws Exception {
        assertRecovered("badkey", List.of("1 primary failed 401 http_401", "2 backup answered 200 -"), Reply.status(401));
    }

    @Test
    void stop_during_a_retry_before_any_text_ends_with_user_stop_and_leaves_no_attempt_running() throws Exception {
        primary.plan("stopretry", Reply.stream("errorfirst"), Reply.hangBeforeHeaders());
        String[] stopped = new String[1];
        SseStream s = client.chat(null, "hello [plan:stopretry]", st -> {
            if (stopped[0] == null) {
                try {
                    // 'start' came with the first attempt; wait until its replacement is in flight, then Stop.
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (primary.requestsFor("stopretry") < 2 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    String id = st.first("start").data().get("messageId").asText();
                    stopped[0] = String.valueOf(client.send(client.post("api/chat/stop", "{\"messageId\":\"" + id + "\"}").build()).statusCode());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return false;
        });
        assertEquals("204", stopped[0], "the retry had started while the visitor saw only 'start'");
        assertEquals(List.of("start", "done"), s.names());
        assertEquals("user_stop", s.last().data().get("endReason").asText());
        assertEquals(List.of("1 primary failed 200 provider_overloaded_error", "2 primary cancelled - -"), app.rows.attempts(conversation(s)));
        assertEquals("user_stop", app.rows.endedUsageOfConversation(conversation(s), 5000).get("end_reason"));
        Thread.sleep(1500);
        assertEquals(2, primary.requestsFor("stopretry"), "no attempt after the Stop");
    }

    @Test
    void a_long_healthy_stream_outlives_the_first_token_and_idle_timeouts() throws Exception {
        primary.plan("long", Reply.stream("slow", 25, 100));
        long t0 = System.nanoTime();
        SseStream s = client.chat(null, "hello [plan:long]");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("done", s.last().name(), s.names().toString());
        assertEquals(java.util.stream.IntStream.range(0, 25).mapToObj(i -> "t" + i + " ").collect(java.util.stream.Collectors.joining()), s.text());
        assertTrue(ms >= 2400, "the stream took " + ms + " ms, longer than every per-chunk timeout (1 s)");
    }
}
