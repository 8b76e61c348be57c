package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.chatrelay.upstream.sse.SseDecoder;
import org.chatrelay.upstream.sse.SseException;
import org.chatrelay.upstream.sse.SseListener;

/**
 * Both dialect layers under Jazzer, fed through the real SSE decoder. In {@code mvn verify} this replays the corpus in
 * {@code DialectFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes one method per run (docs/testing.md, "Fuzzing").
 * For any stream a provider might send: no exception but the decoder's documented {@link SseException} (a broken frame
 * is a protocol error, never a crash); text pieces are never empty; nothing is reported after the stream's explicit
 * end; and whole or one byte at a time gives the same calls.
 */
// Dictionaries hold printable entries only (libFuzzer's format takes one line per entry); line ends come from the seeds.
class DialectFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"data: ", "[DONE]", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"", "\"}}]}",
            "\"finish_reason\":\"stop\"", "{\"usage\":{\"prompt_tokens\":", ",\"completion_tokens\":", "\"tool_calls\":[{}]",
            "{\"error\":{\"code\":\"", "\"model\":\"", "event: error", "[", "]", "{", "}", "null", "1e999", "-1",
            "\"reasoning_content\":\"", "\"reasoning\":\"", ",\"completion_tokens_details\":{\"reasoning_tokens\":"})
    void openai_streams_of_any_shape_end_in_callbacks_never_in_a_crash(byte[] stream) {
        check(OpenAiDialect::new, stream);
    }

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"event: message_start", "event: content_block_delta", "event: message_delta", "event: message_stop",
            "event: ping", "event: error", "data: ", "{\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"", "\"}}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":",
            "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"tool_use\"}}", "{\"type\":\"error\",\"error\":{\"type\":\"",
            "{", "}", "null", "2147483648", "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"",
            "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\""})
    void anthropic_streams_of_any_shape_end_in_callbacks_never_in_a_crash(byte[] stream) {
        check(AnthropicDialect::new, stream);
    }

    static void check(BiFunction<ObjectMapper, StreamHandler, SseListener> dialect, byte[] stream) {
        List<String> whole = feed(dialect, stream, Math.max(1, stream.length));
        assertEquals(whole, feed(dialect, stream, 1), "the same calls fed one byte at a time");
        boolean ended = false;
        for (String call : whole) {
            assertFalse(ended && !call.startsWith("sse "), "a call after the end of the stream: " + whole);
            assertFalse(call.equals("text "), "an empty text piece: " + whole);
            assertFalse(call.equals("reasoning "), "an empty reasoning piece: " + whole);
            ended |= call.equals("done");
        }
    }

    static List<String> feed(BiFunction<ObjectMapper, StreamHandler, SseListener> dialect, byte[] stream, int chunk) {
        DialectHarness.Recorder r = new DialectHarness.Recorder();
        SseDecoder decoder = new SseDecoder(dialect.apply(JSON, r), 4096, 8192);
        List<String> calls = r.calls;
        try {
            for (int i = 0; i < stream.length; i += chunk) {
                decoder.feed(stream, i, Math.min(chunk, stream.length - i));
            }
            decoder.end();
        } catch (SseException e) {
            List<String> out = new ArrayList<>(calls);
            out.add("sse " + e.reason());
            return out;
        }
        return calls;
    }
}
