package org.chatrelay.gateway.wire;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.ErrorKind;
import org.chatrelay.gateway.errors.GatewayError;
import org.chatrelay.relay.AnswerRecord;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.relay.Outcome;

/** What both dialects' deliveries make of an answer's end: success or the error their SDKs map to a typed exception. */
final class Endings {
    private static final Map<String, String> TO_OPENAI = Map.of("end_turn", "stop", "stop_sequence", "stop",
            "max_tokens", "length", "tool_use", "tool_calls", "refusal", "content_filter");
    private static final Map<String, String> TO_ANTHROPIC = Map.of("stop", "end_turn", "length", "max_tokens",
            "tool_calls", "tool_use", "content_filter", "refusal");

    private Endings() {
    }

    /** A done means stored: an answer the store lost is an error, as on the chat page. */
    static boolean answered(Outcome o, AnswerRecord r) {
        return r.stored() && (o.reason() == EndReason.COMPLETED || o.reason() == EndReason.LENGTH);
    }

    static GatewayError error(Outcome o, AnswerRecord r) {
        if (r != null && !r.stored() && o.reason() == EndReason.COMPLETED) {
            return GatewayError.of(ErrorKind.SERVER_ERROR, "The answer could not be stored; please send the request again.");
        }
        // The chat page shows a provider's 429 as a 503 (the visitor did nothing wrong); an SDK should back off as from a 429.
        ErrorKind kind = "upstream_rate_limited".equals(o.errorCode()) ? ErrorKind.RATE_LIMITED : switch (o.httpStatus()) {
            case 400, 413, 422 -> ErrorKind.INVALID_REQUEST;
            case 401, 403 -> ErrorKind.SERVER_ERROR; // the provider refused this gateway's key, not the client's
            case 429 -> ErrorKind.RATE_LIMITED;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> ErrorKind.SERVER_ERROR;
        };
        String message = o.message() == null ? "The answer failed (" + o.reason().code() + ")." : o.message();
        return new GatewayError(kind, message, null, o.retryAfter().map(d -> OptionalLong.of(d.toSeconds()))
                .orElse(OptionalLong.empty()));
    }

    /** The provider's finish reason in the client's dialect; a reason of the same dialect is kept as sent. */
    static String openAiFinish(Outcome o) {
        String f = o.finishReason();
        if (f == null) {
            return o.reason() == EndReason.LENGTH ? "length" : "stop";
        }
        return TO_OPENAI.getOrDefault(f, f);
    }

    static String anthropicStop(Outcome o) {
        String f = o.finishReason();
        if (f == null) {
            return o.reason() == EndReason.LENGTH ? "max_tokens" : "end_turn";
        }
        return TO_ANTHROPIC.getOrDefault(f, f);
    }

    /** A non-streaming call that failed after it was admitted: nothing was written yet, so it has its own status. */
    static byte[] failed(HttpServletResponse res, Outcome o, AnswerRecord r, Dialect dialect) {
        GatewayError error = error(o, r);
        json(res, error.status(dialect));
        error.retryAfterSeconds().ifPresent(s -> res.setHeader("Retry-After", Long.toString(s)));
        return utf8(error.body(dialect).toString());
    }

    static void json(HttpServletResponse res, int status) {
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("utf-8");
        res.setHeader("Cache-Control", "no-store");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A refusal before any stream: the status, Retry-After and body of the dialect's error. */
    static void refuse(HttpServletResponse res, GatewayError error, Dialect dialect) {
        try {
            error.write(res, dialect);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
