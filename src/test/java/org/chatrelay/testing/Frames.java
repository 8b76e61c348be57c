package org.chatrelay.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** How one dialect writes the beats of a canned answer as SSE frames. */
interface Frames {
    /** Before any text: OpenAI's role chunk; Anthropic's message_start, a ping and content_block_start. */
    List<String> begin();

    String text(String text);

    /**
     * After the text: the finish reason ({@code stop} or {@code length}, in the dialect's own words), usage, and the
     * terminator ({@code [DONE]} / {@code message_stop}) when {@code terminator}.
     */
    List<String> finish(String reason, int prompt, int completion, boolean terminator);

    /** Before any reasoning: as {@link #begin}, but Anthropic opens a {@code thinking} block (index 0). */
    default List<String> thinkBegin() {
        return begin();
    }

    /** A piece of reasoning: OpenAI-compatible {@code delta.reasoning_content}, Anthropic {@code thinking_delta}. */
    String reasoning(String text);

    /** After the reasoning: Anthropic's {@code signature_delta}, the thinking block's stop and the text block (index 1). */
    default List<String> thinkEnd() {
        return List.of();
    }

    /** Answer text after the reasoning (Anthropic: in block 1). */
    default String textAfterThinking(String text) {
        return text(text);
    }

    /** As {@link #finish}, with the reasoning tokens the provider reports apart (only OpenAI-compatible ones do). */
    default List<String> finish(String reason, int prompt, int completion, int reasoningTokens, boolean terminator) {
        return finish(reason, prompt, completion, terminator);
    }

    /** A whole response that calls the tool {@code get_weather} with {@code {"city":"Paris"}}, in two argument pieces. */
    List<String> toolCall();

    /** An error inside the stream, e.g. ({@code overloaded_error}, "Overloaded"). */
    String error(String type, String message);

    /** A frame whose JSON is broken. */
    default String malformed() {
        return frame(null, "{\"choices\":[{\"delta\":{\"content\":");
    }

    static String frame(String event, String data) {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }

    static byte[] bytes(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8);
    }

    Frames OPENAI = new Frames() {
        @Override
        public List<String> begin() {
            return List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        }

        @Override
        public String text(String text) {
            return chunk("{\"content\":\"" + text + "\"}", null);
        }

        @Override
        public String reasoning(String text) {
            return chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"" + text + "\"}", null);
        }

        @Override
        public List<String> finish(String reason, int prompt, int completion, boolean terminator) {
            return finish(reason, prompt, completion, -1, terminator);
        }

        @Override
        public List<String> finish(String reason, int prompt, int completion, int reasoningTokens, boolean terminator) {
            String details = reasoningTokens < 0 ? "" : ",\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens + "}";
            String usage = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model-2025\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                    + ",\"total_tokens\":" + (prompt + completion) + details + "}}";
            List<String> out = new java.util.ArrayList<>(List.of(chunk("{}", "\"" + reason + "\""), frame(null, usage)));
            if (terminator) {
                out.add(frame(null, "[DONE]"));
            }
            return out;
        }

        @Override
        public String error(String type, String message) {
            return frame(null, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\"}}");
        }

        @Override
        public List<String> toolCall() {
            List<String> out = new java.util.ArrayList<>(begin());
            out.add(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_fake1\",\"type\":\"function\",\"function\":{\"name\":"
                    + "\"get_weather\",\"arguments\":\"\"}}]}", null));
            out.add(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", null));
            out.addAll(finish("tool_calls", 20, 9, true));
            return out;
        }

        private String chunk(String delta, String finish) {
            return frame(null, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model-2025\","
                    + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}],\"usage\":null}");
        }
    };

    Frames ANTHROPIC = new Frames() {
        private static final String MESSAGE_START = frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-fake-2025\",\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");

        @Override
        public List<String> begin() {
            return List.of(MESSAGE_START, frame("ping", "{\"type\":\"ping\"}"),
                    frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        }

        @Override
        public List<String> toolCall() {
            return List.of(MESSAGE_START,
                    frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                            + "\"id\":\"toolu_fake1\",\"name\":\"get_weather\",\"input\":{}}}"),
                    frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                            + "\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}"),
                    frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                    frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                            + "\"usage\":{\"output_tokens\":9}}"),
                    frame("message_stop", "{\"type\":\"message_stop\"}"));
        }

        @Override
        public List<String> thinkBegin() {
            return List.of(MESSAGE_START, frame("ping", "{\"type\":\"ping\"}"), frame("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"));
        }

        @Override
        public String reasoning(String text) {
            return frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\""
                    + text + "\"}}");
        }

        @Override
        public List<String> thinkEnd() {
            return List.of(
                    frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\","
                            + "\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}}"),
                    frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                    frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        }

        @Override
        public String textAfterThinking(String text) {
            return frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                    + text + "\"}}");
        }

        @Override
        public String text(String text) {
            return frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                    + text + "\"}}");
        }

        @Override
        public List<String> finish(String reason, int prompt, int completion, boolean terminator) {
            String stop = reason.equals("length") ? "max_tokens" : "end_turn";
            List<String> out = new java.util.ArrayList<>(List.of(
                    frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                    // A kind of event this relay has never heard of: it must be ignored.
                    frame("future_kind", "{\"type\":\"future_kind\",\"x\":1}"),
                    frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop
                            + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + completion + "}}")));
            if (terminator) {
                out.add(frame("message_stop", "{\"type\":\"message_stop\"}"));
            }
            return out;
        }

        @Override
        public String error(String type, String message) {
            return frame("error", "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
        }
    };
}
