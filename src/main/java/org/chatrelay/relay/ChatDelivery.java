package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.chatrelay.http.JsonErrors;

/** The chat page's event contract (README "The event stream"): start, token, reasoning, then done or error. */
final class ChatDelivery implements Delivery {
    private final ObjectMapper json;
    private final boolean demo;

    ChatDelivery(ObjectMapper json, boolean demo) {
        this.json = json;
        this.demo = demo;
    }

    @Override
    public byte[] open(HttpServletResponse response, String conversationId, String messageId, String userMessageId, String model,
                       String provider) {
        Delivery.eventStream(response);
        ObjectNode data = json.createObjectNode();
        data.put("conversationId", conversationId);
        data.put("messageId", messageId);
        data.put("userMessageId", userMessageId);
        data.put("model", model);
        data.put("provider", provider);
        data.put("demo", demo);
        return SseFrames.event(json, "start", data);
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public byte[] text(String piece) {
        return SseFrames.token(piece, System.currentTimeMillis());
    }

    @Override
    public byte[] reasoning(String piece) {
        return SseFrames.reasoning(piece);
    }

    @Override
    public byte[] heartbeat() {
        return SseFrames.HEARTBEAT;
    }

    @Override
    public byte[] terminal(HttpServletResponse response, Outcome outcome, AnswerRecord record) {
        return record.terminalFrame(json, outcome);
    }

    @Override
    public void refuse(HttpServletResponse response, Outcome o, String conversationId) {
        JsonErrors.write(response, o.httpStatus(), o.errorCode(), o.message(), o.retryAfter(), conversationId);
    }
}
