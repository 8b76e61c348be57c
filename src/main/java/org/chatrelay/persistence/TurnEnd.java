package org.chatrelay.persistence;

import java.time.Instant;

/**
 * What {@link TurnRepository#finish} writes when an answer's stream ends.
 *
 * @param endReason   becomes the assistant message's status and the usage row's end_reason
 * @param usageSource provider | estimated | none; null means {@code none}
 */
public record TurnEnd(String usageId, String assistantMessageId, String conversationId, String content,
                      String endReason, String finishReason, String errorCode,
                      String modelReported, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                      Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs, int attempts, Instant endedAt) {
}
