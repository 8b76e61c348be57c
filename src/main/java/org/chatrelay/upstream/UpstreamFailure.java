package org.chatrelay.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * Why an upstream request failed before its event stream began. The upstream body is kept for operators'
 * logs only: it is never sent to the browser (it may echo keys or internal details).
 */
public record UpstreamFailure(Kind kind, int status, Optional<Duration> retryAfter, String detail) {

    public enum Kind { CONNECT, TIMEOUT, HTTP_STATUS, NOT_AN_EVENT_STREAM, IO }

    /** Worth retrying or falling back: nothing reached the browser and the failure may be transient. */
    public boolean transientFailure() {
        return switch (kind) {
            case CONNECT, TIMEOUT, IO -> true;
            case HTTP_STATUS -> status == 408 || status == 409 || status == 429 || status >= 500;
            case NOT_AN_EVENT_STREAM -> false;
        };
    }
}
