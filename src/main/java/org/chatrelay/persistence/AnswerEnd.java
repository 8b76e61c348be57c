package org.chatrelay.persistence;

import java.time.Instant;
import java.util.List;

/**
 * What {@link AnswerRepository#finish} writes when an answer's stream ends.
 *
 * @param endReason   becomes the assistant message's status and the usage row's end_reason
 * @param usageSource provider | estimated | none; null means {@code none}
 * @param provider    the provider that answered (or was tried last); null keeps the one stored at the start
 * @param attemptLog  every upstream request made for the answer; {@code attempts} should be its size
 * @param noDone      the stream gave its finish reason but closed without its terminator
 *                    (docs/sse-conformance.md case 27)
 * @param thinking    the model's reasoning and its figures; null when it showed none
 */
public record AnswerEnd(String usageId, String assistantMessageId, String conversationId, String content,
                      String endReason, String finishReason, String errorCode,
                      String modelReported, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                      Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs, int attempts, Instant endedAt,
                      String provider, List<AttemptRow> attemptLog, boolean noDone, AnswerThinking thinking) {

    public AnswerEnd {
        attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
        thinking = thinking == null || !thinking.any() ? null : thinking;
    }

    /** A stream that ended with its terminator (or not at all), without reasoning. */
    public AnswerEnd(String usageId, String assistantMessageId, String conversationId, String content,
                   String endReason, String finishReason, String errorCode,
                   String modelReported, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                   Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs, int attempts, Instant endedAt,
                   String provider, List<AttemptRow> attemptLog) {
        this(usageId, assistantMessageId, conversationId, content, endReason, finishReason, errorCode, modelReported,
                promptTokens, completionTokens, usageSource, costMicros, ttftMs, totalMs, tokensPerSecond, maxGapMs, attempts,
                endedAt, provider, attemptLog, false, null);
    }

    /** Without an attempt log: the provider stored at the start stays. */
    public AnswerEnd(String usageId, String assistantMessageId, String conversationId, String content,
                   String endReason, String finishReason, String errorCode,
                   String modelReported, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                   Integer ttftMs, Integer totalMs, Double tokensPerSecond, Integer maxGapMs, int attempts, Instant endedAt) {
        this(usageId, assistantMessageId, conversationId, content, endReason, finishReason, errorCode, modelReported,
                promptTokens, completionTokens, usageSource, costMicros, ttftMs, totalMs, tokensPerSecond, maxGapMs, attempts,
                endedAt, null, List.of(), false, null);
    }
}
