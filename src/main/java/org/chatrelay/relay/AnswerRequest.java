package org.chatrelay.relay;

import java.util.List;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.routing.Route;
import org.chatrelay.upstream.ChatMessage;

/** One request for an answer: its stored ids, who asked, where it may go, what is sent and how the call is kept. */
record AnswerRequest(AnswerIds ids, String visitorId, Route route, List<ChatMessage> prompt, String requestId, CallOptions options) {

    String model() {
        return route.model();
    }
}
