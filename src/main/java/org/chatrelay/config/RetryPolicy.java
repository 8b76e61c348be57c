package org.chatrelay.config;

import java.time.Duration;

/**
 * How hard to retry one provider before the first token. The wait before retry {@code n} (1-based) is drawn
 * uniformly from {@code [0, min(maxDelay, baseDelay × 2^(n-1))]} ("full jitter"), unless the provider sent
 * {@code Retry-After}: that is honoured when it is at most {@code retryAfterCap}; a longer one ends the
 * provider's turn at once (fall back, or tell the browser when to come back).
 *
 * @param maxAttempts attempts on this provider per answer, the first one included
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration retryAfterCap) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(20));

    /** The full-jitter ceiling for retry number {@code n} (1-based). */
    public Duration ceiling(int n) {
        long base = baseDelay.toMillis();
        long cap = maxDelay.toMillis();
        long ceiling = n >= 31 ? cap : Math.min(cap, base << (n - 1));
        return Duration.ofMillis(Math.max(0, ceiling));
    }
}
