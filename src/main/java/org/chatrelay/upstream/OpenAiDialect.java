package org.chatrelay.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.chatrelay.upstream.sse.SseEvent;
import org.chatrelay.upstream.sse.SseListener;

/**
 * OpenAI {@code chat.completions} streaming: every frame is {@code data: <json>}, the end is {@code data: [DONE]}.
 * Policy lives here, not in the SSE decoder (the official SDKs keep them apart too).
 */
public final class OpenAiDialect implements SseListener {
    private static final String DONE = "[DONE]";
    private final ObjectMapper json;
    private final StreamHandler handler;
    private boolean done;
    private final boolean fastPath;
    private boolean modelSeen;

    public OpenAiDialect(ObjectMapper json, StreamHandler handler) {
        this(json, handler, true);
    }

    /** @param fastPath false reads every chunk as a tree: the tests compare both readings */
    OpenAiDialect(ObjectMapper json, StreamHandler handler, boolean fastPath) {
        this.json = json;
        this.handler = handler;
        this.fastPath = fastPath;
    }

    @Override
    public void onEvent(SseEvent event) {
        // docs/sse-conformance.md case 27: anything after [DONE] is ignored.
        if (done) {
            return;
        }
        String data = event.data();
        // [DONE] is not JSON: check before parsing.
        if (DONE.equals(data.strip())) {
            done = true;
            handler.onTerminator();
            return;
        }
        OpenAiChunk fast = !fastPath || "error".equals(event.type()) ? null : OpenAiChunk.parse(json.getFactory(), data);
        if (fast != null) {
            emit(fast);
            return;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            handler.onProtocolError("upstream sent a chunk that is not JSON");
            return;
        }
        if (chunk == null || !chunk.isObject()) {
            handler.onProtocolError("upstream sent a chunk that is not a JSON object");
            return;
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            reportError(error);
            return;
        }
        if ("error".equals(event.type())) {
            reportError(chunk);
            return;
        }
        JsonNode model = chunk.get("model");
        if (!modelSeen && model != null && model.isTextual()) {
            modelSeen = true;
            handler.onModel(model.asText());
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                // A chat UI shows one answer: choices other than index 0 (n > 1) are ignored.
                if (choice.path("index").asInt(0) == 0) {
                    onChoice(choice);
                }
            }
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            handler.onUsage(intOrNull(usage.get("prompt_tokens")), intOrNull(usage.get("completion_tokens")));
            Integer reasoning = intOrNull(usage.path("completion_tokens_details").get("reasoning_tokens"));
            if (reasoning != null) {
                handler.onReasoningTokens(reasoning);
            }
        }
    }

    /** The same callbacks, in the same order, as the tree-based reading below gives for the same chunk. */
    private void emit(OpenAiChunk c) {
        if (!modelSeen && c.model != null) {
            modelSeen = true;
            handler.onModel(c.model);
        }
        for (OpenAiChunk.Choice choice : c.choices) {
            if (choice.reasoning() != null && !choice.reasoning().isEmpty()) {
                handler.onReasoning(choice.reasoning());
            }
            if (choice.content() != null && !choice.content().isEmpty()) {
                handler.onText(choice.content());
            }
            if (choice.toolCall()) {
                handler.onToolCall();
            }
            if (choice.finishReason() != null) {
                handler.onFinish(choice.finishReason());
            }
        }
        if (c.usage) {
            handler.onUsage(c.promptTokens, c.completionTokens);
            if (c.reasoningTokens != null) {
                handler.onReasoningTokens(c.reasoningTokens);
            }
        }
    }

    private void onChoice(JsonNode choice) {
        JsonNode delta = choice.get("delta");
        if (delta != null && delta.isObject()) {
            String reasoning = reasoningOf(delta);
            if (reasoning != null) {
                handler.onReasoning(reasoning);
            }
            JsonNode content = delta.get("content");
            if (content != null && content.isTextual() && !content.asText().isEmpty()) {
                handler.onText(content.asText());
            }
            JsonNode tools = delta.get("tool_calls");
            if (tools != null && tools.isArray() && !tools.isEmpty()) {
                handler.onToolCall();
            }
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual()) {
            handler.onFinish(finish.asText());
        }
    }

    /**
     * DeepSeek and most resellers name it {@code reasoning_content}, OpenRouter and some others {@code reasoning}; a
     * provider that sent both would send the same text twice, so the first non-empty one counts.
     */
    private static String reasoningOf(JsonNode delta) {
        for (String field : OpenAiChunk.REASONING_FIELDS) {
            JsonNode r = delta.get(field);
            if (r != null && r.isTextual() && !r.asText().isEmpty()) {
                return r.asText();
            }
        }
        return null;
    }

    private void reportError(JsonNode error) {
        String code = firstText(error, "code", "type");
        String message = firstText(error, "message");
        handler.onProviderError(code == null ? "upstream_error" : code, message == null ? "upstream reported an error" : message);
    }

    private static String firstText(JsonNode node, String... fields) {
        if (node.isTextual()) {
            return node.asText();
        }
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && (v.isTextual() || v.isNumber())) {
                return v.asText();
            }
        }
        return null;
    }

    private static Integer intOrNull(JsonNode n) {
        return n != null && n.canConvertToInt() ? n.asInt() : null;
    }
}
