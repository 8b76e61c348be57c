package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/sse-conformance.md cases 31-35, fed through the real decoder, one byte at a time as well as whole. */
class AnthropicDialectTest {

    static List<String> run(String stream) {
        return DialectHarness.run(AnthropicDialect::new, stream);
    }

    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    static final String START = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
    static final String BLOCK = event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    static final String BLOCK_STOP = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    static final String PING = event("ping", "{\"type\":\"ping\"}");
    static final String STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    static String text(String t) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}");
    }

    static String delta(String stop, int output) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop + "\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":" + output + "}}");
    }

    // ---- extended thinking (issue 14): a thinking block at index 0, its signature, then the text at index 1 ----

    static final String THINKING_BLOCK = event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
    static final String SIGNATURE = event("content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbc\"}}");
    static final String TEXT_BLOCK_1 = event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");

    static String thinking(String t) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"" + t + "\"}}");
    }

    static String textAt(int index, String t) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}");
    }

    @Test
    void a_thinking_block_streams_reasoning_the_signature_is_dropped_and_the_text_block_after_it_is_the_answer() {
        String s = START + THINKING_BLOCK + thinking("Let me ") + PING + thinking("think.") + SIGNATURE + BLOCK_STOP
                + TEXT_BLOCK_1 + textAt(1, "Hi") + textAt(1, " there") + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                + delta("end_turn", 60) + STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "reasoning Let me ", "reasoning think.", "text Hi", "text  there",
                "finish end_turn", "usage null/60", "done"), run(s));
    }

    @Test
    void a_redacted_thinking_block_shows_a_placeholder_and_the_answer_follows() {
        String s = START + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}}") + BLOCK_STOP
                + THINKING_BLOCK.replace("\"index\":0", "\"index\":1") + thinking("visible").replace("\"index\":0", "\"index\":1")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + textAt(2, "ok") + delta("end_turn", 9) + STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "reasoning " + AnthropicDialect.REDACTED, "reasoning visible", "text ok",
                "finish end_turn", "usage null/9", "done"), run(s));
    }

    @Test
    void empty_thinking_deltas_and_unknown_delta_types_are_ignored() {
        String s = START + THINKING_BLOCK + thinking("") + event("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"future_delta\",\"thinking\":\"no\"}}")
                + thinking("yes") + STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "reasoning yes", "done"), run(s));
    }

    @Test
    void a_thinking_budget_turns_thinking_on_with_max_tokens_above_it() throws Exception {
        JsonNode b = new ObjectMapper().readTree(AnthropicDialect.body(new ObjectMapper(), "claude-x", 4096, 2048,
                List.of(new ChatMessage("user", "Hi"))));
        assertEquals("enabled", b.get("thinking").get("type").asText());
        assertEquals(2048, b.get("thinking").get("budget_tokens").asInt());
        assertEquals(2048 + 4096, b.get("max_tokens").asInt(), "the provider refuses a max_tokens not above the budget");
        JsonNode off = new ObjectMapper().readTree(AnthropicDialect.body(new ObjectMapper(), "claude-x", 4096, List.of(new ChatMessage("user", "Hi"))));
        assertFalse(off.has("thinking"));
        assertEquals(4096, off.get("max_tokens").asInt());
    }

    @Test
    void case31_happy_path_gives_text_input_tokens_cumulative_output_and_stop() {
        String s = START + BLOCK + text("Hi") + text(" there") + BLOCK_STOP + delta("end_turn", 6) + STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "text Hi", "text  there", "finish end_turn", "usage null/6", "done"), run(s));
    }

    @Test
    void case32_pings_and_unknown_events_are_ignored() {
        String s = PING + START + PING + BLOCK + text("a") + PING + event("future_kind", "{\"type\":\"future_kind\",\"x\":[1,2]}")
                + text("b") + BLOCK_STOP + delta("end_turn", 2) + STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "text a", "text b", "finish end_turn", "usage null/2", "done"), run(s));
    }

    @Test
    void case33_error_event_after_deltas_is_a_provider_error() {
        String s = START + BLOCK + text("Part") + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertEquals(List.of("model claude-x", "usage 25/null", "text Part", "error overloaded_error: Overloaded"), run(s));
    }

    @Test
    void case33_error_event_before_any_delta_comes_before_any_text() {
        String s = START + PING + BLOCK + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        List<String> calls = run(s);
        assertEquals("error overloaded_error: Overloaded", calls.get(calls.size() - 1));
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("text")), "message_start, ping and content_block_start are not content");
    }

    @Test
    void case34_cut_after_block_stop_has_input_tokens_but_no_terminator() {
        String s = START + BLOCK + text("Hi") + BLOCK_STOP;
        assertEquals(List.of("model claude-x", "usage 25/null", "text Hi"), run(s));
    }

    @Test
    void case35_without_an_event_line_the_json_type_decides() {
        String s = "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n"
                + "data: {\"type\":\"message_stop\"}\n\n";
        assertEquals(List.of("text x", "done"), run(s));
    }

    @Test
    void case35_an_event_line_that_contradicts_the_json_type_is_a_protocol_error() {
        String s = "event: content_block_delta\ndata: {\"type\":\"message_stop\"}\n\n";
        assertEquals(List.of("protocol event 'content_block_delta' carries a frame of type 'message_stop'"), run(s));
    }

    @Test
    void max_tokens_is_reported_as_the_finish_reason() {
        assertEquals("finish max_tokens", run(START + text("a") + delta("max_tokens", 1) + STOP).get(3));
    }

    @Test
    void a_tool_use_block_is_reported_as_unsupported() {
        String s = START + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}}");
        assertEquals("tool", run(s).get(2));
    }

    @Test
    void events_after_message_stop_are_ignored_and_data_that_is_not_json_is_a_protocol_error() {
        assertEquals(List.of("text a", "done"), run(text("a") + STOP + text("late")));
        assertEquals(List.of("protocol upstream sent an event that is not JSON"), run("event: content_block_delta\ndata: {oops\n\n"));
    }

    @Test
    void the_request_body_has_max_tokens_the_system_prompt_on_top_and_only_user_and_assistant_messages() throws Exception {
        String body = AnthropicDialect.body(new ObjectMapper(), "claude-x", 1024, List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello"), new ChatMessage("user", "Again")));
        JsonNode b = new ObjectMapper().readTree(body);
        assertEquals("claude-x", b.get("model").asText());
        assertEquals(1024, b.get("max_tokens").asInt());
        assertEquals("Be brief.", b.get("system").asText());
        assertTrue(b.get("stream").asBoolean());
        assertEquals(3, b.get("messages").size());
        assertEquals("user", b.get("messages").get(0).get("role").asText());
        assertFalse(body.contains("\"role\":\"system\""));
    }
}
