package org.chatrelay.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * Why an attempt ended before its first piece of answer text. The upstream body is kept for operators' logs only:
 * it is never sent to the browser (it may echo keys or internal details).
 *
 * @param status the HTTP status when there was one, else 0
 * @param detail for operators; for {@link Kind#PROVIDER_ERROR} the provider's error code (e.g. {@code overloaded_error})
 */
public record UpstreamFailure(Kind kind, int status, Optional<Duration> retryAfter, String detail) {

    public enum Kind {
        /** Connection refused or reset while connecting. */
        CONNECT,
        /** No connection within the provider's connect timeout. */
        CONNECT_TIMEOUT,
        /** Connected, but no response headers in time. */
        TIMEOUT,
        /** A response with a status that is not 2xx. */
        HTTP_STATUS,
        /** A 2xx response that is not {@code text/event-stream}. */
        NOT_AN_EVENT_STREAM,
        /** Any other transport failure before the response. */
        IO,
        /** The stream began, then carried an error event before any content. */
        PROVIDER_ERROR,
        /** The stream began, then ended without content and without its terminator. */
        CUT_BEFORE_CONTENT,
        /** The provider's concurrency limit was reached and the wait queue was full or the wait too long. */
        BUSY,
        /** The provider's key could not be read (e.g. the key file vanished). */
        NO_KEY
    }

    public static UpstreamFailure of(Kind kind, String detail) {
        return new UpstreamFailure(kind, 0, Optional.empty(), detail);
    }

    /** Worth retrying or falling back: nothing reached the browser and the failure may be transient. */
    public boolean transientFailure() {
        return switch (kind) {
            case CONNECT, CONNECT_TIMEOUT, TIMEOUT, IO, CUT_BEFORE_CONTENT, BUSY -> true;
            case HTTP_STATUS -> status == 408 || status == 409 || status == 429 || status >= 500;
            case PROVIDER_ERROR -> !clientError(detail);
            case NOT_AN_EVENT_STREAM, NO_KEY -> false;
        };
    }

    /**
     * The request itself caused it (a chat too long for the model's context, a malformed or oversized request): any
     * provider would refuse it, so it says nothing of this one's health. Refused keys, rate limits and server errors do.
     */
    public boolean requestCaused() {
        return switch (kind) {
            case HTTP_STATUS -> status == 400 || status == 413 || status == 414 || status == 422 || status == 431;
            case PROVIDER_ERROR -> requestError(detail);
            default -> false;
        };
    }

    /** The key was refused: worth re-reading it in case it was just rotated. */
    public boolean authRefused() {
        return kind == Kind.HTTP_STATUS && (status == 401 || status == 403);
    }

    /** Error events about the request itself, e.g. {@code context_length_exceeded}, {@code invalid_request_error}. */
    private static boolean requestError(String code) {
        String c = code == null ? "" : code;
        return c.contains("invalid_request") || c.contains("too_large") || c.contains("context_length");
    }

    /** Error events that would fail the same way again (our request, our key), unlike overload or server errors. */
    private static boolean clientError(String code) {
        String c = code == null ? "" : code;
        return c.contains("invalid_request") || c.contains("authentication") || c.contains("permission")
                || c.contains("not_found") || c.contains("too_large") || c.contains("context_length");
    }
}
