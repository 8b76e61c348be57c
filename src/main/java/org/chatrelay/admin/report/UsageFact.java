package org.chatrelay.admin.report;

import java.time.Instant;

/** The columns of one finished answer_usage row that the report aggregates. */
public record UsageFact(Instant startedAt, String model, String provider, String arm, String endReason, String errorCode,
                        String usageSource, Integer promptTokens, Integer completionTokens, Long costMicros,
                        Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs,
                        String visitorId, String conversationId) {

    /** The error code as the rollup key stores it: never null. */
    public String errorKey() {
        return errorCode == null ? "" : errorCode;
    }
}
