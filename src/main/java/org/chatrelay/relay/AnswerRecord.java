package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/** The stored figures of one answer, as sent in its terminal event. */
record AnswerRecord(String messageId, Integer promptTokens, Integer completionTokens, String usageSource, Long costMicros,
                    Double tokensPerSecond) {

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
        data.put("ttftMs", o.ttftMs());
        data.put("totalMs", o.totalMs());
        data.put("tokensPerSecond", tokensPerSecond);
        data.put("costUsd", costMicros == null ? null : BigDecimal.valueOf(costMicros, 6));
        return SseFrames.event(json, done ? "done" : "error", data);
    }
}
