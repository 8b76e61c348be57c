package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The stored figures of one answer, as sent in its terminal event.
 *
 * @param reasoningTokens part of {@code completionTokens}; null when the model showed no reasoning
 * @param reasoningSource provider | estimated (null with no reasoning tokens)
 */
record AnswerRecord(String messageId, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                    Double tokensPerSecond, Integer reasoningTokens, String reasoningSource) {

    /** {@code done} for an answer that ended normally or by the user's Stop; {@code error} for everything else. */
    byte[] terminalFrame(ObjectMapper json, Outcome o) {
        ObjectNode data = json.createObjectNode();
        boolean done = o.reason() == EndReason.COMPLETED || o.reason() == EndReason.LENGTH || o.reason() == EndReason.USER_STOP;
        if (!done) {
            data.put("code", o.errorCode());
            data.put("message", o.message());
            data.put("retryable", o.retryable());
        }
        data.put("messageId", messageId);
        data.put("finishReason", o.finishReason());
        data.put("endReason", o.reason().code());
        ObjectNode usage = data.putObject("usage");
        usage.put("promptTokens", promptTokens);
        usage.put("completionTokens", completionTokens);
        usage.put("source", usageSource);
        usage.put("reasoningTokens", reasoningTokens);
        usage.put("reasoningSource", reasoningSource);
        data.put("ttftMs", o.ttftMs());
        data.put("firstReasoningMs", o.thinking().firstReasoningMs());
        data.put("thinkingMs", o.thinking().thinkingMs());
        data.put("totalMs", o.totalMs());
        data.put("tokensPerSecond", tokensPerSecond);
        data.put("costUsd", costMicros == null ? null : BigDecimal.valueOf(costMicros, 6));
        return SseFrames.event(json, done ? "done" : "error", data);
    }
}
