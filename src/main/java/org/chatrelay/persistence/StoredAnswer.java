package org.chatrelay.persistence;

/**
 * An assistant message as a resume reads it: its text so far (the last checkpoint while {@code streaming}, the whole
 * answer once ended) and, once ended, the figures of its terminal event from its usage row (null while streaming, or
 * when the row has none).
 *
 * @param reasoning empty when the model showed none
 */
public record StoredAnswer(String messageId, String status, String content, String reasoning, String endReason,
                           String errorCode, String finishReason, Integer promptTokens, Integer completionTokens,
                           String usageSource, Long costMicros, Double tokensPerSecond, Integer ttftMs, Integer totalMs,
                           Integer firstReasoningMs, Integer thinkingMs, Integer reasoningTokens, String reasoningSource) {

    public boolean streaming() {
        return "streaming".equals(status);
    }
}
