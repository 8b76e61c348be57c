package org.chatrelay.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** Every failure before a stream begins is {@code {"error":{"code","message",…}}} with a fitting status. */
public final class JsonErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrors() {
    }

    public static void write(HttpServletResponse response, int status, String code, String message) {
        write(response, status, code, message, Optional.empty(), null);
    }

    public static void write(HttpServletResponse response, int status, String code, String message,
                             Optional<Duration> retryAfter, String conversationId) {
        send(response, status, code, message, retryAfter, error -> {
            if (conversationId != null) {
                // The user's message is already stored in this conversation: the page can still show it after a failure.
                error.put("conversationId", conversationId);
            }
        });
    }

    /** A refused request body: {@code field} names the member at fault, so a client can point at it. */
    public static void writeField(HttpServletResponse response, int status, String code, String message, String field) {
        send(response, status, code, message, Optional.empty(), error -> {
            if (field != null) {
                error.put("field", field);
            }
        });
    }

    /** An error page: a generic message and the id under which the server logged what happened. */
    public static void writeCorrelated(HttpServletResponse response, int status, String code, String message, String correlationId) {
        send(response, status, code, message, Optional.empty(), error -> error.put("correlationId", correlationId));
    }

    private static void send(HttpServletResponse response, int status, String code, String message,
                             Optional<Duration> retryAfter, Consumer<ObjectNode> extra) {
        if (response.isCommitted()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        extra.accept(error);
        retryAfter.ifPresent(d -> {
            long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            error.put("retryAfterSeconds", seconds);
        });
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        try {
            response.getOutputStream().write(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | IllegalStateException browserGone) {
            // Nothing to tell a browser that is no longer there.
        }
    }
}
