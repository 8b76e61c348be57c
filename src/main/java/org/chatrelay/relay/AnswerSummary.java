package org.chatrelay.relay;

import java.util.List;
import org.chatrelay.persistence.EndReason;

/**
 * What the metrics need to know about one finished answer: labels with a small, fixed set of values (provider,
 * configured model, the model the provider reported, end reason, failure kind) and figures. No content, no ids:
 * nothing here may become a high-cardinality label.
 *
 * @param responseModel the model the provider reported (a dated snapshot, say); null when it named none
 * @param ttftMs        null when no token arrived
 * @param promptTokens  as stored: the provider's count, else estimated; null when unknown
 * @param attempts      every upstream request made for this answer, in order
 */
public record AnswerSummary(String provider, String model, String responseModel, EndReason endReason, Integer ttftMs, int totalMs,
                            Integer promptTokens, Integer completionTokens, List<Attempt> attempts) {

    /**
     * One upstream request.
     *
     * @param failure null when the provider answered (or the user or the browser ended it); else how the provider
     *                failed it, e.g. {@code upstream_cut}
     */
    public record Attempt(String provider, String failure) {
    }

    /** The provider failed the answer (refused, errored, cut or too slow), as opposed to the user or the browser. */
    public static String failureOf(EndReason reason) {
        return switch (reason) {
            case UPSTREAM_ERROR, UPSTREAM_CUT, TIMEOUT -> reason.code();
            default -> null;
        };
    }
}
