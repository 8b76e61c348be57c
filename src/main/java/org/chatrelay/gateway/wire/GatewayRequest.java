package org.chatrelay.gateway.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.GatewayError;
import org.chatrelay.upstream.ChatMessage;

/**
 * A gateway call as its client sent it, read into what the relay translates: text messages (the system prompt
 * first), the sampling members both dialects share, streaming, the end user. A member this gateway does not translate
 * is refused with a 400 naming it, never dropped: the client would otherwise get an answer to a different question.
 *
 * @param fields members passed on to the provider, by upstream dialect (OpenAI's {@code stop} is Anthropic's
 *               {@code stop_sequences}, OpenAI's {@code max_completion_tokens} its {@code max_tokens})
 */
public record GatewayRequest(Dialect dialect, String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                             String endUser, Map<Dialect, Map<String, JsonNode>> fields) {

    private static final Set<String> OPENAI_KNOWN = Set.of("model", "messages", "stream", "stream_options", "user", "n",
            "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop");
    private static final Set<String> ANTHROPIC_KNOWN = Set.of("model", "messages", "stream", "system", "metadata",
            "temperature", "top_p", "max_tokens", "stop_sequences");

    /** A request to translate: every member must be one this gateway translates. @throws BadRequest naming the member at fault */
    public static GatewayRequest read(Dialect dialect, JsonNode body) {
        return read(dialect, body, true);
    }

    /**
     * A request a provider of its own dialect gets as it came: only what the relay itself needs is read (model,
     * streaming, end user, the text of the messages for the prompt's estimate and the stored question); tools, images
     * and unknown members are the provider's business.
     */
    public static GatewayRequest readToPass(Dialect dialect, JsonNode body) {
        return read(dialect, body, false);
    }

    private static GatewayRequest read(Dialect dialect, JsonNode body, boolean strict) {
        if (body == null || !body.isObject()) {
            throw new BadRequest(null, "The request body must be a JSON object.");
        }
        Set<String> known = dialect == Dialect.ANTHROPIC ? ANTHROPIC_KNOWN : OPENAI_KNOWN;
        body.fieldNames().forEachRemaining(f -> {
            if (strict && !known.contains(f)) {
                throw new BadRequest(f, "'" + f + "' cannot be translated for this model's providers (it would be dropped, so the call"
                        + " is refused); with \"stream\": true and providers of the client's own dialect it is passed through.");
            }
        });
        String model = text(body, "model");
        if (model == null || model.isBlank()) {
            throw new BadRequest("model", "'model' is required.");
        }
        boolean stream = body.path("stream").asBoolean(false);
        List<ChatMessage> messages = new ArrayList<>();
        Map<String, JsonNode> openAi = new LinkedHashMap<>();
        Map<String, JsonNode> anthropic = new LinkedHashMap<>();
        copy(body, "temperature", openAi, "temperature", anthropic, "temperature");
        copy(body, "top_p", openAi, "top_p", anthropic, "top_p");
        boolean includeUsage = false;
        String endUser;
        if (dialect == Dialect.ANTHROPIC) {
            if (!positiveInt(body.path("max_tokens"))) {
                throw new BadRequest("max_tokens", "'max_tokens' is required and must be a positive integer.");
            }
            copy(body, "max_tokens", openAi, "max_tokens", anthropic, "max_tokens");
            copy(body, "stop_sequences", openAi, "stop", anthropic, "stop_sequences");
            JsonNode system = body.get("system");
            if (system != null && !system.isNull()) {
                messages.add(new ChatMessage("system", content(system, "system", strict)));
            }
            JsonNode metadata = body.path("metadata");
            metadata.fieldNames().forEachRemaining(f -> {
                if (strict && !f.equals("user_id")) {
                    throw new BadRequest("metadata." + f, "'metadata." + f + "' is not supported by this gateway.");
                }
            });
            endUser = text(metadata, "user_id");
        } else {
            if (strict && body.has("n") && body.get("n").asInt(1) != 1) {
                throw new BadRequest("n", "'n' other than 1 is not supported by this gateway.");
            }
            String maxMember = body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
            JsonNode max = body.get(maxMember);
            if (max != null && !max.isNull()) {
                // The budget reserves by this cap: one the provider might read otherwise ("100000", beyond an int, 0) is refused.
                if (!positiveInt(max)) {
                    throw new BadRequest(maxMember, "'" + maxMember + "' must be a positive integer.");
                }
                openAi.put(maxMember, max);
                anthropic.put("max_tokens", max);
            }
            copy(body, "stop", openAi, "stop", anthropic, "stop_sequences");
            if (anthropic.containsKey("stop_sequences") && anthropic.get("stop_sequences").isTextual()) {
                anthropic.put("stop_sequences", JsonNodeFactory.instance.arrayNode().add(anthropic.get("stop_sequences")));
            }
            includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            endUser = text(body, "user");
        }
        JsonNode list = body.get("messages");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new BadRequest("messages", "'messages' must be a non-empty array.");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String role = text(m, "role");
            String where = "messages[" + i + "]";
            boolean allowed = dialect == Dialect.ANTHROPIC ? "user".equals(role) || "assistant".equals(role)
                    : "system".equals(role) || "developer".equals(role) || "user".equals(role) || "assistant".equals(role);
            if (strict && !allowed) {
                throw new BadRequest(where + ".role", "Role '" + role + "' is not supported by this gateway (tools are not relayed).");
            }
            m.fieldNames().forEachRemaining(f -> {
                if (strict && !f.equals("role") && !f.equals("content") && !f.equals("name")) {
                    throw new BadRequest(where + "." + f, "'" + where + "." + f + "' is not supported by this gateway.");
                }
            });
            messages.add(new ChatMessage("developer".equals(role) ? "system" : String.valueOf(role),
                    content(m.get("content"), where + ".content", strict)));
        }
        return new GatewayRequest(dialect, model, messages, stream, includeUsage, endUser,
                Map.of(Dialect.OPENAI, openAi, Dialect.ANTHROPIC, anthropic));
    }

    /** A string, or an array of text parts (both dialects' shape); any other part is refused by its path. */
    private static String content(JsonNode c, String where, boolean strict) {
        if (c != null && c.isTextual()) {
            return c.asText();
        }
        if (!strict && (c == null || !c.isArray())) {
            return "";
        }
        if (c == null || !c.isArray()) {
            throw new BadRequest(where, "'" + where + "' must be a string or an array of text parts.");
        }
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < c.size(); j++) {
            JsonNode part = c.get(j);
            boolean textPart = "text".equals(text(part, "type")) && part.path("text").isTextual();
            if (!strict && !textPart) {
                continue;
            }
            if (!textPart) {
                throw new BadRequest(where + "[" + j + "].type", "Only text parts are relayed; '" + text(part, "type")
                        + "' in " + where + "[" + j + "] is not supported by this gateway.");
            }
            out.append(part.get("text").asText());
        }
        return out.toString();
    }

    private static void copy(JsonNode body, String name, Map<String, JsonNode> openAi, String openAiName,
                             Map<String, JsonNode> anthropic, String anthropicName) {
        JsonNode v = body.get(name);
        if (v != null && !v.isNull()) {
            openAi.put(openAiName, v);
            anthropic.put(anthropicName, v);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** What the canary arm is sticky on: the key and the client's end user, else the key alone. */
    public String stickyId(String keyId) {
        return endUser == null || endUser.isBlank() ? keyId : keyId + "\u0000" + endUser;
    }

    /** A whole number from 1 to Integer.MAX_VALUE, written as a JSON number (not a string, a fraction or a boolean). */
    private static boolean positiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1;
    }

    /** A member the gateway cannot relay: 400 in the client's dialect, naming it. */
    public static final class BadRequest extends RuntimeException {
        private final GatewayError error;

        public BadRequest(String param, String message) {
            super(message, null, false, false);
            this.error = GatewayError.invalid(param, message);
        }

        public GatewayError error() {
            return error;
        }
    }
}
