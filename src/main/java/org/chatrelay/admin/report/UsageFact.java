package org.chatrelay.admin.report;

import java.time.Instant;

/**
 * The columns of one finished answer_usage row that the report aggregates.
 *
 * @param thinkingMs      null unless the model showed reasoning
 * @param reasoningSource provider | estimated, for {@code reasoningTokens}
 */
public record UsageFact(Instant startedAt, String model, String provider, String arm, String endReason, String errorCode,
                        String usageSource, Integer promptTokens, Integer completionTokens, Long costMicros,
                        Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs,
                        String visitorId, String conversationId, Integer thinkingMs, Integer reasoningTokens,
                        String reasoningSource) {

    /** An answer without reasoning. */
    public UsageFact(Instant startedAt, String model, String provider, String arm, String endReason, String errorCode,
                     String usageSource, Integer promptTokens, Integer completionTokens, Long costMicros,
                     Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs,
                     String visitorId, String conversationId) {
        this(startedAt, model, provider, arm, endReason, errorCode, usageSource, promptTokens, completionTokens, costMicros,
                ttftMs, totalMs, tokensPerSecond, maxGapMs, visitorId, conversationId, null, null, null);
    }

    /** The error code as the rollup key stores it: never null. */
    public String errorKey() {
        return errorCode == null ? "" : errorCode;
    }
}
