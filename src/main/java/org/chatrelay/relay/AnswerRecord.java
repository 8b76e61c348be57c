package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.chatrelay.persistence.EndReason;

/**
 * The figures of one answer, as sent in its terminal event.
 *
 * @param stored          whether the answer is durable (in the database or the node's spool)
 * @param reasoningTokens part of {@code completionTokens}; null when the model showed no reasoning
 * @param reasoningSource provider | estimated (null with no reasoning tokens)
 */
public record AnswerRecord(String messageId, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                    Double tokensPerSecond, boolean stored, Integer reasoningTokens, String reasoningSource) {

    static final String STORAGE_UNAVAILABLE = "storage_unavailable";
    static final String UNSTORED_MESSAGE = "The answer could not be saved: the chat history store is unavailable."
            + " Copy the text if you need it, and try again later.";

    AnswerRecord unstored() {
        return new AnswerRecord(messageId, promptTokens, completionTokens, usageSource, costMicros, tokensPerSecond, false, reasoningTokens,
                reasoningSource);
    }

    /**
     * {@code done} for a stored answer that ended normally or by the user's Stop; {@code error} for everything else,
     * {@code storage_unavailable} when it could not be stored (the page keeps the text it showed).
     */
    byte[] terminalFrame(ObjectMapper json, Outcome o) {
        ObjectNode data = json.createObjectNode();
        boolean done = stored && o.reason().done();
        if (!stored) {
            data.put("code", STORAGE_UNAVAILABLE);
            data.put("message", UNSTORED_MESSAGE);
            data.put("retryable", true);
        } else if (!done) {
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
