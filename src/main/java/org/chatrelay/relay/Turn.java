package org.chatrelay.relay;

import java.util.List;
import org.chatrelay.persistence.TurnIds;
import org.chatrelay.routing.Route;
import org.chatrelay.upstream.ChatMessage;

/** One request for an answer: its stored ids, who asked, where it may go and what is sent. */
record Turn(TurnIds ids, String visitorId, Route route, List<ChatMessage> prompt, String requestId) {

    String model() {
        return route.model();
    }
}
