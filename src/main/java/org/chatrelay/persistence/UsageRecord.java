package org.chatrelay.persistence;

import java.time.Instant;

/**
 * One answer_usage row. {@code messageId} is null once the conversation was deleted; {@code endReason} is null while
 * streaming; {@code noDone}: the stream finished without its terminator (docs/sse-conformance.md case 27).
 */
public record UsageRecord(String id, String messageId, String conversationId, String visitorId, String nodeId,
                          String provider, String arm, String modelRequested, String modelReported,
                          Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                          Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs,
                          String endReason, String finishReason, String errorCode, String contentFlags, int attempts,
                          Instant startedAt, Instant endedAt, boolean noDone) {
}
