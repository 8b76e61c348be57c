package org.chatrelay.limits;

import java.time.Duration;

/** A chat request refused with 429 before anything was stored or sent upstream: the JSON code and when to retry. */
public final class LimitExceeded extends Exception {
    private final String code;
    private final Duration retryAfter;

    LimitExceeded(String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** {@code rate_limited}, {@code too_many_streams} or {@code budget_exhausted}. */
    public String code() {
        return code;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
