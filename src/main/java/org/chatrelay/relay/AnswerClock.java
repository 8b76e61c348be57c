package org.chatrelay.relay;

/** Latency of one answer, measured with the monotonic clock from the moment the request reached the servlet. */
final class AnswerClock {
    private final long startNanos;
    private long firstTokenNanos;
    private long lastTokenNanos;
    private long maxGapNanos;
    private int tokenEvents;
    private long firstReasoningNanos;
    private long lastReasoningNanos;
    private boolean reasoned;

    AnswerClock(long startNanos) {
        this.startNanos = startNanos;
    }

    void onToken(long now) {
        if (tokenEvents == 0) {
            firstTokenNanos = now;
        } else {
            maxGapNanos = Math.max(maxGapNanos, now - lastTokenNanos);
        }
        lastTokenNanos = now;
        tokenEvents++;
    }

    void onReasoning(long now) {
        if (!reasoned) {
            firstReasoningNanos = now;
            reasoned = true;
        }
        lastReasoningNanos = now;
    }

    /** Time to the first reasoning byte; null when the model showed no reasoning. */
    Integer firstReasoningMs() {
        return reasoned ? millis(firstReasoningNanos - startNanos) : null;
    }

    /**
     * Thinking time: from the first reasoning byte to the first answer token, or to the last reasoning byte when no
     * answer text came (a model that thought until a timeout or Stop). Null when it showed no reasoning.
     */
    Integer thinkingMs() {
        if (!reasoned) {
            return null;
        }
        long end = tokenEvents > 0 && firstTokenNanos >= firstReasoningNanos ? firstTokenNanos : lastReasoningNanos;
        return millis(end - firstReasoningNanos);
    }

    long startNanos() {
        return startNanos;
    }

    Integer ttftMs() {
        return tokenEvents == 0 ? null : millis(firstTokenNanos - startNanos);
    }

    int totalMs(long endNanos) {
        return millis(endNanos - startNanos);
    }

    Integer maxGapMs() {
        return tokenEvents < 2 ? null : millis(maxGapNanos);
    }

    /** Generation speed: completion tokens over the time from the first token to the last one. */
    Double tokensPerSecond(Integer completionTokens) {
        if (completionTokens == null || tokenEvents < 2 || lastTokenNanos <= firstTokenNanos) {
            return null;
        }
        double seconds = (lastTokenNanos - firstTokenNanos) / 1e9;
        return Math.round(completionTokens / seconds * 10.0) / 10.0;
    }

    private static int millis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, nanos / 1_000_000);
    }
}
