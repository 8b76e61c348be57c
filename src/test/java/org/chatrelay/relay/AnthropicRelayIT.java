package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code CHATRELAY_UPSTREAM_DIALECT=anthropic} with {@code CHATRELAY_UPSTREAM_URL} at an Anthropic-style server: the
 * browser sees exactly what it sees with the OpenAI dialect, and the usage record and cost work the same.
 */
class AnthropicRelayIT {
    static final String KEY = "sk-ant-it-0123456789";
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("anthropic-it").settings(Map.of(
            "chatrelay.upstream.dialect", "anthropic",
            "chatrelay.upstream.api.key", KEY,
            "chatrelay.model", "claude-sonnet-4-5",
            "chatrelay.system.prompt", "Answer briefly.",
            "chatrelay.retry.base.delay.ms", "20",
            "chatrelay.retry.after.cap.ms", "3000"));
    ChatClient client;

    @BeforeEach
    void visitor() throws Exception {
        client = new ChatClient(app.base()).open();
    }

    static String conversation(SseStream s) {
        return s.first("start").data().get("conversationId").asText();
    }

    @Test
    void an_anthropic_stream_reaches_the_browser_like_an_openai_one_with_usage_and_cost() throws Exception {
        int before = app.upstream.requests.size();
        SseStream s = client.chat(null, "hello");
        assertEquals(List.of("start", "token", "done"), s.shape());
        assertEquals("Hello world", s.text());
        assertEquals("end_turn", s.last().data().get("finishReason").asText());
        assertEquals("completed", s.last().data().get("endReason").asText());
        assertEquals(12, s.last().data().get("usage").get("promptTokens").asInt());
        assertEquals(3, s.last().data().get("usage").get("completionTokens").asInt(), "message_delta's cumulative count, not 1 + 3");
        assertEquals("provider", s.last().data().get("usage").get("source").asText());
        // 12 × $3/M + 3 × $15/M = 81 µ$ (built-in price of claude-sonnet-4-5).
        assertEquals(0, new java.math.BigDecimal("0.000081").compareTo(s.last().data().get("costUsd").decimalValue()));
        assertEquals("/v1/messages", app.upstream.paths.get(before));
        assertEquals(KEY, app.upstream.headers.get(before).get("x-api-key"));
        assertEquals("2023-06-01", app.upstream.headers.get(before).get("anthropic-version"));
        assertEquals("Answer briefly.", app.upstream.requests.get(before).get("system").asText());
        assertTrue(app.upstream.requests.get(before).get("max_tokens").asInt() > 0);
        assertFalse(s.raw.toString().contains(KEY));
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("claude-fake-2025", u.get("model_reported"));
        assertEquals(81L, ((Number) u.get("cost_micros")).longValue());
    }

    @Test
    void an_overloaded_error_event_before_any_text_is_retried_once_on_the_same_stream() throws Exception {
        app.upstream.plan("overloaded", Reply.stream("errorfirst"), Reply.ok());
        SseStream s = client.chat(null, "hi [plan:overloaded]");
        assertEquals(List.of("start", "token", "done"), s.shape());
        assertEquals("Hello world", s.text());
        assertEquals(2, app.upstream.requestsFor("overloaded"));
        // The shorthand names its one provider after the URL's host.
        assertEquals(List.of("1 127.0.0.1 failed 200 provider_overloaded_error", "2 127.0.0.1 answered 200 -"), app.rows.attempts(conversation(s)));
    }

    @Test
    void error_events_before_text_twice_give_up_after_one_replay_with_an_error_frame() throws Exception {
        app.upstream.plan("overloaded2", Reply.stream("errorfirst"));
        SseStream s = client.chat(null, "hi [plan:overloaded2]");
        assertEquals(List.of("start", "error"), s.names());
        assertEquals("upstream_overloaded_error", s.last().data().get("code").asText());
        assertTrue(s.last().data().get("retryable").asBoolean());
        assertEquals(2, app.upstream.requestsFor("overloaded2"));
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("upstream_error", u.get("end_reason"));
        assertEquals(12, u.get("prompt_tokens"), "input tokens from message_start are kept");
    }

    @Test
    void an_error_event_after_text_keeps_the_partial_answer_and_its_input_tokens() throws Exception {
        SseStream s = client.chat(null, "hi [error]");
        assertEquals(List.of("start", "token", "error"), s.shape());
        assertEquals("Partial answer", s.text());
        assertEquals("upstream_server_error", s.last().data().get("code").asText());
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("Partial answer", u.get("message_content"));
        assertEquals(12, u.get("prompt_tokens"));
        assertEquals("estimated", u.get("usage_source"), "output tokens were never reported: estimated and flagged");
    }

    @Test
    void a_cut_without_message_stop_is_truncated_with_provider_input_tokens_and_estimated_output() throws Exception {
        SseStream s = client.chat(null, "hi [cut]");
        assertEquals("error", s.last().name());
        assertEquals("upstream_cut", s.last().data().get("code").asText());
        Map<String, Object> u = app.rows.endedUsageOfConversation(conversation(s), 5000);
        assertEquals("upstream_cut", u.get("end_reason"));
        assertEquals(12, u.get("prompt_tokens"));
        assertTrue(((Number) u.get("completion_tokens")).intValue() > 0);
    }

    @Test
    void a_529_is_retried_and_a_retry_after_in_http_date_form_is_honoured() throws Exception {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        app.upstream.plan("529", Reply.status(529), Reply.status(429).retryAfter(inTwoSeconds), Reply.ok());
        long t0 = System.nanoTime();
        SseStream s = client.chat(null, "hi [plan:529]");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("Hello world", s.text());
        assertEquals(3, app.upstream.requestsFor("529"));
        assertTrue(ms >= 1000, "an HTTP-date one to two seconds ahead was not waited for: " + ms + " ms");
        System.out.printf("[AnthropicRelayIT] 529, then 429 with an HTTP-date Retry-After, then OK: answered after %d ms%n", ms);
    }

    @Test
    void a_retry_after_above_the_cap_is_passed_to_the_browser_at_once() throws Exception {
        app.upstream.plan("longwait", Reply.status(429).retryAfter("120"));
        long t0 = System.nanoTime();
        var r = client.send(client.post("api/chat", ChatClient.body(null, "hi [plan:longwait]")).build());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.statusCode());
        assertEquals("120", r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(r.body().contains("upstream_rate_limited"), r.body());
        assertEquals(1, app.upstream.requestsFor("longwait"));
        assertTrue(ms < 2000, "failing fast took " + ms + " ms");
    }
}
