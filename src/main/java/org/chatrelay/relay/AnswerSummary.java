package org.chatrelay.relay;

/**
 * What the metrics need to know about one finished answer: labels with a small, fixed set of values (provider,
 * end reason) and figures. No content, no ids: nothing here may become a high-cardinality label.
 *
 * @param ttftMs null when no token arrived
 * @param attempts upstream requests made for this answer
 */
public record AnswerSummary(String provider, String model, EndReason endReason, Integer ttftMs, int totalMs,
                            Integer completionTokens, int attempts) {

    /** The provider failed this answer (refused, errored, cut or too slow), as opposed to the user or the browser. */
    public boolean upstreamFailed() {
        return endReason == EndReason.UPSTREAM_ERROR || endReason == EndReason.UPSTREAM_CUT || endReason == EndReason.TIMEOUT;
    }
}
