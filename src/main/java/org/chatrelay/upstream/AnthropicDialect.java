package org.chatrelay.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.chatrelay.upstream.sse.SseEvent;
import org.chatrelay.upstream.sse.SseListener;

/**
 * Anthropic Messages streaming (docs/sse-conformance.md cases 31-36): {@code message_start} carries the input
 * tokens, {@code content_block_delta}/{@code text_delta} the text, {@code message_delta} the stop reason and the
 * CUMULATIVE output tokens, {@code message_stop} the end. {@code ping} and unknown events are ignored.
 *
 * <p>Extended thinking: a {@code thinking} block (index 0) streams {@code thinking_delta}s, then one
 * {@code signature_delta}, before the text block (index 1). The thinking is passed on as reasoning; the signature is
 * dropped, because this relay never sends thinking back upstream (Anthropic strips earlier turns' thinking from the
 * context anyway, and only tool use needs it returned). A {@code redacted_thinking} block carries encrypted data and
 * no text: it is shown as {@link #REDACTED} so the visitor sees the model thinking.
 */
public final class AnthropicDialect implements SseListener {
    public static final String VERSION = "2023-06-01";
    /** What a {@code redacted_thinking} block shows instead of its encrypted content. */
    public static final String REDACTED = "[Part of the reasoning was redacted by the provider.]\n";
    private final ObjectMapper json;
    private final StreamHandler handler;
    private boolean stopped;

    public AnthropicDialect(ObjectMapper json, StreamHandler handler) {
        this.json = json;
        this.handler = handler;
    }

    /** The request body: the system prompt is a top-level field, not a message; {@code max_tokens} is required. */
    public static String body(ObjectMapper json, String model, int maxTokens, List<ChatMessage> messages) {
        return body(json, model, maxTokens, 0, messages);
    }

    /**
     * @param thinkingBudget above 0 turns on extended thinking with that budget; {@code max_tokens} must exceed it
     *                       (the provider refuses otherwise), so the answer keeps its own {@code maxTokens} on top
     */
    public static String body(ObjectMapper json, String model, int maxTokens, int thinkingBudget, List<ChatMessage> messages) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", thinkingBudget > 0 ? thinkingBudget + maxTokens : maxTokens);
        if (thinkingBudget > 0) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
        String system = messages.stream().filter(m -> "system".equals(m.role())).map(ChatMessage::content)
                .collect(Collectors.joining("\n\n"));
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            if (!"system".equals(m.role())) {
                list.addObject().put("role", m.role()).put("content", m.content());
            }
        }
        body.put("stream", true);
        return body.toString();
    }

    @Override
    public void onEvent(SseEvent event) {
        if (stopped) {
            return;
        }
        JsonNode frame;
        try {
            frame = json.readTree(event.data());
        } catch (JsonProcessingException e) {
            handler.onProtocolError("upstream sent an event that is not JSON");
            return;
        }
        if (frame == null || !frame.isObject()) {
            handler.onProtocolError("upstream sent an event that is not a JSON object");
            return;
        }
        // docs/sse-conformance.md case 35: the event line names the type; without one, the JSON's "type" does. Both
        // present must agree.
        String named = "message".equals(event.type()) ? null : event.type();
        String typed = frame.path("type").isTextual() ? frame.get("type").asText() : null;
        if (named != null && typed != null && !named.equals(typed)) {
            handler.onProtocolError("event '" + named + "' carries a frame of type '" + typed + "'");
            return;
        }
        String type = named != null ? named : typed == null ? "" : typed;
        switch (type) {
            case "message_start" -> messageStart(frame.path("message"));
            case "content_block_start" -> {
                String block = frame.path("content_block").path("type").asText("");
                if (block.equals("tool_use") || block.equals("server_tool_use")) {
                    handler.onToolCall();
                } else if (block.equals("redacted_thinking")) {
                    handler.onReasoning(REDACTED);
                } else if (block.equals("thinking") && nonEmpty(frame.path("content_block").get("thinking"))) {
                    handler.onReasoning(frame.path("content_block").get("thinking").asText());
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = frame.path("delta");
                String kind = delta.path("type").asText();
                if ("text_delta".equals(kind) && nonEmpty(delta.get("text"))) {
                    handler.onText(delta.get("text").asText());
                } else if ("thinking_delta".equals(kind) && nonEmpty(delta.get("thinking"))) {
                    handler.onReasoning(delta.get("thinking").asText());
                }
                // signature_delta: dropped, see the class comment.
            }
            case "message_delta" -> messageDelta(frame);
            case "message_stop" -> {
                stopped = true;
                handler.onTerminator();
            }
            case "error" -> {
                JsonNode error = frame.path("error");
                handler.onProviderError(error.path("type").asText("error"), error.path("message").asText("upstream reported an error"));
            }
            default -> {
                // ping, content_block_stop, and event types added after this was written: ignored by design.
            }
        }
    }

    private void messageStart(JsonNode message) {
        if (message.path("model").isTextual()) {
            handler.onModel(message.get("model").asText());
        }
        // message_start's output_tokens is a placeholder (often 1): take only the input tokens here.
        Integer input = intOrNull(message.path("usage").get("input_tokens"));
        if (input != null) {
            handler.onUsage(input, null);
        }
    }

    private void messageDelta(JsonNode frame) {
        JsonNode stop = frame.path("delta").get("stop_reason");
        if (stop != null && stop.isTextual()) {
            handler.onFinish(stop.asText());
        }
        JsonNode usage = frame.path("usage");
        Integer output = intOrNull(usage.get("output_tokens"));
        Integer input = intOrNull(usage.get("input_tokens"));
        if (output != null || input != null) {
            handler.onUsage(input, output);
        }
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty();
    }

    private static Integer intOrNull(JsonNode n) {
        return n != null && n.canConvertToInt() ? n.asInt() : null;
    }
}
