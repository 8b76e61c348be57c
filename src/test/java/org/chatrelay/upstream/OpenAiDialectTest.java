package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/sse-conformance.md cases 26-30, fed through the real decoder, one byte at a time as well as whole. */
class OpenAiDialectTest {

    static List<String> run(String stream) {
        return DialectHarness.run(OpenAiDialect::new, stream);
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],\"usage\":null}\n\n";
    }

    @Test
    void case26_happy_path_gives_text_finish_usage_and_done() {
        String s = chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")
                + chunk("{\"content\":\"Hel\"}", "null")
                + chunk("{\"content\":\"lo\"}", "null")
                + chunk("{}", "\"stop\"")
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}}\n\n"
                + "data: [DONE]\n\n";
        assertEquals(List.of("model gpt-x", "text Hel", "text lo", "finish stop", "usage 12/2", "done"), run(s));
    }

    /** Thinking models, issue 14: DeepSeek and resellers stream reasoning_content (some reasoning) before content. */
    @Test
    void reasoning_content_comes_before_the_text_in_order_with_its_tokens_apart() {
        String s = chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", "null")
                + chunk("{\"reasoning_content\":\"Let me \"}", "null")
                + chunk("{\"reasoning_content\":\"think.\",\"content\":null}", "null")
                + chunk("{\"content\":\"Hi\"}", "null")
                + chunk("{\"reasoning_content\":\" more\"}", "null")
                + chunk("{\"content\":\" there\"}", "\"stop\"")
                + "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":40,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":36,\"accepted_prediction_tokens\":0}}}\n\n"
                + "data: [DONE]\n\n";
        assertEquals(List.of("model gpt-x", "reasoning Let me ", "reasoning think.", "text Hi", "reasoning  more", "text  there",
                "finish stop", "usage 12/40", "reasoning tokens 36", "done"), run(s));
    }

    @Test
    void reasoning_as_a_plain_string_field_counts_too_and_a_chunk_with_both_names_counts_once() {
        String s = chunk("{\"reasoning\":\"via reasoning\"}", "null")
                + chunk("{\"reasoning_content\":\"same\",\"reasoning\":\"same\"}", "null")
                + chunk("{\"reasoning\":null,\"reasoning_content\":\"\",\"content\":\"x\"}", "null")
                + chunk("{\"reasoning\":{\"summary\":\"an object is not reasoning text\"}}", "null")
                + "data: [DONE]\n\n";
        assertEquals(List.of("model gpt-x", "reasoning via reasoning", "reasoning same", "text x", "done"), run(s));
    }

    @Test
    void usage_without_reasoning_details_reports_no_reasoning_tokens() {
        String s = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"completion_tokens_details\":{}}}\n\n";
        assertEquals(List.of("usage 1/2"), run(s));
    }

    @Test
    void case27_odd_but_valid_chunks_append_nothing_and_raise_nothing() {
        String s = chunk("{\"content\":null}", "null")
                + chunk("{}", "null")
                + "data: {\"id\":\"c1\",\"choices\":[],\"usage\":null,\"obfuscation\":\"xyz\",\"service_tier\":\"default\"}\n\n"
                + chunk("{\"content\":\"ok\"}", "null")
                + "data: [DONE]\n\n"
                + chunk("{\"content\":\"after done\"}", "null")
                + "data: not json after done\n\n";
        assertEquals(List.of("model gpt-x", "text ok", "done"), run(s));
    }

    @Test
    void case27_finish_without_done_has_no_terminator() {
        assertEquals(List.of("model gpt-x", "text a", "finish stop"), run(chunk("{\"content\":\"a\"}", "null") + chunk("{}", "\"stop\"")));
    }

    @Test
    void case28_tool_call_fragments_are_reported_as_unsupported() {
        String s = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\"}}]}", "null")
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":1\"}}]}", "null")
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}", "null")
                + chunk("{}", "\"tool_calls\"")
                + "data: [DONE]\n\n";
        assertEquals(List.of("model gpt-x", "tool", "tool", "tool", "finish tool_calls", "done"), run(s));
    }

    @Test
    void case29_error_object_mid_stream_is_a_provider_error() {
        String s = chunk("{\"content\":\"a\"}", "null") + chunk("{\"content\":\"b\"}", "null")
                + "data: {\"error\":{\"message\":\"upstream failed\",\"type\":\"server_error\"}}\n\n";
        assertEquals(List.of("model gpt-x", "text a", "text b", "error server_error: upstream failed"), run(s));
    }

    @Test
    void an_error_event_without_an_error_key_is_still_an_error() {
        assertEquals(List.of("error overloaded: busy"), run("event: error\ndata: {\"code\":\"overloaded\",\"message\":\"busy\"}\n\n"));
    }

    @Test
    void case30_a_cut_stream_ends_with_no_terminator_and_drops_the_partial_frame() {
        assertEquals(List.of("model gpt-x", "text a"), run(chunk("{\"content\":\"a\"}", "null") + "data: {\"choices\":[{\"delta\":{\"content\":\"lost"));
    }

    @Test
    void a_chunk_that_is_not_json_is_a_protocol_error() {
        assertEquals(List.of("protocol upstream sent a chunk that is not JSON"), run("data: {\"choices\":[\n\n"));
    }

    @Test
    void only_the_first_choice_is_shown() {
        String s = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\n";
        assertEquals(List.of("text mine"), run(s));
    }

    /** Chunks the fast streaming reader takes, declines (leaving them to the tree) or must not misread. */
    static final List<String> ODD_CHUNKS = List.of(
            "{\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"no index\"}}]}",
            "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"second choice\"}},{\"index\":0,\"delta\":{\"content\":\"first\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"index\":0,\"finish_reason\":\"stop\"}],\"model\":\"late-model\"}",
            "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"string index\"}}]}",
            "{\"choices\":[{\"index\":null,\"delta\":{\"content\":\"null index\"}}]}",
            "{\"choices\":[{\"index\":0.0,\"delta\":{\"content\":\"float index\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":{\"nested\":\"x\"},\"tool_calls\":[]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"a\":[1,{\"b\":2}]},3],\"content\":\"after tools\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":{\"not\":\"an array\"}}}]}",
            "{\"choices\":[\"not an object\",7,{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}",
            "{\"choices\":{\"index\":0},\"usage\":[1,2]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":3.7,\"completion_tokens\":\"2\"}}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":99999999999,\"completion_tokens\":null}}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":1},\"usage\":null}",
            "{\"error\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"null error\"}}]}",
            "{\"error\":\"plain text error\"}",
            "{\"model\":7,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u00e9\\n\\\"q\\\"\"},\"finish_reason\":7}]}",
            "[1,2]",
            "\"a string\"",
            "",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"unclosed\"}}]",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"trailing\"}}]} {\"x\":1}",
            // Thinking models (issue 14).
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\",\"content\":null}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"alt\",\"reasoning_content\":\"\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"both\",\"reasoning\":\"both\",\"content\":\"and text\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":{\"not\":\"text\"},\"reasoning\":7}}]}",
            "{\"choices\":[{\"index\":1,\"delta\":{\"reasoning_content\":\"other choice\"}}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"completion_tokens_details\":{\"reasoning_tokens\":7,\"x\":[1]}}}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"completion_tokens_details\":{\"reasoning_tokens\":null}}}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"completion_tokens_details\":{\"reasoning_tokens\":\"7\"}}}",
            "{\"choices\":[],\"usage\":{\"completion_tokens_details\":null}}");

    @Test
    void the_fast_reader_and_the_tree_read_every_chunk_alike() {
        StringBuilder stream = new StringBuilder();
        for (String c : ODD_CHUNKS) {
            stream.append("data: ").append(c).append("\n\n");
        }
        stream.append("data: [DONE]\n\n");
        List<String> fast = DialectHarness.run(OpenAiDialect::new, stream.toString());
        List<String> tree = DialectHarness.run((json, handler) -> new OpenAiDialect(json, handler, false), stream.toString());
        assertEquals(tree, fast);
        // And the table is not trivially empty: the chunks above do say things.
        assertEquals(true, fast.contains("text first") && fast.contains("tool") && fast.contains("usage 3/null"), fast.toString());
        assertEquals(true, fast.contains("reasoning think") && fast.contains("reasoning alt") && fast.contains("reasoning tokens 7"), fast.toString());
    }
}
