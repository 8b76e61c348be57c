package org.chatrelay.relay;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.upstream.UpstreamFailure;

/**
 * What the browser is told when no attempt produced an answer. Never the upstream body. Before the browser's
 * stream began it is a JSON error with {@code httpStatus}; after, the same code in the terminal {@code error} event.
 */
record Rejection(EndReason reason, String code, String message, int httpStatus) {
    private static final Rejection UNREACHABLE = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_unreachable",
            "The AI provider could not be reached. Please try again.", 502);
    private static final Rejection CONNECT_TIMEOUT = new Rejection(EndReason.TIMEOUT, "upstream_connect_timeout",
            "The AI provider could not be reached in time. Please try again.", 504);
    private static final Rejection TIMEOUT = new Rejection(EndReason.TIMEOUT, "upstream_timeout",
            "The AI provider did not answer in time. Please try again.", 504);
    private static final Rejection BAD_RESPONSE = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_bad_response",
            "The AI provider answered with something other than a stream.", 502);
    private static final Rejection CUT = new Rejection(EndReason.UPSTREAM_CUT, "upstream_cut",
            "The AI provider's stream ended before any answer. Please try again.", 502);
    private static final Rejection BUSY = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_busy",
            "The AI provider is handling as many answers as it may. Please try again shortly.", 503);
    private static final Rejection AUTH_REFUSED = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_auth",
            "The server's credentials for the AI provider were refused. The operator has been told.", 502);
    private static final Rejection NO_KEY = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_auth",
            "The server's credentials for the AI provider are unavailable. The operator has been told.", 502);
    private static final Rejection RATE_LIMITED = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_rate_limited",
            "The AI provider is rate-limiting requests. Please try again shortly.", 503);
    private static final Rejection OVERLOADED = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_overloaded",
            "The AI provider is overloaded. Please try again shortly.", 503);
    /** Its sentences name the HTTP status when it is known ({@link #byStatus}); {@code %s} is where. */
    private static final Rejection UNAVAILABLE = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_unavailable",
            "The AI provider failed%s. Please try again.", 502);
    private static final Rejection REJECTED = new Rejection(EndReason.UPSTREAM_ERROR, "upstream_rejected",
            "The AI provider refused the request%s.", 502);
    /**
     * Every rejection by its code, for an answer's end read back from its row ({@link StoredTerminal}); of two with
     * one code the first is the one a stored end says (the row keeps the code, not which sentence was sent).
     */
    private static final List<Rejection> BY_CODE = List.of(UNREACHABLE, CONNECT_TIMEOUT, TIMEOUT, BAD_RESPONSE, CUT, BUSY,
            AUTH_REFUSED, NO_KEY, RATE_LIMITED, OVERLOADED, UNAVAILABLE.withStatus(0), REJECTED.withStatus(0));

    static Rejection of(UpstreamFailure f) {
        return switch (f.kind()) {
            case CONNECT, IO -> UNREACHABLE;
            case CONNECT_TIMEOUT -> CONNECT_TIMEOUT;
            case TIMEOUT -> TIMEOUT;
            case NOT_AN_EVENT_STREAM -> BAD_RESPONSE;
            case HTTP_STATUS -> byStatus(f.status());
            case PROVIDER_ERROR -> providerError(f.detail());
            case CUT_BEFORE_CONTENT -> CUT;
            case BUSY -> BUSY;
            case NO_KEY -> NO_KEY;
        };
    }

    /** The rejection a failure before any answer gave this code, as a stored end says it; empty for another code. */
    static Optional<Rejection> byCode(String code) {
        return BY_CODE.stream().filter(r -> r.code.equals(code)).findFirst();
    }

    /** An error event inside a stream, e.g. Anthropic's {@code overloaded_error}: {@code upstream_<provider code>}. */
    static Rejection providerError(String providerCode) {
        String code = "upstream_" + safeCode(providerCode == null ? "error" : providerCode);
        if (code.contains("overloaded") || code.contains("rate_limit")) {
            return new Rejection(EndReason.UPSTREAM_ERROR, code, "The AI provider is overloaded. Please try again shortly.", 503);
        }
        return new Rejection(EndReason.UPSTREAM_ERROR, code, "The AI provider reported an error.", 502);
    }

    /** The error code of one failed attempt in answer_attempt: short, stable, never the upstream body. */
    static String attemptCode(UpstreamFailure f) {
        return switch (f.kind()) {
            case HTTP_STATUS -> "http_" + f.status();
            case CONNECT -> "connect_refused";
            case CONNECT_TIMEOUT -> "connect_timeout";
            case TIMEOUT -> "response_timeout";
            case IO -> "io_error";
            case NOT_AN_EVENT_STREAM -> "not_an_event_stream";
            case PROVIDER_ERROR -> "provider_" + safeCode(f.detail() == null ? "error" : f.detail());
            case CUT_BEFORE_CONTENT -> "cut_before_content";
            case BUSY -> "busy";
            case NO_KEY -> "no_key";
        };
    }

    /** After the last attempt failed: the answer ends with this rejection, and the provider's Retry-After if any. */
    Ending ending(Optional<Duration> retryAfter) {
        return new Ending(reason, code, message, httpStatus, retryAfter, null);
    }

    /** An error event after the answer began: the same rejection, said of an answer cut short. */
    Ending interrupted() {
        return new Ending(reason, code, "The answer was interrupted: " + message, httpStatus, Optional.empty(), null);
    }

    static String safeCode(String code) {
        return code.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }

    private static Rejection byStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH_REFUSED;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 503 || status == 529) {
            return OVERLOADED;
        }
        return (status >= 500 ? UNAVAILABLE : REJECTED).withStatus(status);
    }

    /** A sentence with a {@code %s} for the HTTP status: filled with it, or with nothing when {@code status} is 0. */
    private Rejection withStatus(int status) {
        return new Rejection(reason, code, message.formatted(status > 0 ? " (HTTP " + status + ")" : ""), httpStatus);
    }
}
