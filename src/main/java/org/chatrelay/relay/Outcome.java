package org.chatrelay.relay;

import java.time.Duration;
import java.util.Optional;

/**
 * How a turn ended, frozen at the moment it ended. {@code httpStatus} and {@code retryAfter} matter only when
 * the browser's event stream never began (the failure is then a JSON error response).
 */
record Outcome(EndReason reason, String errorCode, String message, int httpStatus, Optional<Duration> retryAfter,
               String text, String finishReason, String modelReported, Integer promptTokens, Integer completionTokens,
               Integer ttftMs, int totalMs, Integer maxGapMs, boolean streamOpen, String flags) {

    boolean retryable() {
        // INTERRUPTED: this node stopped; the same message sent again lands on a node that is up.
        return reason == EndReason.TIMEOUT || reason == EndReason.UPSTREAM_CUT || reason == EndReason.INTERRUPTED
                || (reason == EndReason.UPSTREAM_ERROR && (httpStatus == 503 || httpStatus == 504));
    }
}
