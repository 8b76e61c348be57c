package org.chatrelay.gateway.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.chatrelay.config.Dialect;

/**
 * An error in the shape of the dialect the client spoke, so the official SDKs raise their typed exceptions:
 * OpenAI {@code {"error":{"message","type","param","code"}}} (every member present, null when unknown, as OpenAI
 * sends them) and Anthropic {@code {"type":"error","error":{"type","message"}}}. The same body serves a refusal
 * before a stream (with its status and {@code Retry-After}) and the dialect's error event after the first byte.
 *
 * @param param             the request member at fault (OpenAI only), or null
 * @param retryAfterSeconds when the client may try again (a {@code Retry-After} header), if known
 */
public record GatewayError(ErrorKind kind, String message, String param, OptionalLong retryAfterSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public GatewayError {
        if (kind == null || message == null) {
            throw new IllegalArgumentException("an error needs a kind and a message");
        }
    }

    public static GatewayError of(ErrorKind kind, String message) {
        return new GatewayError(kind, message, null, OptionalLong.empty());
    }

    public static GatewayError retryAfter(ErrorKind kind, String message, long seconds) {
        return new GatewayError(kind, message, null, OptionalLong.of(Math.max(1, seconds)));
    }

    /** A request member at fault, named as the client sent it (e.g. {@code messages[2].content}). */
    public static GatewayError invalid(String param, String message) {
        return new GatewayError(ErrorKind.INVALID_REQUEST, message, param, OptionalLong.empty());
    }

    public int status(Dialect dialect) {
        return dialect == Dialect.ANTHROPIC ? kind.anthropicStatus : kind.openAiStatus;
    }

    public ObjectNode body(Dialect dialect) {
        ObjectNode root = JSON.createObjectNode();
        if (dialect == Dialect.ANTHROPIC) {
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", kind.anthropicType);
            error.put("message", message);
        } else {
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", kind.openAiType);
            error.put("param", param);
            error.put("code", kind.openAiCode);
        }
        return root;
    }

    /** Status, {@code Retry-After} and body; nothing when the response is already committed (a stream has begun). */
    public void write(HttpServletResponse res, Dialect dialect) throws IOException {
        if (res.isCommitted()) {
            return;
        }
        res.resetBuffer();
        res.setStatus(status(dialect));
        retryAfterSeconds.ifPresent(s -> res.setHeader("Retry-After", Long.toString(s)));
        res.setContentType("application/json");
        res.setCharacterEncoding("utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(body(dialect).toString().getBytes(StandardCharsets.UTF_8));
    }
}
